"""`kechuang platforms evaluate --input CASES.jsonl --output RESULTS.jsonl`: no database, one
result a line in the same order, malformed lines as {"id", "error"}, non-zero exit on errors."""

from __future__ import annotations

import json

from kechuang.cli import main

from .test_evaluate import INCUBATOR


def test_cli_evaluates_a_jsonl_file(tmp_path):
    cases = tmp_path / "cases.jsonl"
    results = tmp_path / "results.jsonl"
    lines = [
        json.dumps(
            {"id": "ok", "kind": "incubator", "evaluation_date": "2024-12-31", "facts": INCUBATOR}
        ),
        "",
        json.dumps(
            {
                "id": "g",
                "kind": "graduate",
                "evaluation_date": "2024-12-31",
                "facts": {"angel_vc_wan": 500.5},
            }
        ),
        "{not json",
        json.dumps(
            {"id": "bad", "kind": "maker_space", "evaluation_date": "31/12/2024", "facts": {}}
        ),
    ]
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["platforms", "evaluate", "--input", str(cases), "--output", str(results)]) == 1
    out = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in out] == ["ok", "g", None, "bad"]
    assert out[0]["status"] == "pass" and [c["id"] for c in out[0]["conditions"]][:2] == [
        "I1",
        "I2",
    ]
    assert out[1]["criterion"] == "G2"
    assert "error" in out[2] and "error" in out[3]


def test_exit_status_zero_without_errors(tmp_path):
    cases = tmp_path / "c.jsonl"
    cases.write_text(
        json.dumps(
            {
                "id": 1,
                "kind": "incubatee",
                "evaluation_date": "2024-01-01",
                "facts": {"meets_tech_sme": True},
            }
        )
        + "\n",
        encoding="utf-8",
    )
    assert (
        main(["platforms", "evaluate", "--input", str(cases), "--output", str(tmp_path / "r")]) == 0
    )
    result = json.loads((tmp_path / "r").read_text(encoding="utf-8"))
    assert result["status"] == "unknown"  # the dates are absent
