"""Plain factory functions for enterprise-registry tests (no factory_boy needed yet)."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kechuang.accounts.models import Profile
from kechuang.core.roles import Role
from kechuang.enterprises.logic.credit_code import check_character
from kechuang.enterprises.models import AnnualFigure, Enterprise
from kechuang.regions.models import Region, RegionKind, Town

__all__ = ["make_credit_code", "make_town", "make_enterprise", "make_annual_figure", "make_user"]

_seq = itertools.count(1)


def make_credit_code(n: int | None = None) -> str:
    """A valid 18-character credit code (division 330282, check character computed)."""
    n = next(_seq) if n is None else n
    first17 = f"91330282MA{n:07d}"
    return first17 + check_character(first17)


def make_region() -> Region:
    region, _ = Region.objects.get_or_create(
        code="330282", defaults={"name": "慈溪市", "kind": RegionKind.HOME}
    )
    return region


def make_town(name: str | None = None, **overrides) -> Town:
    n = next(_seq)
    values = {"region": make_region(), "code": f"T{n:04d}", "name": name or f"镇{n}"}
    values.update(overrides)
    return Town.objects.create(**values)


def make_enterprise(**overrides) -> Enterprise:
    n = next(_seq)
    values = {
        "credit_code": make_credit_code(n),
        "name": f"测试企业{n}",
        "industry_code": "3411",
    }
    values.update(overrides)
    if "town" not in values:
        values["town"] = make_town()
    return Enterprise.objects.create(**values)


def make_annual_figure(
    enterprise: Enterprise | None = None, year: int = 2024, **overrides
) -> AnnualFigure:
    values = {"operating_revenue": 50_000_000, "rd_expense_stat": 1_500_000}
    values.update(overrides)
    return AnnualFigure.objects.create(
        enterprise=enterprise or make_enterprise(), year=year, **values
    )


def make_user(
    role: Role | str | None, town: Town | None = None, enterprise: Enterprise | None = None, **kw
):
    """A user in the role's group (created on demand), with a profile linking town/enterprise."""
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=kw.pop("username", f"user{n}"), password=kw.pop("password", "pw-123456"), **kw
    )
    if role:
        group, _ = Group.objects.get_or_create(name=str(role))
        user.groups.add(group)
    Profile.objects.create(user=user, town=town, enterprise=enterprise)
    return user
