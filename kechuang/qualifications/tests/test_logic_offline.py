"""Offline JSONL interface (docs/qualification-rules.md#offline-evaluation)."""

from __future__ import annotations

import json
import subprocess
import sys

from kechuang.qualifications.offline import evaluate_jsonl

from .cases import CASE_17


def test_jsonl_round_trip_and_errors(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [
        json.dumps(CASE_17),
        '{"id": "bad-date", "application_date": "2026-13-01"}',
        "{not json",
        json.dumps({"id": "c2", "application_date": "2026-05-01"}),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert evaluate_jsonl(src, dst) == 1
    out = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in out] == ["case-17", "bad-date", None, "c2"]
    assert out[0]["tiers"]["tech_sme_national"]["score"] == 84
    assert out[0]["tiers"]["high_tech"]["score_range"] == [66, 74]
    assert out[0]["tiers"]["high_tech"]["status"] == "borderline"
    assert "error" in out[1] and "error" in out[2]
    assert out[3]["tiers"]["tech_sme_national"]["status"] == "unknown"  # absent = unknown


def test_exit_zero_without_errors(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps(CASE_17) + "\n", encoding="utf-8")
    assert evaluate_jsonl(src, dst) == 0


def test_module_cli(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps(CASE_17) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kechuang.qualifications.offline",
            "--input",
            str(src),
            "--output",
            str(dst),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(dst.read_text(encoding="utf-8"))["id"] == "case-17"


def test_expert_point_above_maximum_is_an_error(tmp_path):
    case = json.loads(json.dumps(CASE_17))
    case["expert_inputs"]["ip_advancement"] = 9
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps(case) + "\n", encoding="utf-8")
    assert evaluate_jsonl(src, dst) == 1
