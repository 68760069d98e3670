"""The composite index without a database: read COINr-style metadata and data CSV files and a
methodology JSON file, run the pipeline, write one row per unit (docs/indicators.md#offline).

META.csv: ``iCode, iName, direction, weight, <parent columns, lowest level first>, unit,
denominator`` (optional ``target``, ``lower``, ``upper``); rows whose iCode is an aggregate set
that aggregate's weight. DATA.csv: ``uCode, uName`` (optional ``Time``), group columns, one
column per indicator, the denominator columns. RESULTS.csv: ``uCode`` (``Time`` when several
years), then ``<node>_score, <node>_rank`` for every aggregate, the index included.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import polars as pl

from .methodology import Methodology, parse
from .pipeline import Panel, PipelineResult, run
from .tree import ROOT, Tree

__all__ = ["META_FIXED", "read_meta", "read_data", "read_method", "compute", "write_results"]

META_FIXED = ("iCode", "iName", "direction", "weight")
META_TAIL = ("unit", "denominator", "target", "lower", "upper")


def read_meta(path: str | Path, *, root: str = ROOT) -> Tree:
    """The tree of a META.csv file (parent columns: those between `weight` and `unit`)."""
    frame = pl.read_csv(path, infer_schema_length=0)
    cols = frame.columns
    missing = [c for c in META_FIXED if c not in cols]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    start = cols.index("weight") + 1
    stop = min((cols.index(c) for c in META_TAIL if c in cols), default=len(cols))
    parents = cols[start:stop]
    if not parents:
        raise ValueError(f"{path}: no parent column between weight and unit")
    return Tree.from_meta(frame.to_dicts(), parents, root=root)


def read_data(path: str | Path, tree: Tree) -> Panel:
    """The panel of a DATA.csv file for the indicators of `tree`."""
    frame = pl.read_csv(path, infer_schema_length=0, null_values=["", "NA", "NaN"])
    if "uCode" not in frame.columns:
        raise ValueError(f"{path}: no uCode column")
    missing = [c for c in tree.indicators if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: no column for indicator(s) {', '.join(missing)}")
    denoms = {tree.nodes[c].denominator for c in tree.indicators} - {None}
    reserved = {"uCode", "uName", "Time", *tree.indicators, *denoms}

    def numbers(col: str) -> np.ndarray:
        try:
            return frame[col].cast(pl.Float64).to_numpy().astype(float)
        except pl.exceptions.InvalidOperationError as exc:
            raise ValueError(f"{path}: column {col} is not numeric") from exc

    return Panel(
        units=np.array(frame["uCode"].to_list(), dtype=object),
        values=np.column_stack([numbers(c) for c in tree.indicators]),
        indicators=list(tree.indicators),
        years=(frame["Time"].cast(pl.Int64).to_numpy() if "Time" in frame.columns else None),
        denominators={d: numbers(d) for d in denoms if d in frame.columns},
        groups={
            c: np.array(frame[c].to_list(), dtype=object)
            for c in frame.columns
            if c not in reserved
        },
    )


def read_method(path: str | Path) -> Methodology:
    return parse(json.loads(Path(path).read_text(encoding="utf-8")))


def write_results(result: PipelineResult, path: str | Path) -> None:
    header, rows = result.table()
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow(["NA" if v is None else (repr(v) if isinstance(v, float) else v)
                        for v in row])  # fmt: skip


def compute(meta: str | Path, data: str | Path, method: str | Path, output: str | Path) -> int:
    """`kechuang index compute`: 0 on success, 2 with a message on stderr on bad input."""
    import sys

    try:
        tree = read_meta(meta)
        result = run(tree, read_method(method), read_data(data, tree))
    except (ValueError, OSError, pl.exceptions.PolarsError) as exc:
        print(f"kechuang index compute: {exc}", file=sys.stderr)
        return 2
    write_results(result, output)
    return 0
