"""Enterprise yearly-figure submissions (docs/portal.md#workflow): draft → submitted → passed by
the town officer of the enterprise's town (or returned) → accepted by the bureau (or returned);
only an accepted submission changes the registry and the region's R&D totals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from kechuang.core.models import DataSource
from kechuang.core.roles import Role
from kechuang.enterprises import submissions
from kechuang.enterprises.choices import SubmissionStatus
from kechuang.enterprises.logic import submission as flow
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
    # the enterprise cannot review its own submission; the bureau not before the town
    assert client.post(f"{S}{pk}/town-pass/").status_code == 403
    assert client.post(f"{S}{pk}/accept/").status_code == 403
    assert api(world["staff"]).post(f"{S}{pk}/accept/").status_code == 400
    assert api(world["staff"]).post(f"{S}{pk}/town-pass/").status_code == 403
    passed = api(world["officer_a"]).post(f"{S}{pk}/town-pass/", {"note": "已核"}, format="json")
    assert passed.status_code == 200 and passed.json()["status"] == "town_passed"
    assert region_rd() == before
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

ALL_STATUSES = ("draft", "submitted", "town_passed", "returned", "accepted")
ALLOWED = {
    # status before → the actions that may start there (everything else is refused)
    "draft": {"save", "submit"},
    "submitted": {"town_pass", "town_return"},
    "town_passed": {"accept", "return"},
    "returned": {"save", "submit"},
    "accepted": set(),
}
ACTIONS = ("save", "submit", "town_pass", "town_return", "accept", "return")
TABLE = [(s, a, a in ALLOWED[s]) for s in ALL_STATUSES for a in ACTIONS]


def test_logic_table_matches_the_expected_moves():
    for status, action, allowed in TABLE:
        if allowed:
            assert flow.transition(action, status).action == action
        else:
            with pytest.raises(flow.TransitionError):
                flow.transition(action, status)
    assert flow.actions_from("submitted", {"figure_submissions.town_review"}) == [
        "town_return",
        "town_pass",
    ]
    assert flow.actions_from("submitted", {"figure_submissions.review"}) == []
    assert flow.official_differences({"a": 1, "b": None, "c": 3}, {"a": 2, "b": 5, "c": 3}) == ["a"]


def _make(world, status):
    """A submission of ea for 2025 brought to `status` through the services."""
    sub = submissions.submission_save(
        user=world["user_a"], enterprise=world["ea"], year=2025, operating_revenue=100
    )
    path = {
        "draft": [],
        "submitted": ["submit"],
        "town_passed": ["submit", "town_pass"],
        "returned": ["submit", "town_return"],
        "accepted": ["submit", "town_pass", "accept"],
    }[status]
    for action in path:
        _call(world, sub, action)()
    sub.refresh_from_db()
    assert sub.status == status
    return sub


def _call(world, sub, action):
    u, officer, staff = world["user_a"], world["officer_a"], world["staff"]
    return {
        "save": lambda: submissions.submission_save(
            user=u, enterprise=world["ea"], year=2025, operating_revenue=200
        ),
        "submit": lambda: submissions.submission_submit(submission=sub, user=u),
        "town_pass": lambda: submissions.submission_town_pass(submission=sub, user=officer),
        "town_return": lambda: submissions.submission_town_return(
            submission=sub, user=officer, reason="缺附件"
        ),
        "accept": lambda: submissions.submission_accept(submission=sub, user=staff),
        "return": lambda: submissions.submission_return(
            submission=sub, user=staff, reason="请核对"
        ),
    }[action]


@pytest.mark.parametrize("status,action,allowed", TABLE)
def test_transitions_table(world, status, action, allowed):
    sub = _make(world, status)
    if allowed:
        _call(world, sub, action)()
        sub.refresh_from_db()
        assert sub.status == flow.transition(action, status).target
    elif action == "save" and status == "accepted":
        # after acceptance a save starts the next open submission of the year
        _call(world, sub, action)()
        sub.refresh_from_db()
        assert sub.status == "accepted"
        assert FigureSubmission.objects.filter(enterprise=world["ea"], year=2025).count() == 2
    else:
        with pytest.raises(ValidationError):
            _call(world, sub, action)()
        sub.refresh_from_db()
        assert sub.status == status


WRONG_ACTORS = [
    # (status, action, who may not) — the capability or the town scope refuses them
    ("submitted", "town_pass", "officer_b"),
    ("submitted", "town_pass", "staff"),
    ("submitted", "town_pass", "user_a"),
    ("submitted", "town_return", "officer_b"),
    ("submitted", "town_return", "leader"),
    ("town_passed", "accept", "officer_a"),
    ("town_passed", "accept", "user_a"),
    ("town_passed", "accept", "leader"),
    ("town_passed", "return", "officer_a"),
    ("draft", "submit", "user_b"),
    ("draft", "submit", "staff"),
]


@pytest.mark.parametrize("status,action,who", WRONG_ACTORS)
def test_each_step_checks_the_actor(world, status, action, who):
    sub = _make(world, status)
    fn = {
        "town_pass": lambda u: submissions.submission_town_pass(submission=sub, user=u),
        "town_return": lambda u: submissions.submission_town_return(
            submission=sub, user=u, reason="x"
        ),
        "accept": lambda u: submissions.submission_accept(submission=sub, user=u),
        "return": lambda u: submissions.submission_return(submission=sub, user=u, reason="x"),
        "submit": lambda u: submissions.submission_submit(submission=sub, user=u),
    }[action]
    with pytest.raises(PermissionDenied):
        fn(world[who])
    sub.refresh_from_db()
    assert sub.status == status


def test_returns_need_a_reason_and_name_their_stage(world):
    sub = _make(world, "submitted")
    with pytest.raises(ValidationError) as exc:
        submissions.submission_town_return(submission=sub, user=world["officer_a"], reason="  ")
    assert "reason" in exc.value.message_dict
    submissions.submission_town_return(submission=sub, user=world["officer_a"], reason="缺台账")
    sub.refresh_from_db()
    assert (sub.status, sub.returned_stage, sub.reason) == ("returned", "town", "缺台账")
    assert sub.town_reviewer == world["officer_a"]
    submissions.submission_submit(submission=sub, user=world["user_a"])
    submissions.submission_town_pass(submission=sub, user=world["officer_a"])
    submissions.submission_return(submission=sub, user=world["staff"], reason="研发费用不符")
    sub.refresh_from_db()
    assert (sub.returned_stage, sub.reviewer) == ("bureau", world["staff"])


def test_accept_writes_figures_keeps_official_fields_and_is_audited(world):
    figure = world["fa"]
    sub = submissions.submission_save(
        user=world["user_a"],
        enterprise=world["ea"],
        year=2024,
        submit=True,
        operating_revenue=Decimal("60000000"),
        rd_expense_stat=Decimal("2000000"),
    )
    submissions.submission_town_pass(submission=sub, user=world["officer_a"])
    submissions.submission_accept(submission=sub, user=world["staff"])
    figure.refresh_from_db()
    assert figure.rd_expense_stat == Decimal("2000000")
    assert figure.is_above_scale_industrial is True  # official, never from the enterprise
    assert figure.source == "enterprise"
    latest = figure.history.latest()
    assert latest.history_user == world["staff"]
    assert f"#{sub.pk}" in latest.history_change_reason
    sub.refresh_from_db()
    assert sub.figure == figure and sub.reviewer == world["staff"]
    steps = list(
        sub.history.order_by("history_date", "history_id").values_list(
            "status", "history_user__username"
        )
    )
    assert steps == [
        ("submitted", world["user_a"].username),
        ("town_passed", world["officer_a"].username),
        ("accepted", world["staff"].username),
    ]


def test_accepting_over_official_figures_needs_confirmation(world):
    figure = world["fa"]
    AnnualFigure.objects.filter(pk=figure.pk).update(source=DataSource.IMPORT)
    sub = submissions.submission_save(
        user=world["user_a"],
        enterprise=world["ea"],
        year=2024,
        submit=True,
        rd_expense_stat=Decimal("3000000"),  # official: 1,000,000
    )
    submissions.submission_town_pass(submission=sub, user=world["officer_a"])
    with pytest.raises(ValidationError) as exc:
        submissions.submission_accept(submission=sub, user=world["staff"])
    assert "confirm_official" in exc.value.message_dict
    figure.refresh_from_db()
    assert figure.rd_expense_stat == Decimal("1000000")  # never overwritten silently
    submissions.submission_accept(submission=sub, user=world["staff"], confirm_official=True)
    figure.refresh_from_db()
    sub.refresh_from_db()
    assert figure.rd_expense_stat == Decimal("3000000") and sub.official_confirmed
    reason = figure.history.latest().history_change_reason
    label = str(AnnualFigure._meta.get_field("rd_expense_stat").verbose_name)
    assert label in reason and "rd_expense_stat" not in reason
    assert "confirmed" in sub.history.latest().history_change_reason.lower() or (
        "确认" in sub.history.latest().history_change_reason
    )


def test_submission_values_are_validated_like_the_registry(world):
    with pytest.raises(ValidationError) as exc:
        submissions.submission_save(
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
        submissions.submission_save(user=world["user_a"], enterprise=world["eb"], year=2025)
    for who in ("officer_a", "leader", "staff"):
        with pytest.raises(PermissionDenied):
            submissions.submission_save(user=world[who], enterprise=world["ea"], year=2025)


# ------------------------------------------------------------------ scoping


def test_scoping_of_submissions(world):
    sa = _make(world, "submitted")
    sb = submissions.submission_save(user=world["user_b"], enterprise=world["eb"], year=2025)
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
    # another town's officer cannot even see it; its own officer reviews but never edits
    assert api(world["officer_b"]).post(f"{S}{sa.pk}/town-pass/").status_code == 404
    assert api(world["officer_a"]).post(f"{S}{sa.pk}/accept/").status_code == 403
    assert (
        api(world["officer_a"]).patch(f"{S}{sa.pk}/", {"operating_revenue": "1"}).status_code == 403
    )


def test_town_and_bureau_return_with_reason_through_the_api(world):
    sa = _make(world, "submitted")
    officer = api(world["officer_a"])
    assert (
        officer.post(f"{S}{sa.pk}/town-return/", {"reason": ""}, format="json").status_code == 400
    )
    response = officer.post(f"{S}{sa.pk}/town-return/", {"reason": "缺研发辅助账"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert response.json()["returned_stage"] == "town"
    client = api(world["user_a"])
    assert (
        client.patch(f"{S}{sa.pk}/", {"operating_revenue": "200"}, format="json").status_code == 200
    )
    assert client.post(f"{S}{sa.pk}/submit/").json()["status"] == "submitted"
    assert officer.post(f"{S}{sa.pk}/town-pass/").json()["status"] == "town_passed"
    staff = api(world["staff"])
    response = staff.post(f"{S}{sa.pk}/return/", {"reason": "研发费用与台账不符"}, format="json")
    assert response.status_code == 200 and response.json()["returned_stage"] == "bureau"
    assert response.json()["reason"] == "研发费用与台账不符"


# ------------------------------------------------------------------ HTML pages


def test_enterprise_form_saves_a_draft_then_submits(client, world):
    client.force_login(world["user_a"])
    # the registry's edit page sends the enterprise to its portal form
    old = client.get(f"/enterprises/{world['ea'].pk}/figures/2025/")
    assert old.status_code == 302 and old["Location"] == "/enterprises/portal/2025/"
    url = "/enterprises/portal/2025/"
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
    # a submitted submission is no longer editable: the form sends to its page
    again = client.post(url, {"operating_revenue": "1", "is_above_scale_industrial": "on"})
    assert again.status_code == 302 and f"/submissions/{submission.pk}/" in again["Location"]
    assert not AnnualFigure.objects.filter(enterprise=world["ea"], year=2025).exists()


def test_review_pages_town_then_bureau(client, world):
    sa = _make(world, "submitted")
    review = f"/enterprises/submissions/{sa.pk}/review/"
    client.force_login(world["officer_a"])
    listing = client.get("/enterprises/submissions/")
    assert listing.status_code == 200 and sa in list(listing.context["page"])
    detail = client.get(f"/enterprises/submissions/{sa.pk}/")
    assert detail.context["actions"] == ["town_return", "town_pass"]
    client.post(review, {"action": "town_return", "reason": ""})
    sa.refresh_from_db()
    assert sa.status == SubmissionStatus.SUBMITTED  # a reason is required
    client.post(review, {"action": "town_pass"})
    sa.refresh_from_db()
    assert sa.status == SubmissionStatus.TOWN_PASSED
    client.force_login(world["staff"])
    assert sa in list(client.get("/enterprises/submissions/").context["page"])
    assert client.get(f"/enterprises/submissions/{sa.pk}/").context["actions"] == [
        "return",
        "accept",
    ]
    client.post(review, {"action": "accept"})
    sa.refresh_from_db()
    assert sa.status == SubmissionStatus.ACCEPTED
    assert AnnualFigure.objects.get(enterprise=world["ea"], year=2025).operating_revenue == 100


def test_review_pages_are_scoped(client, world):
    sa = _make(world, "submitted")
    client.force_login(world["officer_b"])
    assert client.get(f"/enterprises/submissions/{sa.pk}/").status_code == 404
    assert (
        client.post(
            f"/enterprises/submissions/{sa.pk}/review/", {"action": "town_pass"}
        ).status_code
        == 404
    )
    client.force_login(world["staff"])  # not the bureau's step yet
    page = client.get(f"/enterprises/submissions/{sa.pk}/")
    assert page.status_code == 200 and page.context["actions"] == []
    client.post(f"/enterprises/submissions/{sa.pk}/review/", {"action": "accept"})
    client.force_login(world["user_a"])
    assert (
        client.post(
            f"/enterprises/submissions/{sa.pk}/review/", {"action": "town_pass"}
        ).status_code
        == 403
    )
    client.force_login(world["leader"])
    assert client.get("/enterprises/submissions/").status_code == 403
    sa.refresh_from_db()
    assert sa.status == SubmissionStatus.SUBMITTED
