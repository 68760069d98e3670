"""Build the matching development set's JSONL files from the hand-written topics_*.txt.

    .venv/bin/python benchmarks/data/matching/build.py

Writes demands.jsonl and achievements.jsonl in the offline interface's format
(docs/matching.md#offline-interface) and qrels.jsonl ({"demand_id", "achievement_id", "grade",
"split", "part"}; part = the number of the topics file). Each achievement is judged for the
demand of its block (grade 0 included), and judgements_extra.txt adds the cross-topic ones
found by pooling (docs/matching.md#quality). Demands alternate between the "tune" and "heldout"
splits; achievement ids are shuffled with a fixed seed so that nothing can be read from their
order.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
INSTITUTIONS = [
    "宁波大学",
    "浙江大学宁波科创中心",
    "中国科学院宁波材料技术与工程研究所",
    "宁波工程学院",
    "浙江万里学院",
    "宁波诺丁汉大学",
    "浙江工业大学",
    "上海交通大学宁波人工智能研究院",
]


def parse() -> tuple[list[dict], list[dict], list[dict]]:
    demands, achievements, qrels = [], [], []
    industry = None
    for path in sorted(HERE.glob("topics_*.txt")):
        part = int(path.stem.split("_")[1])
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@"):
                industry = line[1:].strip()
                continue
            if line.startswith("D "):
                title, description = (p.strip() for p in line[2:].split("|"))
                n = len(demands) + 1
                demands.append(
                    {
                        "id": f"D{n:03d}",
                        "title": title,
                        "description": description,
                        "industry": industry,
                        "enterprise": f"示例企业{n:03d}",
                        "_part": part,
                    }
                )
                continue
            grade, rest = line.split(" ", 1)
            field, title, summary, keywords = (p.strip() for p in rest.split("|"))
            achievements.append(
                {
                    "title": title,
                    "summary": summary,
                    "field": field,
                    "keywords": [k for k in keywords.split("、") if k],
                    "institution": INSTITUTIONS[len(achievements) % len(INSTITUTIONS)],
                    "_demand": demands[-1]["id"],
                    "_grade": int(grade),
                }
            )
    order = list(range(len(achievements)))
    random.Random(12).shuffle(order)
    for new_id, index in enumerate(order, start=1):
        achievements[index]["id"] = f"A{new_id:04d}"
    for a in achievements:
        if True:  # every achievement is judged (0/1/2) for the demand it was written for
            qrels.append(
                {"demand_id": a["_demand"], "achievement_id": a["id"], "grade": a["_grade"]}
            )
    qrels += extra_judgements(demands, achievements, qrels)
    splits = {d["id"]: ("tune" if i % 2 == 0 else "heldout") for i, d in enumerate(demands)}
    parts = {d["id"]: d.pop("_part") for d in demands}
    for q in qrels:
        q["split"] = splits[q["demand_id"]]
        q["part"] = parts[q["demand_id"]]
    clean = [
        {k: a[k] for k in ("id", "title", "summary", "field", "keywords", "institution")}
        for a in sorted(achievements, key=lambda a: a["id"])
    ]
    return demands, clean, qrels


def extra_judgements(
    demands: list[dict], achievements: list[dict], qrels: list[dict]
) -> list[dict]:
    """judgements_extra.txt: cross-topic judgements by title (a title names every achievement
    with that title); a pair already judged keeps the higher grade."""
    demand_id = {d["title"]: d["id"] for d in demands}
    by_title: dict[str, list[str]] = {}
    for a in achievements:
        by_title.setdefault(a["title"], []).append(a["id"])
    index = {(q["demand_id"], q["achievement_id"]): q for q in qrels}
    out = []
    for raw in (HERE / "judgements_extra.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        demand, title, grade = (p.strip() for p in line.split("|"))
        if demand not in demand_id or title not in by_title:
            raise SystemExit(f"judgements_extra.txt: unknown title in {line!r}")
        for aid in by_title[title]:
            key = (demand_id[demand], aid)
            if key in index:
                index[key]["grade"] = max(index[key]["grade"], int(grade))
            else:
                index[key] = {"demand_id": key[0], "achievement_id": aid, "grade": int(grade)}
                out.append(index[key])
    return out


def write(rows: list[dict], name: str) -> None:
    with open(HERE / name, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    d, a, q = parse()
    write(d, "demands.jsonl")
    write(a, "achievements.jsonl")
    write(q, "qrels.jsonl")
    print(f"{len(d)} demands, {len(a)} achievements, {len(q)} judgements")
