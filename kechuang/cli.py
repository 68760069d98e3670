"""The `kechuang` console script: Django management commands, plus database-free commands.

`kechuang rules evaluate --input X --output Y` runs the qualification engine on a JSONL file with
no database and no Django set-up (docs/qualification-rules.md#offline-evaluation); `kechuang platforms evaluate`
does the same for platform cases (docs/platforms.md#offline-interface). Everything else is a management
command: `kechuang demo`, `kechuang stats`, `kechuang import`, `kechuang template`, `kechuang serve`,
`kechuang assess`, … (see `kechuang help`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["rules", "evaluate"]:
        import argparse

        from kechuang.qualifications.offline import evaluate_jsonl

        parser = argparse.ArgumentParser(prog="kechuang rules evaluate")
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)
        args = parser.parse_args(argv[2:])
        return evaluate_jsonl(args.input, args.output)
    if argv[:2] == ["platforms", "evaluate"]:
        from kechuang.platforms.offline import main as platforms_evaluate

        return platforms_evaluate(argv[2:])
    if argv[:2] == ["index", "compute"]:  # docs/indicators.md#offline, no database
        import argparse

        from kechuang.indicators.logic.offline import compute

        parser = argparse.ArgumentParser(prog="kechuang index compute")
        for option in ("--meta", "--data", "--method", "--output"):
            parser.add_argument(option, required=True)
        args = parser.parse_args(argv[2:])
        return compute(args.meta, args.data, args.method, args.output)
    if argv[:1] == [
        "match"
    ]:  # demands → ranked achievements, JSONL (docs/matching.md), no database
        from kechuang.matching.offline import main as match_main

        return match_main(argv[1:])
    # Run from the checkout so the default SQLite file and var/ are where `make demo` put them.
    root = Path(__file__).resolve().parent.parent
    if (root / "manage.py").exists():
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kechuang", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
