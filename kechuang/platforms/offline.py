"""Offline evaluation of platform cases (docs/platforms.md#offline-interface):
``kechuang platforms evaluate --input CASES.jsonl --output RESULTS.jsonl``.

No database and no Django: each input line is one case, each output line its result (same
``id``, same order). A malformed line gives ``{"id", "error"}`` and the run goes on; the exit
status is 1 if any line had an error, else 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from .logic.evaluate import evaluate_case

__all__ = ["evaluate_jsonl", "evaluate_line", "main"]


def evaluate_line(line: str) -> tuple[dict, bool]:
    """Evaluate one JSONL line; returns (output object, ok)."""
    case_id = None
    try:
        case = json.loads(line, parse_float=Decimal)
        if isinstance(case, dict):
            case_id = case.get("id")
        return evaluate_case(case), True
    except Exception as exc:  # any malformed line → an error object, the run goes on
        return {"id": case_id, "error": f"{type(exc).__name__}: {exc}"}, False


def evaluate_jsonl(input_path: str | Path, output_path: str | Path) -> int:
    """Evaluate every non-blank line of ``input_path`` into ``output_path``; the exit status."""
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
            dst.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kechuang platforms evaluate")
    parser.add_argument("--input", required=True, help="cases, one JSON object per line")
    parser.add_argument("--output", required=True, help="results, one JSON object per line")
    args = parser.parse_args(argv)
    return evaluate_jsonl(args.input, args.output)


if __name__ == "__main__":
    sys.exit(main())
