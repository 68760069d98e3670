"""The console: only the bureau admin, every write audited, field messages on bad input."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import AccountEvent, AccountEventKind, Profile
from kechuang.campaigns.models import Agency, AgencyMember
from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_town, make_user
from kechuang.regions.models import Region, RegionKind, Town

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    user = make_user(Role.BUREAU_ADMIN, username="admin1")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def client_admin(admin):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(admin)
    return client


def _home_town(name="浒山街道"):
    region = Region.objects.filter(kind=RegionKind.HOME).first() or Region.objects.create(
        code="330282", name="慈溪市", kind=RegionKind.HOME
    )
    return make_town(name, region=region)


def test_create_an_officer_needs_a_town_with_a_field_message(client_admin):
    response = client_admin.post(
        reverse("console:user_create"), {"username": "zhou", "role": Role.TOWN_OFFICER}
    )
    assert response.status_code == 200
    assert "town" in response.context["form"].errors
    assert not Profile.objects.filter(user__username="zhou").exists()


def test_create_edit_and_each_write_is_audited(client_admin, admin):
    town = _home_town()
    response = client_admin.post(
        reverse("console:user_create"),
        {"username": "zhou", "role": Role.TOWN_OFFICER, "town": town.pk, "display_name": "周"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user__username="zhou")
    user = profile.user
    assert profile.town == town and not user.has_usable_password()
    created = AccountEvent.objects.get(user=user, kind=AccountEventKind.USER_CREATED)
    assert created.actor == admin
    # Becomes bureau staff of 高新科: the town binding goes, the change is one event.
    response = client_admin.post(
        reverse("console:user_edit", args=[user.pk]),
        {"username": "ignored", "role": Role.BUREAU_STAFF, "department": "高新科", "town": town.pk},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    user.refresh_from_db()
    assert (profile.town, profile.department, user.username) == (None, "高新科", "zhou")
    assert set(user.groups.values_list("name", flat=True)) == {Role.BUREAU_STAFF.value}
    changed = AccountEvent.objects.get(user=user, kind=AccountEventKind.USER_CHANGED)
    assert "高新科" in changed.detail and changed.actor == admin
    assert profile.history.first().history_user == admin


def test_agency_binding_goes_through_the_campaigns_service(client_admin):
    agency = Agency.objects.create(name="慈溪财务咨询")
    response = client_admin.post(
        reverse("console:user_create"),
        {"username": "agent", "role": Role.AGENCY, "agency": agency.pk},
    )
    assert response.status_code == 302
    member = AgencyMember.objects.get(user__username="agent")
    assert member.agency == agency and member.history.first().history_user is not None


def test_enterprise_binding_by_credit_code(client_admin):
    enterprise = make_enterprise()
    bad = client_admin.post(
        reverse("console:user_create"),
        {"username": "ent", "role": Role.ENTERPRISE, "enterprise": "91330282XXXXXXXXXX"},
    )
    assert "enterprise" in bad.context["form"].errors
    good = client_admin.post(
        reverse("console:user_create"),
        {"username": "ent", "role": Role.ENTERPRISE, "enterprise": enterprise.credit_code},
    )
    assert good.status_code == 302
    assert Profile.objects.get(user__username="ent").enterprise == enterprise


def test_deactivate_activate_and_reset_password_are_audited(client_admin, admin):
    user = make_user(Role.BUREAU_STAFF)
    url = reverse("console:user_active", args=[user.pk])
    client_admin.post(url, {"active": "0"})
    user.refresh_from_db()
    assert not user.is_active
    client_admin.post(url, {"active": "1"})
    user.refresh_from_db()
    assert user.is_active
    page = client_admin.post(reverse("console:user_password_reset", args=[user.pk]))
    password = page.context["password"]
    assert password in page.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)
    assert Profile.objects.get(user=user).must_change_password
    kinds = set(AccountEvent.objects.filter(user=user, actor=admin).values_list("kind", flat=True))
    assert kinds == {
        AccountEventKind.USER_DEACTIVATED,
        AccountEventKind.USER_ACTIVATED,
        AccountEventKind.PASSWORD_RESET,
    }
    # The temporary password must be changed at the next log-in.
    client = Client()
    assert client.login(username=user.username, password=password)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:password_change"
    )


def test_the_admin_cannot_deactivate_themselves(client_admin, admin):
    client_admin.post(reverse("console:user_active", args=[admin.pk]), {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active


def test_user_list_filters_by_role_town_and_status(client_admin):
    town = _home_town()
    officer = make_user(Role.TOWN_OFFICER, town=town)
    make_user(Role.BUREAU_STAFF)
    rows = client_admin.get(
        reverse("console:user_list"), {"role": Role.TOWN_OFFICER, "town": town.pk}
    ).context["table"]
    assert [r.record for r in rows.rows] == [officer]
    page = client_admin.get(reverse("console:user_list"), {"active": "no"})
    assert page.context["table"].paginator.count == 0
    bad = client_admin.get(reverse("console:user_list"), {"town": "1e30", "role": "x"})
    assert bad.status_code == 200 and bad.context["filter"].errors


def test_user_list_query_count_does_not_grow(client_admin, django_assert_max_num_queries):
    town = _home_town()
    for _ in range(3):
        make_user(Role.TOWN_OFFICER, town=town)
    with django_assert_max_num_queries(30) as small:
        client_admin.get(reverse("console:user_list"))
    for _ in range(12):
        make_user(Role.ENTERPRISE, enterprise=make_enterprise(town=town))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client_admin.get(reverse("console:user_list"))


def test_town_and_peer_region_writes_have_history_and_field_messages(client_admin, admin):
    _home_town()
    response = client_admin.post(
        reverse("console:town_create"), {"code": "T9", "name": "新浦镇", "sort_order": 3}
    )
    assert response.status_code == 302
    town = Town.objects.get(code="T9")
    assert town.region.kind == RegionKind.HOME and town.history.first().history_user == admin
    bad = client_admin.post(reverse("console:region_create"), {"code": "33", "name": "余姚市"})
    assert "code" in bad.context["form"].errors
    client_admin.post(reverse("console:region_create"), {"code": "330281", "name": "余姚市"})
    region = Region.objects.get(code="330281")
    assert region.kind == RegionKind.PEER and region.history.first().history_user == admin


def test_the_django_admin_is_branded_in_chinese_and_points_to_the_console(client_admin):
    page = client_admin.get("/admin/").content.decode()
    assert "科创 · 应急管理站点" in page and 'href="/console/"' in page


def test_console_pages_open_in_chinese_for_the_admin(client_admin):
    for name in ("console:home", "console:user_list", "console:regions", "console:parameters"):
        page = client_admin.get(reverse(name))
        assert page.status_code == 200, name
        assert "管理后台" in page.content.decode()


def test_the_admin_keeps_their_own_admin_role(client_admin, admin):
    response = client_admin.post(
        reverse("console:user_edit", args=[admin.pk]), {"role": Role.BUREAU_STAFF}
    )
    assert "role" in response.context["form"].errors
    admin.refresh_from_db()
    assert admin.is_superuser
