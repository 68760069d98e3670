"""A small two-town registry for page tests: six enterprises with 2023 and 2024 figures, and a
sign-in helper (shared by the dashboard, enterprise and import page tests)."""

from __future__ import annotations

import pytest

from kechuang.enterprises.tests.factories import (
    make_annual_figure,
    make_enterprise,
    make_town,
    make_user,
)


@pytest.fixture
def towns():
    return make_town("浒山街道"), make_town("周巷镇")


@pytest.fixture
def data(towns):
    a, b = towns
    rows = []
    for i in range(6):
        e = make_enterprise(town=a if i % 2 else b)
        rows.append(
            make_annual_figure(
                e,
                2023,
                is_above_scale_industrial=True,
                operating_revenue=100_000_000,
                rd_expense_stat=2_000_000,
            )
        )
        rows.append(
            make_annual_figure(
                e,
                2024,
                is_above_scale_industrial=i < 5,
                operating_revenue=100_000_000,
                rd_expense_stat=3_000_000 if i < 4 else 0,
            )
        )
    return rows


def login(client, role, **kw):
    user = make_user(role, **kw)
    client.force_login(user)
    return user
