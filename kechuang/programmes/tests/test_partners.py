"""Partners chosen from the registry on the application form (docs/programmes.md#partners): a
partner picked through the form's POST drives conflict detection, a free-text partner is kept
and marked unmatched, the search offers registry names as the applicant types."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_user
from kechuang.experts.tests.factories import make_expert, make_organisation
from kechuang.programmes import services
from kechuang.programmes.models import Application, ConflictRecord

from .factories import make_application, make_call

pytestmark = pytest.mark.django_db


def _form(app: Application, partners: list[str]) -> dict[str, str]:
    data = {
        "version": str(app.version),
        "title": app.title,
        "summary": app.summary,
        "objectives": app.objectives,
        "owner_name": app.owner_name,
        "total_yuan": "1000000",
        "partners-TOTAL_FORMS": str(len(partners)),
        "partners-INITIAL_FORMS": "0",
    }
    for key in ("kpis", "budget", "team", "schedule"):
        data.update({f"{key}-TOTAL_FORMS": "0", f"{key}-INITIAL_FORMS": "0"})
    for i, name in enumerate(partners):
        data.update({f"partners-{i}-name": name, f"partners-{i}-role": "合作单位"})
    return data


@pytest.fixture
def world():
    applicant = make_enterprise(name="申报企业甲")
    partner_enterprise = make_enterprise(name="合作企业乙")
    university = make_organisation(name="宁波材料大学", kind="university")
    enterprise_org = make_organisation(
        name="合作企业乙", kind="enterprise", enterprise=partner_enterprise
    )
    user = make_user(Role.ENTERPRISE, enterprise=applicant)
    client = Client()
    client.force_login(user)
    return {
        "app": make_application(make_call(), applicant),
        "client": client,
        "university": university,
        "enterprise_org": enterprise_org,
        "staff": make_user(Role.BUREAU_STAFF),
    }


def test_partner_chosen_through_the_form_drives_conflict_detection(world):
    app, client = world["app"], world["client"]
    url = reverse("programmes:application_edit", args=[app.pk])
    response = client.post(url, _form(app, ["宁波材料大学", "合作企业乙", "外地某研究所"]))
    assert response.status_code == 302
    app.refresh_from_db()
    assert [(p["name"], p.get("organisation"), p["matched"]) for p in app.partners] == [
        ("宁波材料大学", world["university"].pk, True),
        ("合作企业乙", world["enterprise_org"].pk, True),
        ("外地某研究所", None, False),
    ]
    page = client.get(url).content.decode()
    assert page.count('data-testid="partner-matched"') == 2
    assert page.count('data-testid="partner-unmatched"') == 1
    assert "已匹配登记库" in page and "不在登记库中" in page
    # An expert of the chosen university is refused, with the reason recorded.
    professor = make_expert(organisation=world["university"], name="王教授")
    with pytest.raises(ValidationError):
        services.assignment_add(application=app, expert=professor, user=world["staff"])
    record = ConflictRecord.objects.get(application=app, expert=professor)
    assert record.kind == "same_organisation" and "宁波材料大学" in record.reason
    # The partner enterprise counts through its organisation record too.
    engineer = make_expert(organisation=world["enterprise_org"], name="李工")
    with pytest.raises(ValidationError):
        services.assignment_add(application=app, expert=engineer, user=world["staff"])
    assert "合作企业乙" in ConflictRecord.objects.get(application=app, expert=engineer).reason
    # An expert of an unrelated organisation is seated.
    other = make_expert(organisation=make_organisation(name="无关大学"), name="赵老师")
    assert services.assignment_add(application=app, expert=other, user=world["staff"]).pk


def test_a_hidden_organisation_id_is_never_trusted(world):
    """The link follows the name typed, not an id posted beside it."""
    app = world["app"]
    data = _form(app, ["外地某研究所"])
    data["partners-0-organisation"] = str(world["university"].pk)
    world["client"].post(reverse("programmes:application_edit", args=[app.pk]), data)
    app.refresh_from_db()
    assert app.partners == [{"name": "外地某研究所", "role": "合作单位", "matched": False}]


def test_partner_search_offers_registry_names(world):
    client = world["client"]
    url = reverse("programmes:partner_search")
    html = client.get(url, {"partners-0-name": "材料"}).content.decode()
    assert '<option value="宁波材料大学">' in html and "专家库单位" in html
    html = client.get(url, {"q": "合作企业"}).content.decode()
    assert html.count('<option value="合作企业乙">') == 1  # once, as an organisation
    assert client.get(url, {"q": "宁"}).content.decode().strip() == ""  # two characters or more
    officer = Client()
    officer.force_login(make_user(Role.TOWN_OFFICER))
    assert officer.get(url, {"q": "材料"}).status_code == 403
