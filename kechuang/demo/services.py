"""Build the demo region: regions, towns, enterprises and figures (through the import service),
and one demo user per role."""

from __future__ import annotations

import polars as pl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from kechuang.accounts.services import user_create
from kechuang.core.roles import Role
from kechuang.enterprises.models import Enterprise
from kechuang.imports.schemas import SCHEMAS
from kechuang.imports.services import import_frames
from kechuang.regions.models import Region, RegionKind, Town

from .generator import generate
from .regions import HOME_REGION, PEER_REGIONS, TOWNS

__all__ = ["DEMO_EXTENSIONS", "DEMO_PASSWORD", "DEMO_USERS", "demo_build", "regions_ensure"]

# Later capabilities add their demo data (e.g. 2025 targets, visit tasks) by registering a
# callable `extension(*, generated: bool) -> None` in their AppConfig.ready(). Each must be
# idempotent: a second `make demo` must not duplicate anything.
DEMO_EXTENSIONS: list = []

# Meets the password rules of AUTH_PASSWORD_VALIDATORS (length, three character classes).
DEMO_PASSWORD = "Kechuang-Demo-2024"
# username, role, display name
DEMO_USERS = [
    ("admin", Role.BUREAU_ADMIN, "系统管理员"),
    ("staff", Role.BUREAU_STAFF, "科技局工作人员"),
    ("town", Role.TOWN_OFFICER, "浒山街道经发办"),
    ("leader", Role.LEADER, "局领导"),
    ("enterprise", Role.ENTERPRISE, "企业用户"),
    ("expert", Role.EXPERT, "评审专家"),
    ("university", Role.UNIVERSITY, "高校院所"),
    ("agency", Role.AGENCY, "服务机构"),
]


@transaction.atomic
def regions_ensure() -> Region:
    """Create the home region (慈溪市), its towns/streets and Zhejiang's peer regions if missing."""
    code, name, province, city = HOME_REGION
    home, _ = Region.objects.get_or_create(
        code=code,
        defaults={"name": name, "kind": RegionKind.HOME, "province": province, "city": city},
    )
    for i, (town, street) in enumerate(TOWNS):
        Town.objects.get_or_create(
            region=home,
            name=town,
            defaults={"code": f"{code}{i + 1:03d}", "is_street": street, "sort_order": i},
        )
    existing = set(Region.objects.values_list("code", flat=True))
    Region.objects.bulk_create(
        Region(code=c, name=n, kind=RegionKind.PEER, province=province, city=ct)
        for c, n, ct in PEER_REGIONS
        if c not in existing
    )
    return home


def demo_build(*, n_enterprises: int = 5200, force: bool = False, stdout=None) -> bool:
    """Generate the demo region unless it is already there; create the demo users.

    Returns True if data was generated. The data goes through `import_frames` (the importer's
    own validation and write path); any validation error is raised, as it is a generator bug.
    """
    if not getattr(settings, "KECHUANG_DEMO_ENABLED", False):
        # Demo accounts share a published password: never under production settings.
        raise ImproperlyConfigured(
            "KECHUANG_DEMO_ENABLED is off in these settings: the demo and its users are not built."
        )
    regions_ensure()
    generated = False
    if force or not Enterprise.objects.exists():
        data = generate(n_enterprises)
        frames = []
        for entity, frame in data.frames.items():
            frame = frame.with_row_index("__row", offset=2).with_columns(
                pl.col("__row").cast(pl.Int64)
            )
            frames.append((SCHEMAS[entity].sheet, SCHEMAS[entity], frame))
        result = import_frames(frames, dry_run=False, source="generator", language="en")
        if result.errors:
            raise RuntimeError(f"demo data failed validation: {result.errors[:5]}")
        generated = True
    town = Town.objects.filter(region__kind=RegionKind.HOME).order_by("sort_order").first()
    showcase = (
        Enterprise.objects.filter(town=town, qualifications__kind="high_tech")
        .order_by("credit_code")
        .first()
        or Enterprise.objects.order_by("credit_code").first()
    )
    for username, role, display in DEMO_USERS:
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            display_name=display,
            town=town if role == Role.TOWN_OFFICER else None,
            enterprise=showcase if role == Role.ENTERPRISE else None,
        )
    # One officer for every other town too, so visit tasks are assigned region-wide.
    for i, other in enumerate(
        Town.objects.filter(region__kind=RegionKind.HOME).order_by("sort_order")[1:], start=2
    ):
        user_create(
            username=f"town{i:02d}",
            password=DEMO_PASSWORD,
            role=Role.TOWN_OFFICER,
            display_name=f"{other.name}经发办",
            town=other,
        )
    for extension in DEMO_EXTENSIONS:
        extension(generated=generated)
    return generated
