"""`kechuang match` on JSONL files, no database (docs/matching.md#offline-interface)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kechuang.cli import main as kechuang_main
from kechuang.matching import LEXICAL_ONLY_NOTE, Engine
from kechuang.matching.offline import match_jsonl

DEMANDS = [
    {
        "id": "D1",
        "title": "镀锌螺栓会断",
        "description": "镀锌以后放两天就断",
        "industry": "紧固件",
    },
    {"id": "D2", "title": "衣服掉色", "description": "洗两次就掉色", "enterprise": "某服饰"},
]
ACHIEVEMENTS = [
    {
        "id": "A1",
        "title": "紧固件氢脆与除氢",
        "summary": "电镀后延迟断裂的控制",
        "field": "材料科学",
        "keywords": ["氢脆"],
        "institution": "宁波大学",
    },
    {
        "id": "A2",
        "title": "活性染料固色",
        "summary": "提高色牢度",
        "field": "纺织工程",
        "keywords": [],
    },
    {"id": "A3", "title": "注塑翘曲", "summary": "模流分析", "keywords": "模流分析、保压"},
]


def _write(path, rows):
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows)
        + "\n",
        encoding="utf-8",
    )


@pytest.fixture()
def files(tmp_path):
    d, a, o = tmp_path / "d.jsonl", tmp_path / "a.jsonl", tmp_path / "out.jsonl"
    _write(d, DEMANDS)
    _write(a, ACHIEVEMENTS)
    return d, a, o


def _read(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_round_trip(files):
    d, a, o = files
    assert match_jsonl(d, a, o, top=2, engine=Engine(dense=False)) == 0
    out = _read(o)
    assert [r["demand_id"] for r in out] == ["D1", "D2"]
    assert out[0]["ranked"][0] == "A1" and out[1]["ranked"][0] == "A2"
    for row in out:
        assert len(row["ranked"]) == len(row["scores"]) == len(row["why"]) == 2
        assert row["scores"] == sorted(row["scores"], reverse=True)
        assert all(isinstance(w, str) and w for w in row["why"])


def test_bad_lines_give_error_lines_and_exit_1(files, capsys):
    d, a, o = files
    _write(d, [DEMANDS[0], "{not json", {"id": "", "title": "x"}, [1, 2], DEMANDS[1]])
    _write(
        a,
        [
            *ACHIEVEMENTS,
            {"id": "A9", "summary": "no title"},
            {"id": "A8", "title": "t", "keywords": 5},
        ],
    )
    assert match_jsonl(d, a, o, engine=Engine(dense=False)) == 1
    out = _read(o)
    assert out[0] == {
        "achievement_id": "A9",
        "line": 4,
        "error": "ValueError: missing field 'title'",
    }
    assert out[1]["achievement_id"] == "A8" and "keywords" in out[1]["error"]
    rows = out[2:]
    assert [r.get("demand_id") for r in rows] == ["D1", None, "", None, "D2"]
    assert [("error" in r) for r in rows] == [False, True, True, True, False]
    assert rows[1]["line"] == 2 and "JSONDecodeError" in rows[1]["error"]
    assert "achievements line 4" in capsys.readouterr().err


def test_console_script_wiring(files):
    d, a, o = files
    args = ["match", "--demands", str(d), "--achievements", str(a), "--output", str(o)]
    assert kechuang_main([*args, "--top", "1", "--lexical"]) == 0
    assert [len(r["ranked"]) for r in _read(o)] == [1, 1]
    assert all(LEXICAL_ONLY_NOTE in r["why"][0] for r in _read(o))
    with pytest.raises(SystemExit) as exc:
        kechuang_main(
            [
                "match",
                "--demands",
                "/nonexistent.jsonl",
                "--achievements",
                str(a),
                "--output",
                str(o),
            ]
        )
    assert exc.value.code == 2


def test_module_cli_needs_no_django(files):
    d, a, o = files
    code = (
        "import sys; from kechuang.matching.offline import main; rc = main(sys.argv[1:]); "
        "assert not any(m.startswith('django') for m in sys.modules), 'django imported'; "
        "sys.exit(rc)"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "--demands",
            str(d),
            "--achievements",
            str(a),
            "--output",
            str(o),
            "--lexical",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(_read(o)) == 2
