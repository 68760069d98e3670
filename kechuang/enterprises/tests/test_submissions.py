"""Enterprise yearly-figure submissions: draft → submitted → returned / accepted, reviewed by the
bureau; only an accepted submission changes the registry and the region's R&D totals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from kechuang.core.roles import Role
from kechuang.enterprises import services
from kechuang.enterprises.choices import SubmissionStatus
from kechuang.enterprises.models import AnnualFigure, FigureSubmission
from kechuang.rnd.selectors import rd_aggregates

from .factories import make_annual_figure, make_enterprise, make_town, make_user

pytestmark = pytest.mark.django_db

S = "/api/v1/enterprises/figure-submissions/"
F = "/api/v1/enterprises/annual-figures/"


@pytest.fixture
def world():
    town_a, town_b = make_town("甲镇"), make_town("乙镇")
    ea = make_enterprise(town=town_a, industry_code="3411")
    eb = make_enterprise(town=town_b, industry_code="3411")
    fa = make_annual_figure(
        ea, 2024, is_above_scale_industrial=True, rd_expense_stat=Decimal("1000000")
    )
    make_annual_figure(eb, 2024, is_above_scale_industrial=True, rd_expense_stat=Decimal("500000"))
    return {
        "ea": ea,
        "eb": eb,
        "fa": fa,
        "staff": make_user(Role.BUREAU_STAFF),
        "user_a": make_user(Role.ENTERPRISE, enterprise=ea),
        "user_b": make_user(Role.ENTERPRISE, enterprise=eb),
        "officer_a": make_user(Role.TOWN_OFFICER, town=town_a),
        "officer_b": make_user(Role.TOWN_OFFICER, town=town_b),
        "leader": make_user(Role.LEADER),
    }


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def region_rd(year=2024):
    return rd_aggregates(year)["rd_expense_above_scale_yuan"]


# ------------------------------------------------------------------ the audit's case


def test_enterprise_patch_of_official_field_is_refused_and_registry_unchanged(world):
    client = api(world["user_a"])
    figure = world["fa"]
    response = client.patch(f"{F}{figure.pk}/", {"is_above_scale_industrial": False}, format="json")
    assert response.status_code == 403
    response = client.patch(f"{F}{figure.pk}/", {"rd_expense_stat": "900000000000"}, format="json")
    assert response.status_code == 403
    figure.refresh_from_db()
    assert figure.is_above_scale_industrial is True
    assert figure.rd_expense_stat == Decimal("1000000")


def test_enterprise_cannot_create_registry_figures_through_the_api(world):
    response = api(world["user_a"]).post(
        F, {"enterprise": world["ea"].credit_code, "year": 2025}, format="json"
    )
    assert response.status_code == 403
    assert not AnnualFigure.objects.filter(enterprise=world["ea"], year=2025).exists()


def test_region_total_moves_only_when_the_bureau_accepts(world):
    before = region_rd()
    client = api(world["user_a"])
    created = client.post(S, {"year": 2024, "rd_expense_stat": "900000000000.00"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft"
    assert region_rd() == before
    pk = created.json()["id"]
    assert client.post(f"{S}{pk}/submit/").json()["status"] == "submitted"
    assert region_rd() == before
    # the enterprise cannot accept its own submission
    assert client.post(f"{S}{pk}/accept/").status_code == 403
    accepted = api(world["staff"]).post(f"{S}{pk}/accept/")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    assert region_rd() == before - Decimal("1000000") + Decimal("900000000000")


def test_official_field_sent_in_a_submission_is_a_field_error(world):
    response = api(world["user_a"]).post(
        S, {"year": 2024, "is_above_scale_industrial": False}, format="json"
    )
    assert response.status_code == 400
    assert "is_above_scale_industrial" in response.json()
    assert not FigureSubmission.objects.exists()


# ------------------------------------------------------------------ workflow (services)


TRANSITIONS = [
    # (status before, action, allowed)
    ("draft", "submit", True),
    ("draft", "return", False),
    ("draft", "accept", False),
    ("submitted", "submit", False),
    ("submitted", "return", True),
    ("submitted", "accept", True),
    ("returned", "submit", True),
    ("returned", "accept", False),
    ("returned", "return", False),
]


def _make(world, status):
    submission = services.submission_save(
        user=world["user_a"], enterprise=world["ea"], year=2025, operating_revenue=100
    )
    if status in ("submitted", "returned"):
        services.submission_submit(submission=submission, user=world["user_a"])
    if status == "returned":
        services.submission_return(submission=submission, user=world["staff"], reason="缺附件")
    submission.refresh_from_db()
    assert submission.status == status
    return submission


@pytest.mark.parametrize("status,action,allowed", TRANSITIONS)
def test_transitions_table(world, status, action, allowed):
    submission = _make(world, status)
    call = {
        "submit": lambda: services.submission_submit(submission=submission, user=world["user_a"]),
        "return": lambda: services.submission_return(
            submission=submission, user=world["staff"], reason="请核对"
        ),
        "accept": lambda: services.submission_accept(submission=submission, user=world["staff"]),
    }[action]
    if allowed:
        call()
        submission.refresh_from_db()
        assert submission.status == services.TRANSITIONS[action][1]
    else:
        with pytest.raises(ValidationError):
            call()
        submission.refresh_from_db()
        assert submission.status == status


def test_return_needs_a_reason_and_only_staff_review(world):
    submission = _make(world, "submitted")
    with pytest.raises(ValidationError) as exc:
        services.submission_return(submission=submission, user=world["staff"], reason="  ")
    assert "reason" in exc.value.message_dict
    for who in ("user_a", "officer_a", "leader"):
        with pytest.raises(PermissionDenied):
            services.submission_accept(submission=submission, user=world[who])
        with pytest.raises(PermissionDenied):
            services.submission_return(submission=submission, user=world[who], reason="x")


def test_accept_writes_figures_keeps_official_fields_and_is_audited(world):
    figure = world["fa"]
    submission = services.submission_save(
        user=world["user_a"],
        enterprise=world["ea"],
        year=2024,
        submit=True,
        operating_revenue=Decimal("60000000"),
        rd_expense_stat=Decimal("2000000"),
    )
    services.submission_accept(submission=submission, user=world["staff"])
    figure.refresh_from_db()
    assert figure.rd_expense_stat == Decimal("2000000")
    assert figure.is_above_scale_industrial is True  # official, never from the enterprise
    assert figure.source == "enterprise"
    latest = figure.history.latest()
    assert latest.history_user == world["staff"]
    assert f"#{submission.pk}" in latest.history_change_reason
    submission.refresh_from_db()
    assert submission.figure == figure and submission.reviewer == world["staff"]
    steps = list(submission.history.order_by("history_date").values_list("status", flat=True))
    assert steps == ["submitted", "accepted"]


def test_submission_values_are_validated_like_the_registry(world):
    with pytest.raises(ValidationError) as exc:
        services.submission_save(
            user=world["user_a"],
            enterprise=world["ea"],
            year=2099,
            operating_revenue=Decimal("-1"),
            employees_year_end=5,
            tech_staff_year_end=6,
        )
    errors = exc.value.message_dict
    assert {"year", "operating_revenue", "tech_staff_year_end"} <= set(errors)
    assert not FigureSubmission.objects.exists()


def test_enterprise_writes_only_its_own_submissions(world):
    with pytest.raises(PermissionDenied):
        services.submission_save(user=world["user_a"], enterprise=world["eb"], year=2025)
    for who in ("officer_a", "leader", "staff"):
        with pytest.raises(PermissionDenied):
            services.submission_save(user=world[who], enterprise=world["ea"], year=2025)


# ------------------------------------------------------------------ scoping


def test_scoping_of_submissions(world):
    sa = _make(world, "submitted")
    sb = services.submission_save(user=world["user_b"], enterprise=world["eb"], year=2025)
    seen = {
        who: {row["id"] for row in api(world[who]).get(S).json()["results"]}
        for who in ("staff", "user_a", "user_b", "officer_a", "officer_b", "leader")
    }
    assert seen == {
        "staff": {sa.pk, sb.pk},
        "user_a": {sa.pk},
        "user_b": {sb.pk},
        "officer_a": {sa.pk},
        "officer_b": {sb.pk},
        "leader": set(),
    }
    # another enterprise's submission answers as if it did not exist
    assert api(world["user_b"]).get(f"{S}{sa.pk}/").status_code == 404
    assert api(world["user_b"]).patch(f"{S}{sa.pk}/", {"operating_revenue": "1"}).status_code == 404
    # a town officer reads its town's submissions but cannot review or change them
    assert api(world["officer_a"]).post(f"{S}{sa.pk}/accept/").status_code == 403
    assert (
        api(world["officer_a"]).patch(f"{S}{sa.pk}/", {"operating_revenue": "1"}).status_code == 403
    )


def test_staff_return_with_reason_through_the_api(world):
    sa = _make(world, "submitted")
    staff = api(world["staff"])
    assert staff.post(f"{S}{sa.pk}/return/", {"reason": ""}, format="json").status_code == 400
    response = staff.post(f"{S}{sa.pk}/return/", {"reason": "研发费用与台账不符"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert response.json()["reason"] == "研发费用与台账不符"
    # the enterprise fixes and resubmits
    client = api(world["user_a"])
    assert (
        client.patch(f"{S}{sa.pk}/", {"operating_revenue": "200"}, format="json").status_code == 200
    )
    assert client.post(f"{S}{sa.pk}/submit/").json()["status"] == "submitted"


# ------------------------------------------------------------------ HTML pages


def test_enterprise_form_saves_a_draft_then_submits(client, world):
    client.force_login(world["user_a"])
    url = f"/enterprises/{world['ea'].pk}/figures/2025/"
    page = client.get(url)
    assert page.status_code == 200
    assert "is_above_scale_industrial" not in page.context["form"].fields
    draft = client.post(url, {"operating_revenue": "1000", "draft": "1"})
    assert draft.status_code == 302
    submission = FigureSubmission.objects.get(enterprise=world["ea"], year=2025)
    assert submission.status == SubmissionStatus.DRAFT
    assert not AnnualFigure.objects.filter(enterprise=world["ea"], year=2025).exists()
    sent = client.post(url, {"operating_revenue": "0.12", "submit": "1"})  # 万元
    assert sent.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.operating_revenue == Decimal("1200")
    # posting an official field is ignored: it is not in the enterprise's form
    client.post(url, {"operating_revenue": "1", "is_above_scale_industrial": "on", "submit": "1"})
    assert not AnnualFigure.objects.filter(enterprise=world["ea"], year=2025).exists()


def test_review_pages(client, world):
    sa = _make(world, "submitted")
    client.force_login(world["staff"])
    listing = client.get("/enterprises/submissions/")
    assert listing.status_code == 200 and sa in list(listing.context["page"])
    detail = client.get(f"/enterprises/submissions/{sa.pk}/")
    assert detail.status_code == 200 and detail.context["can_review"]
    review = f"/enterprises/submissions/{sa.pk}/review/"
    client.post(review, {"action": "return", "reason": ""})
    sa.refresh_from_db()
    assert sa.status == SubmissionStatus.SUBMITTED  # a reason is required
    client.post(review, {"action": "accept"})
    sa.refresh_from_db()
    assert sa.status == SubmissionStatus.ACCEPTED
    assert AnnualFigure.objects.get(enterprise=world["ea"], year=2025).operating_revenue == 100


def test_review_pages_are_scoped(client, world):
    sa = _make(world, "submitted")
    client.force_login(world["officer_b"])
    assert client.get(f"/enterprises/submissions/{sa.pk}/").status_code == 404
    client.force_login(world["officer_a"])
    page = client.get(f"/enterprises/submissions/{sa.pk}/")
    assert page.status_code == 200 and not page.context["can_review"]
    assert (
        client.post(f"/enterprises/submissions/{sa.pk}/review/", {"action": "accept"}).status_code
        == 403
    )
    client.force_login(world["leader"])
    assert client.get("/enterprises/submissions/").status_code == 403
    sa.refresh_from_db()
    assert sa.status == SubmissionStatus.SUBMITTED
