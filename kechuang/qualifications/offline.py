"""Offline evaluation interface (docs/qualification-rules.md#offline-evaluation): ``kechuang rules evaluate --input X --output Y``.

No database: each input line is one JSON case; each output line is the result object for
that case (same ``id``, same order).  A malformed line produces ``{"id": ..., "error": "..."}``
and the run goes on; the exit status is 1 if any line had an error, else 0.

Also runnable as ``python -m kechuang.qualifications.offline --input X --output Y``.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from .logic.evaluate import evaluate_case


def _default(obj):
    if isinstance(obj, Decimal):
        return float(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def evaluate_line(line: str) -> tuple[dict, bool]:
    """Evaluate one JSONL line; returns (output object, ok)."""
    case_id = None
    try:
        case = json.loads(line, parse_float=Decimal)
        if isinstance(case, dict):
            case_id = case.get("id")
        return evaluate_case(case), True
    except Exception as exc:  # any malformed line → error object, keep going
        return {"id": case_id, "error": f"{type(exc).__name__}: {exc}"}, False


def evaluate_jsonl(input_path: str | Path, output_path: str | Path) -> int:
    """Evaluate every non-blank line of ``input_path`` into ``output_path``; return exit status."""
    errors = 0
    with (
        open(input_path, encoding="utf-8") as src,
        open(output_path, "w", encoding="utf-8") as dst,
    ):
        for line in src:
            if not line.strip():
                continue
            result, ok = evaluate_line(line)
            errors += not ok
            dst.write(json.dumps(result, ensure_ascii=False, default=_default) + "\n")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    """CLI entry point (``--input``/``--output``)."""
    parser = argparse.ArgumentParser(
        prog="kechuang rules evaluate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--input", required=True, help="cases, one JSON object per line")
    parser.add_argument("--output", required=True, help="results, one JSON object per line")
    args = parser.parse_args(argv)
    return evaluate_jsonl(args.input, args.output)


if __name__ == "__main__":
    sys.exit(main())
