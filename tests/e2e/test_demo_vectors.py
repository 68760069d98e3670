"""The demo's achievements and demands come with their dense vectors (docs/matching.md#vector-
files): building the region encodes none of them, and the shipped vectors are the encoder's."""

from __future__ import annotations

import numpy as np

from kechuang.cooperation import matching
from kechuang.cooperation.demo import DEMO_VECTORS
from kechuang.cooperation.models import MatchVector
from kechuang.matching.dense import unpack


def test_every_demo_record_has_its_vector_in_the_shipped_file(demo_region):
    assert matching.engine().encoder is not None
    shipped = matching._read_vector_file(DEMO_VECTORS)
    built = demo_region.match_fingerprints
    assert len(built) > 500
    missing = sorted(key for key, fp in built.items() if fp not in shipped)
    # After changing the demo's texts: kechuang match_index --export <that file>
    assert not missing, f"{len(missing)} demo records without a shipped vector: {missing[:5]}"


def test_the_shipped_vectors_are_what_the_encoder_computes(demo_region, db):
    eng = matching.engine()
    docs = [d for d in matching._docs(None) if d.id in demo_region.match_fingerprints][::60]
    assert len(docs) >= 8
    stored = {
        fp: unpack([bytes(v)])[0]
        for fp, v in MatchVector.objects.filter(
            fingerprint__in=[eng.fingerprint(d) for d in docs]
        ).values_list("fingerprint", "vector")
    }
    fresh = eng.encode(docs)
    for doc, vector in zip(docs, fresh, strict=True):
        cosine = float(np.dot(stored[eng.fingerprint(doc)], vector))
        assert cosine > 0.999, (doc.id, cosine)
