"""The shared fixture cast: every role with one object of each kind inside its scope.

Built on the campaigns world (towns A, B, C; enterprises A1…C1; staff, leader, officers,
agencies, A1's account) plus the bureau admin, an expert, a university user, A1's delegation to
the agency, a campaign with its tasks, a visit record, an agency submission, an import batch,
a rule set, an indicator with a value and a target, a report and an assessment result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kechuang.campaigns import services as campaign_services
from kechuang.campaigns.models import RDSubmission, ServicePackage, VisitRecord, VisitTask
from kechuang.campaigns.tests.factories import make_delegation, make_world
from kechuang.console.tests.cast_console import build_console_cast
from kechuang.cooperation.tests.cast_cooperation import build_cooperation_cast
from kechuang.core.roles import Role
from kechuang.enterprises.models import IntellectualProperty, Qualification
from kechuang.enterprises.tests.cast_enterprises import build_enterprise_file_cast
from kechuang.enterprises.tests.cast_portal import build_portal_cast
from kechuang.enterprises.tests.factories import make_user
from kechuang.experts.tests.cast_experts import build_experts_cast
from kechuang.imports.models import ImportBatch
from kechuang.imports.schemas import SCHEMAS
from kechuang.notices.tests.cast_notices import build_notices_cast
from kechuang.platforms.models import RDInstitution
from kechuang.platforms.tests.cast_platforms import build_platforms_cast
from kechuang.programmes.tests.cast_programmes import build_programmes_cast

__all__ = ["Cast", "build_cast", "ROLE_NAMES"]

# The roles of the role table and the anonymous visitor, as the matrix names them.
ROLE_NAMES = [
    "admin",
    "staff",
    "officer",
    "leader",
    "enterprise",
    "expert",
    "university",
    "agency",
    "operator",
    "anonymous",
]


@dataclass
class Cast:
    users: dict
    objects: dict = field(default_factory=dict)


def _indicator_objects(staff) -> dict:
    from kechuang.indicators.models import Indicator, IndicatorSet, IndicatorValue, Target
    from kechuang.regions.models import Region

    indicator = Indicator.objects.order_by("pk").first() or Indicator.objects.create(
        code="cast_share", name_zh="占比", unit="%", max_value=100
    )
    indicator_set = IndicatorSet.objects.order_by("pk").first()
    if indicator_set is None:
        indicator_set = IndicatorSet.objects.create(code="cast-set", name_zh="测试指标体系")
    region = Region.objects.order_by("pk").first()
    value = IndicatorValue.objects.create(indicator=indicator, region=region, year=2024, value=1)
    target = Target.objects.create(indicator=indicator, year=2024, value=1)
    return {
        "indicator": indicator,
        "indicator_set": indicator_set,
        "indicator_value": value,
        "target": target,
    }


def build_cast() -> Cast:
    """Create the cast (inside a test's database transaction)."""
    w = make_world()
    users = {
        "admin": make_user(Role.BUREAU_ADMIN, username="cast_admin"),
        "staff": w.staff,
        "officer": w.officer_a,
        "leader": w.leader,
        "enterprise": w.enterprise_user,
        "expert": make_user(Role.EXPERT, username="cast_expert"),
        "university": make_user(Role.UNIVERSITY, username="cast_university"),
        "agency": w.agency_user,
        "anonymous": None,
    }
    delegation = make_delegation(w, w.a1)
    campaign = campaign_services.campaign_create(
        user=w.staff,
        name="零申报走访",
        kind="zero_declaration",
        due_date=dt.date.today() + dt.timedelta(days=30),
        target_spec={"kind": "zero_rd", "year": 2023},
    )
    task = VisitTask.objects.filter(campaign=campaign, enterprise=w.a1).first()
    record = VisitRecord.objects.create(
        enterprise=w.a1,
        visit_date=dt.date.today(),
        people_met="企业负责人",
        findings="已走访",
        created_by=w.officer_a,
    )
    record.tasks.add(task)
    package = ServicePackage.objects.create(
        agency=w.agency, name="研发费用归集", price=1000, subsidy=0
    )
    submission = RDSubmission.objects.create(
        enterprise=w.a1, agency=w.agency, year=2024, submitted_by=w.agency_user
    )
    batch = ImportBatch.objects.create(
        entity=next(iter(SCHEMAS)), file_name="企业.xlsx", created_by=w.staff
    )
    from kechuang.qualifications.selectors import ruleset_rows

    rule_set = ruleset_rows()[0]
    from kechuang.reports.models import Report

    report = Report.objects.create(
        year=2024,
        format="pdf",
        filename="r.pdf",
        content=b"%PDF-1.7 test",
        size=13,
        duration_ms=1,
        generated_by=w.staff,
    )
    a1 = w.a1
    objects = {
        "town_a": w.town_a,
        "enterprise": a1,
        "annual_figure": a1.annual_figures.order_by("year").last(),
        "ip": IntellectualProperty.objects.create(
            enterprise=a1, kind="invention_patent", number="ZL-CAST-1", title="专利"
        ),
        "qualification": Qualification.objects.filter(enterprise=a1).first(),
        "institution": RDInstitution.objects.create(
            enterprise=a1,
            level="municipal_enterprise_rd_centre",
            name="研发中心",
            year_recognised=2020,
        ),
        "delegation": delegation,
        "campaign": campaign,
        "task": task,
        "visit_record": record,
        "agency": w.agency,
        "package": package,
        "submission": submission,
        "batch": batch,
        "rule_set": rule_set,
        "report": report,
        **_indicator_objects(w.staff),
    }
    objects.update(build_experts_cast(users, objects))
    objects.update(build_notices_cast(users, objects))
    objects.update(build_programmes_cast(users, objects))
    objects.update(build_cooperation_cast(users, objects))
    objects.update(build_platforms_cast(users, objects))
    objects.update(build_portal_cast(users, objects))
    objects.update(build_console_cast(users, objects))
    objects.update(build_enterprise_file_cast(users, objects))
    return Cast(users=users, objects=objects)
