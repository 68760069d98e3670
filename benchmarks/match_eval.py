"""nDCG@10 of the matching engine on the judged development set (benchmarks/data/matching/).

100 colloquial demands × 400 mechanism-language achievements, graded 0/1/2, split by demand into
a "tune" half (used to choose the fusion weights) and a "heldout" half (not used for tuning);
"heldout_new" is the held-out part of the 38 topics written last (topics_4.txt).
Configurations, all on the same index:

  bm25     BM25 on jieba tokens only (no lexicon expansion, no field/industry signal)
  bm25x    BM25 with the symptom→mechanism lexicon expansion
  dense    multilingual-e5-small cosine alone
  rrf      naive reciprocal-rank fusion of bm25 and dense (k = 60)
  fusion   the engine's default: weighted fusion of normalised scores + expansion + signals

The LAST line printed is one JSON object {config: {"tune", "heldout", "all"}, ...}.

``--passage-chars 200,64,48`` instead re-indexes the achievements with each limit on the text the
encoder sees (Weights.passage_chars) and reports the fusion's and e5's nDCG@10 and the indexing
rate for each (docs/matching.md#speed).

Usage: python benchmarks/match_eval.py [--lexical] [--grid] [--threads N] [--passage-chars N,…]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kechuang.matching import Engine  # noqa: E402
from kechuang.matching.evaluation import mean_ndcg, ndcg_at_k  # noqa: E402
from kechuang.matching.offline import achievement_doc, demand_doc  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "matching"
# topics_4.txt was written after the engine's weights had been chosen: its held-out demands are
# reported on their own as well ("heldout_new")
NEW_PART = 4


def load() -> tuple[list, list, dict[str, dict[str, dict[str, int]]]]:
    read = lambda name: [  # noqa: E731
        json.loads(x) for x in (DATA / name).read_text(encoding="utf-8").splitlines() if x.strip()
    ]
    demands = [demand_doc(x) for x in read("demands.jsonl")]
    achievements = [achievement_doc(x) for x in read("achievements.jsonl")]
    qrels: dict[str, dict[str, dict[str, int]]] = {
        "tune": {},
        "heldout": {},
        "heldout_new": {},
        "all": {},
    }
    for q in read("qrels.jsonl"):
        splits = [q["split"], "all"]
        if q["split"] == "heldout" and q.get("part", 0) >= NEW_PART:
            splits.append("heldout_new")
        for split in splits:
            qrels[split].setdefault(q["demand_id"], {})[q["achievement_id"]] = q["grade"]
    return demands, achievements, qrels


CONFIGS = {
    "bm25": dict(dense=0.0, lexical=1.0, field=0.0, industry=0.0, expansion=0.0),
    "bm25x": dict(dense=0.0, lexical=1.0, field=0.0, industry=0.0),
    "dense": dict(dense=1.0, lexical=0.0, field=0.0, industry=0.0, expansion=0.0),
    "fusion": {},
}


def run(engine: Engine, demands: list, top: int = 10) -> dict[str, list[str]]:
    return {d.id: [m.id for m in engine.search(d, top=top, kind="achievement")] for d in demands}


def scores(runs: dict[str, list[str]], qrels: dict) -> dict[str, float]:
    return {split: round(mean_ndcg(runs, q), 4) for split, q in qrels.items()}


def rrf(a: dict[str, list[str]], b: dict[str, list[str]], k: int = 60) -> dict[str, list[str]]:
    out = {}
    for qid in a:
        score: dict[str, float] = defaultdict(float)
        for ranking in (a[qid], b[qid]):
            for rank, item in enumerate(ranking):
                score[item] += 1.0 / (k + rank + 1)
        out[qid] = sorted(score, key=lambda x: -score[x])[:10]
    return out


GRID = {
    "dense": (0.5, 0.6, 0.7),
    "lexical": (0.2, 0.3, 0.4),
    "signals": (0.0, 0.05, 0.1),
    "expansion": (0.2, 0.4, 0.6),
    "dense_floor": (0.3, 0.5, 0.7),
}
FOLDS = 5


def cross_validated_grid(engine: Engine, demands: list, qrels: dict) -> dict:
    """Choose the fusion weights on the tune half only, by 5-fold cross-validation over its
    demands: for each fold the grid point best on the other four folds is scored on it (the
    mean is the cross-validated estimate); the weights reported as chosen are those best on
    the whole tune half. The held-out half is scored for the chosen point only."""
    base = engine.weights
    tune = sorted(qrels["tune"])
    per_query: dict[tuple, dict[str, float]] = {}
    wanted = [d for d in demands if d.id in qrels["tune"]]
    for point in itertools.product(*GRID.values()):
        dn, lx, sg, ex, fl = point
        engine.weights = dataclasses.replace(
            base, dense=dn, lexical=lx, field=sg, industry=sg, expansion=ex, dense_floor=fl
        )
        runs = run(engine, wanted)
        per_query[point] = {q: ndcg_at_k(runs[q], qrels["tune"][q]) for q in tune}
    folds = [tune[i::FOLDS] for i in range(FOLDS)]
    cv, picks = [], []
    for fold in folds:
        train = [q for q in tune if q not in fold]
        best = max(per_query, key=lambda p: sum(per_query[p][q] for q in train))
        picks.append(best)
        cv.extend(per_query[best][q] for q in fold)
    chosen = max(per_query, key=lambda p: sum(per_query[p].values()))
    dn, lx, sg, ex, fl = chosen
    engine.weights = dataclasses.replace(
        base, dense=dn, lexical=lx, field=sg, industry=sg, expansion=ex, dense_floor=fl
    )
    chosen_scores = scores(run(engine, demands), qrels)
    engine.weights = base
    named = lambda p: dict(zip(GRID, p, strict=True))  # noqa: E731
    print(f"cross-validated nDCG@10 on the tune half: {sum(cv) / len(cv):.4f}")
    for i, p in enumerate(picks):
        print(f"  fold {i + 1} picks {named(p)}")
    print(f"chosen on the whole tune half: {named(chosen)} -> {chosen_scores}")
    return {
        "cv_tune": round(sum(cv) / len(cv), 4),
        "fold_picks": [named(p) for p in picks],
        "chosen": named(chosen),
        "chosen_scores": chosen_scores,
    }


def evaluate(engine: Engine, demands: list, qrels: dict, grid: bool = False) -> dict:
    base = engine.weights
    results: dict[str, dict] = {}
    deep: dict[str, dict[str, list[str]]] = {}
    for name, change in CONFIGS.items():
        if engine.mode == "lexical" and name == "dense":
            continue
        engine.weights = dataclasses.replace(base, **change)
        runs = run(engine, demands, top=100 if name in ("bm25", "dense") else 10)
        deep[name] = runs
        results[name] = scores({q: r[:10] for q, r in runs.items()}, qrels)
    if "dense" in deep:
        results["rrf"] = scores(rrf(deep["bm25"], deep["dense"]), qrels)
    if grid:
        results["_grid"] = cross_validated_grid(engine, demands, qrels)
    engine.weights = base
    return results


def compare_passage_limits(
    engine: Engine, demands: list, achievements: list, qrels: dict, limits: list[int]
) -> int:
    """nDCG@10 (fusion, e5 alone) and indexing rate with each limit on the encoder's text."""
    base = engine.weights
    out: dict[str, dict] = {}
    for limit in limits:
        engine.weights = dataclasses.replace(base, passage_chars=limit)
        engine.remove([a.id for a in achievements])
        t0, c0 = time.perf_counter(), time.process_time()
        engine.add(achievements)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        row: dict = {
            "mean_chars": round(
                sum(len(engine.passage_text(a)) for a in achievements) / len(achievements), 1
            ),
            "items_per_s": round(len(achievements) / wall, 1),
            "cpu_s": round(cpu, 1),
        }
        for name in ("fusion", "dense"):
            engine.weights = dataclasses.replace(base, passage_chars=limit, **CONFIGS[name])
            row[name] = scores(run(engine, demands), qrels)
        out[str(limit)] = row
        print(
            f"passage_chars {limit}: {row['mean_chars']} chars, {row['items_per_s']} items/s, "
            f"fusion all {row['fusion']['all']:.4f} heldout {row['fusion']['heldout']:.4f}, "
            f"e5 all {row['dense']['all']:.4f}",
            flush=True,
        )
    engine.weights = base
    out["_meta"] = {"load_average_1m": round(__import__("os").getloadavg()[0], 2)}
    print(json.dumps(out, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lexical", action="store_true", help="no dense model")
    parser.add_argument(
        "--grid",
        action="store_true",
        help="choose the fusion weights on the tune half by cross-validation",
    )
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--passage-chars", help="comma-separated limits to compare")
    args = parser.parse_args(argv)
    demands, achievements, qrels = load()
    engine = Engine(dense=not args.lexical, threads=args.threads)
    if args.passage_chars:
        return compare_passage_limits(
            engine, demands, achievements, qrels, [int(x) for x in args.passage_chars.split(",")]
        )
    t0 = time.perf_counter()
    engine.add(achievements)
    index_s = time.perf_counter() - t0
    results = evaluate(engine, demands, qrels, grid=args.grid)
    for name, s in results.items():
        if name.startswith("_"):
            continue
        print(
            f"{name:8s} tune {s['tune']:.4f}  heldout {s['heldout']:.4f}  "
            f"heldout_new {s['heldout_new']:.4f}  all {s['all']:.4f}"
        )
    results["_meta"] = {
        "demands": len(demands),
        "achievements": len(achievements),
        "mode": engine.mode,
        "index_s": round(index_s, 2),
    }
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
