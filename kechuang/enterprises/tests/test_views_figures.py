"""An enterprise user submits its own yearly figures through the page: bad values are refused
field by field, good ones become a submission for review (never the registry's row), with history."""

from __future__ import annotations

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.models import AnnualFigure, Enterprise, FigureSubmission
from kechuang.enterprises.tests.fixtures import login

pytestmark = pytest.mark.django_db


def test_enterprise_user_submits_own_figures_with_history(client, data):
    own = Enterprise.objects.first()
    user = login(client, Role.ENTERPRISE, enterprise=own)
    url = "/enterprises/portal/2025/"  # the portal's form (the registry's page redirects there)
    bad = client.post(
        url, {"operating_revenue": "-5", "employees_year_end": "10", "tech_staff_year_end": "20"}
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    assert not AnnualFigure.objects.filter(enterprise=own, year=2025).exists()
    ok = client.post(
        url,
        {
            "operating_revenue": "1000000.50",
            "employees_year_end": "10",
            "tech_staff_year_end": "2",
            "submit": "1",
        },
    )
    assert ok.status_code == 302
    # The figures wait for the bureau's review: a submission, not yet the registry's row.
    assert not AnnualFigure.objects.filter(enterprise=own, year=2025).exists()
    submission = FigureSubmission.objects.get(enterprise=own, year=2025)
    assert submission.status == "submitted" and submission.submitted_by == user
    assert submission.history.latest().history_user == user
    other = Enterprise.objects.exclude(pk=own.pk).first()
    assert (
        client.post(
            f"/enterprises/{other.pk}/figures/2025/", {"operating_revenue": "1"}
        ).status_code
        == 404
    )
