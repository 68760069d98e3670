"""The enterprise portal (docs/portal.md): the years page with deadlines, the form's official
values, documents checked and scoped, colleagues invited with a one-time link and deactivated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.core.models import DataSource
from kechuang.core.roles import Role
from kechuang.enterprises import portal_pages, portal_services, submissions
from kechuang.enterprises.models import (
    AnnualFigure,
    EnterpriseInvitation,
    EnterpriseMembership,
    SubmissionAttachment,
)

from .factories import make_annual_figure, make_enterprise, make_town, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "Kc-portal-2025!"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    town_a, town_b = make_town("甲镇"), make_town("乙镇")
    ea, eb = make_enterprise(town=town_a), make_enterprise(town=town_b)
    return {
        "ea": ea,
        "eb": eb,
        "user_a": make_user(Role.ENTERPRISE, enterprise=ea),
        "user_b": make_user(Role.ENTERPRISE, enterprise=eb),
        "officer_a": make_user(Role.TOWN_OFFICER, town=town_a),
        "officer_b": make_user(Role.TOWN_OFFICER, town=town_b),
        "staff": make_user(Role.BUREAU_STAFF),
    }


def test_deadline_is_configuration(settings):
    assert portal_pages.submission_deadline(2025) == dt.date(2026, 5, 31)
    settings.KECHUANG_FIGURE_SUBMISSION_DEADLINE = "06-30"
    assert portal_pages.submission_deadline(2025) == dt.date(2026, 6, 30)


def test_home_lists_years_with_status_and_only_own_enterprise(client, world):
    submissions.submission_save(
        user=world["user_b"], enterprise=world["eb"], year=2025, operating_revenue=1
    )
    client.force_login(world["user_a"])
    page = client.get("/enterprises/portal/")
    assert page.status_code == 200
    years = page.context["years"]
    assert years[0]["year"] == portal_pages.reporting_year()
    assert all(row["submission"] is None for row in years)  # eb's draft is not ea's
    for who in ("officer_a", "staff"):
        client.force_login(world[who])
        assert client.get("/enterprises/portal/").status_code == 403


def test_form_prefills_from_official_row_and_highlights_differences(client, world):
    official = make_annual_figure(
        world["ea"], 2025, operating_revenue=Decimal("50000000"), rd_expense_stat=None
    )
    AnnualFigure.objects.filter(pk=official.pk).update(source=DataSource.IMPORT)
    make_annual_figure(world["ea"], 2024, employees_year_end=80, tech_staff_year_end=12)
    client.force_login(world["user_a"])
    page = client.get("/enterprises/portal/2025/")
    form = page.context["form"]
    assert form.initial["operating_revenue"] == "5000"  # 万元, from the official row
    assert page.context["compare"]["has_official"]
    client.post("/enterprises/portal/2025/", {"operating_revenue": "5100", "draft": "1"})
    page = client.get("/enterprises/portal/2025/")
    differing = [r["name"] for r in page.context["compare"]["differences"]]
    assert differing == ["operating_revenue"]
    assert 'data-testid="official-operating_revenue"' in page.content.decode()


def test_documents_are_checked_and_scoped(client, world):
    client.force_login(world["user_a"])
    bad = SimpleUploadedFile("报表.pdf", b"MZ\x90\x00 not a pdf")
    client.post(
        "/enterprises/portal/2025/documents/", {"kind": "financial_statements", "file": bad}
    )
    assert not SubmissionAttachment.objects.exists()
    good = SimpleUploadedFile("报表.pdf", PDF)
    client.post(
        "/enterprises/portal/2025/documents/", {"kind": "financial_statements", "file": good}
    )
    attachment = SubmissionAttachment.objects.get()
    assert attachment.submission.status == "draft" and attachment.uploaded_by == world["user_a"]
    url = f"/enterprises/submissions/documents/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    for who, status in (("user_b", 404), ("officer_b", 404), ("officer_a", 200), ("staff", 200)):
        client.force_login(world[who])
        assert client.get(url).status_code == status, who
    # once submitted, documents are fixed
    submissions.submission_submit(submission=attachment.submission, user=world["user_a"])
    with pytest.raises(ValidationError):
        submissions.attachment_add(
            submission=attachment.submission,
            user=world["user_a"],
            file=SimpleUploadedFile("b.pdf", PDF),
        )
    with pytest.raises(PermissionDenied):
        submissions.attachment_add(
            submission=attachment.submission,
            user=world["user_b"],
            file=SimpleUploadedFile("b.pdf", PDF),
        )


def test_colleague_invited_once_sets_password_and_can_be_deactivated(client, world, settings):
    admin = world["user_a"]
    client.force_login(admin)
    page = client.post(
        "/enterprises/portal/colleagues/", {"name": "李会计", "email": "li@example.com"}
    )
    link = page.context["link"]
    assert link and "/enterprises/portal/join/" in link
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    invitation = EnterpriseInvitation.objects.get()
    key = link.rstrip("/").rsplit("/", 1)[-1]
    assert invitation.key_hash == portal_services.invitation_key_hash(key)
    assert key not in invitation.key_hash
    # the link is shown once: the page does not show it again
    assert client.get("/enterprises/portal/colleagues/").context["link"] is None
    client.logout()
    join = f"/enterprises/portal/join/{key}/"
    weak = client.post(join, {"username": "li", "password": "123", "password2": "123"})
    assert weak.status_code == 200 and weak.context["form"].errors["password"]
    taken = client.post(
        join, {"username": admin.username, "password": PASSWORD, "password2": PASSWORD}
    )
    assert taken.context["form"].errors["username"]
    done = client.post(join, {"username": "li_kj", "password": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302
    colleague = EnterpriseMembership.objects.get(user__username="li_kj")
    assert colleague.enterprise == world["ea"] and not colleague.is_admin
    assert colleague.invited_by == admin
    assert colleague.user.profile.enterprise == world["ea"]
    assert client.get(join).status_code == 404  # once only
    # the colleague fills in but may not invite
    client.force_login(colleague.user)
    assert client.get("/enterprises/portal/2025/").status_code == 200
    assert client.post("/enterprises/portal/colleagues/", {"name": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        portal_services.colleague_deactivate(user=colleague.user, colleague=admin)
    # another enterprise's administrator cannot touch it
    with pytest.raises(PermissionDenied):
        portal_services.colleague_deactivate(user=world["user_b"], colleague=colleague.user)
    client.force_login(admin)
    client.post(f"/enterprises/portal/colleagues/{colleague.user.pk}/deactivate/")
    colleague.refresh_from_db()
    colleague.user.refresh_from_db()
    assert not colleague.is_active and not colleague.user.is_active
    assert colleague.history.latest().history_user == admin


def test_expired_or_withdrawn_invitation_does_not_work(client, world):
    invitation, key = portal_services.invitation_create(user=world["user_a"], name="王")
    portal_services.invitation_withdraw(user=world["user_a"], invitation=invitation)
    assert client.get(f"/enterprises/portal/join/{key}/").status_code == 404
    invitation, key = portal_services.invitation_create(user=world["user_a"], name="赵")
    EnterpriseInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=invitation.created_at - dt.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError):
        portal_services.invitation_accept(key=key, username="zhao", password=PASSWORD)
    with pytest.raises(PermissionDenied):
        portal_services.invitation_create(user=world["officer_a"], name="x")
