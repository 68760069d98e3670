"""Services of the enterprise registry: permissions, invariants, provenance, history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kechuang.core.roles import Role
from kechuang.enterprises import services
from kechuang.enterprises.choices import QualificationKind
from kechuang.enterprises.models import AnnualFigure, Enterprise, Qualification
from kechuang.platforms.models import InstitutionLevel, RDInstitution
from kechuang.platforms.services import institution_create, institution_update

from .factories import make_annual_figure, make_credit_code, make_enterprise, make_town, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return make_town()


@pytest.fixture
def staff():
    return make_user(Role.BUREAU_STAFF)


# ------------------------------------------------------------------ enterprise


def test_staff_creates_enterprise_with_history(staff, town):
    code = make_credit_code()
    e = services.enterprise_create(
        user=staff,
        credit_code=code.lower(),
        name="甲公司",
        town=town,
        industry_code="3411",
    )
    assert e.credit_code == code.upper()
    record = e.history.latest()
    assert record.history_type == "+"
    assert record.history_user == staff


def test_enterprise_create_rejects_wrong_check_character(staff, town):
    good = make_credit_code()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(
            user=staff, credit_code=bad, name="x", town=town, industry_code="3411"
        )
    assert good[17] in " ".join(exc.value.message_dict["credit_code"])
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.TOWN_OFFICER, Role.LEADER, Role.EXPERT, Role.ENTERPRISE, None]
)
def test_non_staff_cannot_create_enterprise(role, town):
    user = make_user(role, town=town)
    with pytest.raises(PermissionDenied):
        services.enterprise_create(
            user=user, credit_code=make_credit_code(), name="x", town=town, industry_code="3411"
        )


def test_enterprise_user_cannot_update_own_enterprise():
    e = make_enterprise()
    user = make_user(Role.ENTERPRISE, enterprise=e)
    with pytest.raises(PermissionDenied):
        services.enterprise_update(enterprise=e, user=user, name="new")


def test_unknown_field_is_a_programming_error(staff):
    e = make_enterprise()
    with pytest.raises(TypeError):
        services.enterprise_update(enterprise=e, user=staff, no_such_field=1)
    with pytest.raises(TypeError):
        services.enterprise_update(enterprise=e, user=staff, created_at=None)


# ------------------------------------------------------------------ annual figures


def test_staff_figure_has_form_provenance(staff):
    e = make_enterprise()
    f = services.annual_figure_create(
        user=staff, enterprise=e, year=2024, rd_expense_stat=Decimal("10.50")
    )
    assert (f.source, f.updated_by) == ("form", staff)
    assert f.history.latest().history_user == staff


def test_enterprise_user_never_writes_the_registry_figures_directly():
    # Its changes go through a reviewed submission (test_submissions.py).
    e = make_enterprise()
    user = make_user(Role.ENTERPRISE, enterprise=e)
    with pytest.raises(PermissionDenied):
        services.annual_figure_create(user=user, enterprise=e, year=2024, operating_revenue=100)
    f = make_annual_figure(e, 2024, operating_revenue=100)
    with pytest.raises(PermissionDenied):
        services.annual_figure_update(figure=f, user=user, operating_revenue=200)
    assert AnnualFigure.objects.get(pk=f.pk).operating_revenue == 100


def test_enterprise_user_cannot_write_other_enterprise_figures():
    own, other = make_enterprise(), make_enterprise()
    user = make_user(Role.ENTERPRISE, enterprise=own)
    with pytest.raises(PermissionDenied):
        services.annual_figure_create(user=user, enterprise=other, year=2024)
    figure = make_annual_figure(other)
    with pytest.raises(PermissionDenied):
        services.annual_figure_update(figure=figure, user=user, operating_revenue=1)
    mine = make_annual_figure(own)
    with pytest.raises(PermissionDenied):
        services.annual_figure_update(figure=mine, user=user, enterprise=other)
    assert AnnualFigure.objects.get(pk=mine.pk).enterprise == own


def test_town_officer_cannot_write_figures_of_own_town():
    e = make_enterprise()
    user = make_user(Role.TOWN_OFFICER, town=e.town)
    with pytest.raises(PermissionDenied):
        services.annual_figure_create(user=user, enterprise=e, year=2024)


def test_figure_invariants_are_field_errors(staff):
    e = make_enterprise()
    with pytest.raises(ValidationError) as exc:
        services.annual_figure_create(
            user=staff,
            enterprise=e,
            year=1900,
            rd_expense_stat=Decimal("-1"),
            employees_year_end=5,
            tech_staff_year_end=6,
            rd_hnte_total=Decimal(10),
            rd_hnte_domestic=Decimal(11),
        )
    errors = exc.value.message_dict
    assert {"year", "rd_expense_stat", "tech_staff_year_end", "rd_hnte_domestic"} <= set(errors)
    assert not AnnualFigure.objects.exists()


def test_duplicate_year_is_a_validation_error(staff):
    e = make_enterprise()
    make_annual_figure(e, 2024)
    with pytest.raises(ValidationError):
        services.annual_figure_create(user=staff, enterprise=e, year=2024)


# ------------------------------------------------------------------ qualifications


def test_high_tech_expiry_defaults_to_three_years_minus_a_day(staff):
    e = make_enterprise()
    q = services.qualification_create(
        user=staff,
        enterprise=e,
        kind=QualificationKind.HIGH_TECH,
        year=2023,
        issue_date=dt.date(2023, 12, 8),
    )
    assert q.expiry_date == dt.date(2026, 12, 7)
    # Moving the issue date moves a default expiry date with it.
    q = services.qualification_update(qualification=q, user=staff, issue_date=dt.date(2023, 11, 1))
    assert q.expiry_date == dt.date(2026, 10, 31)
    # An explicit expiry date is kept.
    q = services.qualification_update(qualification=q, user=staff, expiry_date=dt.date(2025, 1, 1))
    assert Qualification.objects.get(pk=q.pk).expiry_date == dt.date(2025, 1, 1)


def test_high_tech_expiry_from_29_february():
    assert services.high_tech_expiry_date(dt.date(2024, 2, 29)) == dt.date(2027, 2, 27)


def test_other_kinds_have_no_default_expiry(staff):
    q = services.qualification_create(
        user=staff,
        enterprise=make_enterprise(),
        kind=QualificationKind.NATIONAL_TECH_SME,
        year=2024,
        issue_date=dt.date(2024, 5, 1),
    )
    assert q.expiry_date is None


def test_expiry_before_issue_is_rejected(staff):
    with pytest.raises(ValidationError) as exc:
        services.qualification_create(
            user=staff,
            enterprise=make_enterprise(),
            kind=QualificationKind.HIGH_TECH,
            year=2024,
            issue_date=dt.date(2024, 5, 1),
            expiry_date=dt.date(2024, 1, 1),
        )
    assert "issue_date" in exc.value.message_dict


# ------------------------------------------------------------------ IP and institutions


def test_ip_grant_before_application_rejected(staff):
    with pytest.raises(ValidationError) as exc:
        services.ip_create(
            user=staff,
            enterprise=make_enterprise(),
            kind="invention_patent",
            number="ZL1",
            title="t",
            application_date=dt.date(2024, 5, 1),
            grant_date=dt.date(2024, 1, 1),
        )
    assert "application_date" in exc.value.message_dict


def test_institution_create_update_and_unique_level(staff):
    e = make_enterprise()
    inst = institution_create(
        user=staff,
        enterprise=e,
        level=InstitutionLevel.MUNICIPAL_RD_CENTRE,
        name="中心",
        year_recognised=2020,
    )
    assert (inst.source, inst.updated_by) == ("form", staff)
    inst = institution_update(institution=inst, user=staff, status="upgraded")
    assert RDInstitution.objects.get(pk=inst.pk).status == "upgraded"
    with pytest.raises(ValidationError):
        institution_create(
            user=staff,
            enterprise=e,
            level=InstitutionLevel.MUNICIPAL_RD_CENTRE,
            name="again",
            year_recognised=2021,
        )


def test_enterprise_user_cannot_write_institutions():
    e = make_enterprise()
    user = make_user(Role.ENTERPRISE, enterprise=e)
    with pytest.raises(PermissionDenied):
        institution_create(
            user=user,
            enterprise=e,
            level=InstitutionLevel.MUNICIPAL_RD_CENTRE,
            name="x",
            year_recognised=2020,
        )


def test_write_outside_scope_is_rolled_back(monkeypatch, staff):
    """If a write would leave the row outside the user's scope, nothing is saved."""
    e = make_enterprise()
    monkeypatch.setattr(
        "kechuang.enterprises.models.EnterpriseOwnedQuerySet.for_user",
        lambda self, user: self.none(),
    )
    with pytest.raises(PermissionDenied):
        services.annual_figure_create(user=staff, enterprise=e, year=2024)
    assert not AnnualFigure.objects.exists()
