"""The console's objects of the shared cast (kechuang/core/tests/cast.py): an account to edit,
a town of the home region, a peer region and an evaluation scheme."""

from __future__ import annotations

from kechuang.platforms.models import EvaluationScheme
from kechuang.regions.models import Region, RegionKind, Town

__all__ = ["build_console_cast"]


def build_console_cast(users: dict, objects: dict) -> dict:
    home = Region.objects.filter(kind=RegionKind.HOME).first() or Region.objects.create(
        code="330282", name="慈溪市", kind=RegionKind.HOME
    )
    town = Town.objects.filter(region=home).first() or Town.objects.create(
        region=home, code="CAST-T1", name="控制台镇"
    )
    peer = Region.objects.get_or_create(
        code="330281", defaults={"name": "余姚市", "kind": RegionKind.PEER}
    )[0]
    scheme, _created = EvaluationScheme.objects.get_or_create(
        name="控制台测试方案",
        kind="incubator",
        defaults={
            "config": {
                "indicators": [
                    {"code": "mentors", "label": "创业导师", "weight": 10, "target": 10}
                ],
                "weights": {"quantitative": 60, "expert": 30, "management": 10},
                "grades": [["A", 90], ["B", 80], ["C", 60]],
            }
        },
    )
    return {
        "console_user": users["staff"],
        "console_town": town,
        "console_region": peer,
        "console_scheme": scheme,
    }
