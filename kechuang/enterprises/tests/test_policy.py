"""The field policy matrix: role × field × write path (form, API, import).

One table (kechuang.enterprises.policy) decides; these tests walk it for every role and every
field of the registry, through each way a value can be written.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from kechuang.core.roles import Role
from kechuang.enterprises import policy
from kechuang.enterprises.forms import FIGURE_FIELDS
from kechuang.enterprises.models import (
    AnnualFigure,
    Enterprise,
    FigureSubmission,
    IntellectualProperty,
    Qualification,
)

from .factories import make_annual_figure, make_enterprise, make_town, make_user

pytestmark = pytest.mark.django_db

BASE = "/api/v1/enterprises/"
REGISTRY = [Enterprise, AnnualFigure, IntellectualProperty, Qualification]
URL = {
    Enterprise: "enterprises/",
    AnnualFigure: "annual-figures/",
    IntellectualProperty: "ip/",
    Qualification: "qualifications/",
}
# A valid new value for each writable API field, per model.
VALUES = {
    Enterprise: {
        "name": "改名企业",
        "industry_code": "3412",
        "address": "新地址",
        "tags": "标签",
        "registration_date": "2010-05-01",
        "is_resident_enterprise": False,
    },
    AnnualFigure: {
        **{name: "123.00" for name in FIGURE_FIELDS},
        "is_above_scale_industrial": False,
        "employees_year_end": 100,
        "tech_staff_year_end": 10,
        "incident_reported": True,
        "credit_listed": True,
        "in_restricted_catalogue": True,
        "core_tech_in_supported_fields": True,
    },
    IntellectualProperty: {"title": "新名称", "status": "expired", "grant_date": "2020-01-02"},
    Qualification: {"number": "NEW-1", "batch": "2024-2", "issue_date": "2024-03-01"},
}
ROLES = [
    Role.BUREAU_ADMIN,
    Role.BUREAU_STAFF,
    Role.TOWN_OFFICER,
    Role.LEADER,
    Role.ENTERPRISE,
    Role.EXPERT,
    Role.UNIVERSITY,
    Role.AGENCY,
]


@pytest.fixture
def world():
    town = make_town()
    e = make_enterprise(town=town)
    rows = {
        Enterprise: e,
        AnnualFigure: make_annual_figure(
            e, 2024, is_above_scale_industrial=True, employees_year_end=200
        ),
        IntellectualProperty: IntellectualProperty.objects.create(
            enterprise=e, kind="utility_model", number="U-1", title="原名称"
        ),
        Qualification: Qualification.objects.create(
            enterprise=e, kind="national_tech_sme", year=2024, issue_date="2024-05-01"
        ),
    }
    users = {
        role: make_user(
            role,
            town=town if role == Role.TOWN_OFFICER else None,
            enterprise=e if role == Role.ENTERPRISE else None,
        )
        for role in ROLES
    }
    return {"e": e, "rows": rows, "users": users}


def _snapshot(obj):
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in obj._meta.concrete_fields}


# ------------------------------------------------------------------ the table itself


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", REGISTRY)
def test_only_bureau_roles_write_the_registry(role, model):
    allowed = policy.writable_fields(role, model)
    if role in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF):
        assert allowed == policy.ALL
    else:
        assert allowed == frozenset()
        names = [f.name for f in model._meta.concrete_fields]
        assert policy.forbidden_fields(role, model, names) == names


@pytest.mark.parametrize("role", ROLES)
def test_official_fields_never_from_an_enterprise(role):
    allowed = policy.writable_fields(role, FigureSubmission)
    if role == Role.ENTERPRISE:
        assert set(allowed) == {"year", *policy.ENTERPRISE_FIGURE_FIELDS}
        assert not policy.OFFICIAL_FIGURE_FIELDS & set(allowed)
    else:
        assert allowed == frozenset()


def test_enterprise_fields_and_official_fields_cover_the_form():
    assert set(FIGURE_FIELDS) == set(policy.ENTERPRISE_FIGURE_FIELDS) | {
        f for f in policy.OFFICIAL_FIGURE_FIELDS
    }


# ------------------------------------------------------------------ API path


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", REGISTRY)
def test_api_matrix(world, role, model):
    client = APIClient()
    client.force_authenticate(world["users"][role])
    obj = world["rows"][model]
    url = f"{BASE}{URL[model]}{obj.pk}/"
    sees = role in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.TOWN_OFFICER, Role.ENTERPRISE)
    for field, value in VALUES[model].items():
        before = _snapshot(obj)
        response = client.patch(url, {field: value}, format="json")
        if role in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF):
            assert response.status_code == 200, (field, response.json())
        else:
            assert response.status_code == (403 if sees else 404), (role, field)
            assert _snapshot(obj) == before, (role, field)


def test_api_enterprise_submission_refuses_each_official_field(world):
    client = APIClient()
    client.force_authenticate(world["users"][Role.ENTERPRISE])
    for field in sorted(policy.OFFICIAL_FIGURE_FIELDS):
        response = client.post(
            f"{BASE}figure-submissions/", {"year": 2025, field: True}, format="json"
        )
        assert response.status_code == 400 and field in response.json(), field
    assert not FigureSubmission.objects.exists()
    for field in policy.ENTERPRISE_FIGURE_FIELDS:
        value = VALUES[AnnualFigure].get(field, "1.00")
        response = client.post(
            f"{BASE}figure-submissions/", {"year": 2025, field: value}, format="json"
        )
        assert response.status_code == 201, (field, response.json())


# ------------------------------------------------------------------ form path


@pytest.mark.parametrize("role", ROLES)
def test_form_matrix(client, world, role):
    client.force_login(world["users"][role])
    url = f"/enterprises/{world['e'].pk}/figures/2024/"
    response = client.get(url)
    if role in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF):
        form = response.context["form"]
        assert list(form.fields) == FIGURE_FIELDS
        assert not any(f.disabled for f in form.fields.values())
    elif role == Role.ENTERPRISE:
        # The enterprise proposes its figures as a submission in the portal, never here.
        assert response.status_code == 302
        assert response["Location"] == reverse("enterprises:portal_fill", kwargs={"year": 2024})
        # Posting every official field changes nothing in the registry.
        before = _snapshot(world["rows"][AnnualFigure])
        client.post(url, {"is_above_scale_industrial": "", "credit_listed": "true", "submit": "1"})
        assert _snapshot(world["rows"][AnnualFigure]) == before
    else:
        assert response.status_code in (403, 404)


# ------------------------------------------------------------------ import path


@pytest.mark.parametrize("role", ROLES)
def test_import_is_staff_only(world, role):
    from kechuang.imports.services import import_frames

    user = world["users"][role]
    if role in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF):
        assert import_frames([], dry_run=True, user=user).errors == []
    else:
        with pytest.raises(PermissionDenied):
            import_frames([], dry_run=True, user=user)


def test_import_batch_refuses_non_staff(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kechuang.imports.services import import_batch_create

    upload = SimpleUploadedFile("a.xlsx", b"PK")
    with pytest.raises(PermissionDenied):
        import_batch_create(user=world["users"][Role.ENTERPRISE], uploaded_file=upload)
