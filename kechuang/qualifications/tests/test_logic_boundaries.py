"""No Django in logic/; rule-set data is complete and picked by date."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kechuang.qualifications.logic import evaluate_case, get_ruleset, load_rulesets
from kechuang.qualifications.logic.rulesets import STATUSES

from .cases import case17

KECHUANG = Path(__file__).resolve().parents[2]
DJANGO_IMPORT = re.compile(r"^\s*(from|import)\s+django\b", re.MULTILINE)


def test_no_django_imports_in_any_logic_package():
    files = sorted(KECHUANG.glob("*/logic/*.py")) + sorted(KECHUANG.glob("*/logic/**/*.py"))
    assert any("qualifications" in str(f) for f in files)
    offenders = [str(f) for f in files if DJANGO_IMPORT.search(f.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_rule_item_has_clause_status_and_date():
    for rs in load_rulesets():
        for key, item in rs.items.items():
            assert item.clause, key
            assert item.status in STATUSES, key
            assert isinstance(item.effective_from, date), key
        assert "cult.min_sales_growth" in rs.unconfirmed()
        assert rs["cult.min_sales_growth"].pending_verification


def test_ruleset_picked_by_date():
    assert get_ruleset(date(2026, 5, 1)).version == "2016+2017"
    with pytest.raises(LookupError):
        get_ruleset(date(2010, 1, 1))


def test_unconfirmed_tiers_say_so():
    tiers = evaluate_case(case17())["tiers"]
    for key in ("rd_institution", "unicorn"):
        assert tiers[key]["status"] == "unknown" and tiers[key]["reason"]
        assert tiers[key]["basis"] == "UNCONFIRMED"
    cult = tiers["cultivation"]
    assert cult["provisional"] is True and all(
        c.get("pending_verification") for c in cult["conditions"]
    )
    assert "待政策核实" in cult["note_zh"]
    assert tiers["tech_sme_provincial"]["basis"] == "SECONDARY"


def test_every_condition_has_label_and_clause():
    for tier in evaluate_case(case17())["tiers"].values():
        for c in tier["conditions"]:
            assert set(c) >= {"id", "status", "value", "op", "threshold", "clause", "label_zh"}
            assert c["label_zh"] and c["clause"]
