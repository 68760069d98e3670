"""Stored dense vectors (docs/matching.md#stored-vectors): computed after a save, re-encoded
after an edit, gone with the record, loaded by the index instead of encoding again, and
backfilled in bulk. These run the real bundled encoder (a few short texts)."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.campaigns.tests.factories import make_world
from kechuang.cooperation import matching, services
from kechuang.cooperation.models import Achievement, MatchVector
from kechuang.matching.dense import unpack

from .factories import make_achievements, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def dense(settings):
    settings.KECHUANG_MATCHING_DENSE = True
    eng = matching.engine()
    if eng.encoder is None:
        pytest.fail(f"the bundled encoder did not load: {eng.notice}")
    return eng


@pytest.fixture
def world(dense, django_capture_on_commit_callbacks):
    w = make_world()
    w.org = make_organisation()
    with django_capture_on_commit_callbacks(execute=True):
        w.achievements = make_achievements(w.staff, w.org)
    return w


def _vector(achievement: Achievement) -> MatchVector:
    return MatchVector.objects.get(achievement=achievement)


def _doc(achievement: Achievement):
    row = [getattr(achievement, c) for c in ("pk", "title", "summary", "keywords", "field")]
    return matching._achievement_doc(row)


def test_a_saved_record_gets_its_vector_and_the_index_uses_it(world, dense, monkeypatch):
    bolt = world.achievements[0]
    stored = _vector(bolt)
    assert stored.fingerprint == dense.fingerprint(_doc(bolt))
    assert np.allclose(unpack([stored.vector])[0], dense.encode([_doc(bolt)])[0], atol=2e-3)
    dense.remove([f"A{a.pk}" for a in world.achievements])
    matching._state()["seen"].clear()
    matching._state().pop("signature", None)  # the index starts again from the database

    def no_encoding(*args, **kwargs):
        raise AssertionError("the index encoded a record whose vector is stored")

    monkeypatch.setattr(dense, "encode", no_encoding)  # the index must load, not encode
    hits = matching.search("镀锌以后的螺栓放几天就断了")
    assert hits and hits[0].pk == bolt.pk
    assert hits[0].components["cosine"] > 0.5


def test_an_edit_re_encodes_and_a_delete_removes(world, dense, django_capture_on_commit_callbacks):
    motor = world.achievements[1]
    before = _vector(motor)
    with django_capture_on_commit_callbacks(execute=True):
        services.achievement_save(
            user=world.staff,
            instance=motor,
            data={"summary": "锂电池极片涂布厚度在线检测，提高电芯一致性。", "field": "新能源"},
        )
    after = _vector(motor)
    assert after.fingerprint != before.fingerprint and bytes(after.vector) != bytes(before.vector)
    assert matching.search("电池极片涂布不均匀")[0].pk == motor.pk
    motor.delete()
    assert not MatchVector.objects.filter(achievement_id=motor.pk).exists()
    assert motor.pk not in {h.pk for h in matching.search("电池极片涂布不均匀")}


def test_backfill_encodes_only_what_changed_in_a_constant_number_of_queries(dense, world):
    Achievement.objects.bulk_create(  # no post_save: nothing encoded yet
        Achievement(organisation=world.org, title=f"注塑件缩痕控制方法{i}", summary="保压曲线优化")
        for i in range(9)
    )
    assert MatchVector.objects.count() == 3
    with CaptureQueriesContext(connection) as queries:
        done = matching.vectors_refresh(chunk=4)
    assert done == {"records": 12, "encoded": 9}
    # texts (2) + per chunk of 4: stored vectors (1) and at most one upsert (1); savepoints aside
    real = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    assert len(real) <= 2 + 2 * 3
    assert MatchVector.objects.count() == 12
    assert matching.vectors_refresh() == {"records": 12, "encoded": 0}


def test_an_unchanged_index_costs_two_aggregate_queries(django_assert_num_queries):
    staff = make_world().staff
    achievements = make_achievements(staff, make_organisation())  # lexical engine here
    matching.search("螺栓镀锌后断裂")
    with django_assert_num_queries(2):
        assert matching.search("螺栓镀锌后断裂")[0].pk == achievements[0].pk
    Achievement.objects.filter(pk=achievements[0].pk).update(active=False)  # no save signal
    assert achievements[0].pk not in {h.pk for h in matching.search("螺栓镀锌后断裂")}
