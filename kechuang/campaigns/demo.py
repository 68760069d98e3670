"""Demo extension: the 2025 work of the seed's plan §一 on the demo region (idempotent).

- a diagnosis + improvement campaign over all above-scale industrial enterprises of the latest
  data year (诊断+提升全覆盖), and a zero-declaration visit campaign (零申报走访) on the same year,
  with a few visits already recorded by the demo town officer;
- last year's zero-declaration campaign, mostly done, so the outcome comparison has figures;
- a visit contact (synthetic) for every enterprise with a visit task;
- the S&T service alliance: "慈溪市XX财务咨询有限公司" with its R&D accounting package
  (会计代理服务套餐), the demo user `agency` as its member, and a delegation from the demo
  `enterprise` user's enterprise.

Every object is found by its natural key first, so a second `make demo` adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kechuang.enterprises.models import AnnualFigure

from .choices import CampaignKind, TaskState
from .logic.workflow import default_due_date
from .models import (
    Agency,
    AgencyMember,
    Campaign,
    Delegation,
    EnterpriseContact,
    ServicePackage,
    VisitTask,
)
from .services import campaign_create, visit_record_create

__all__ = ["campaigns_demo", "AGENCY_NAME"]

AGENCY_NAME = "慈溪市XX财务咨询有限公司"
PACKAGE_NAME = "研发投入归集会计代理服务套餐"


def _user(username):
    return get_user_model().objects.filter(username=username).select_related("profile").first()


def _campaign(name, **kwargs):
    existing = Campaign.objects.filter(name=name).first()
    return existing or campaign_create(name=name, **kwargs)


@transaction.atomic
def campaigns_demo(*, generated: bool) -> None:
    staff, town, agency_user, enterprise_user = (
        _user(n) for n in ("staff", "town", "agency", "enterprise")
    )
    year = AnnualFigure.objects.order_by("-year").values_list("year", flat=True).first()
    if staff is None or year is None:
        return
    today = dt.date.today()

    # ---------------------------------------------------------------- service alliance
    agency = Agency.objects.filter(name=AGENCY_NAME).first()
    if agency is None:
        agency = Agency(
            name=AGENCY_NAME,
            contact_person="张会计",
            contact_phone="0574-6300XXXX",
            services="研发费用辅助账建立、研发投入归集、加计扣除申报辅导",
        )
        agency._history_user = staff
        agency.save()
    package = ServicePackage.objects.filter(agency=agency, name=PACKAGE_NAME).first()
    if package is None:
        package = ServicePackage(
            agency=agency,
            name=PACKAGE_NAME,
            included="研发项目立项资料整理；研发费用辅助账（按高企口径八类归集）；"
            "年度研发投入统计报表与加计扣除申报辅导",
            price=Decimal("6000.00"),
            subsidy=Decimal("3000.00"),
        )
        package._history_user = staff
        package.save()
    if agency_user is not None and not AgencyMember.objects.filter(user=agency_user).exists():
        member = AgencyMember(agency=agency, user=agency_user)
        member._history_user = staff
        member.save()
    own = getattr(getattr(enterprise_user, "profile", None), "enterprise", None)
    if own is not None and not Delegation.objects.filter(enterprise=own, agency=agency).exists():
        delegation = Delegation(
            enterprise=own,
            agency=agency,
            package=package,
            start_date=today - dt.timedelta(days=90),
            end_date=today + dt.timedelta(days=275),
            created_by=enterprise_user,
        )
        delegation._history_user = enterprise_user
        delegation.save()

    # ---------------------------------------------------------------- campaigns
    _campaign(
        f"{year + 1}年研发投入诊断+提升全覆盖",
        user=staff,
        kind=CampaignKind.DIAGNOSIS,
        target_spec={"kind": "above_scale", "year": year},
        # Due the same month as the zero-declaration visits: one visit serves both campaigns.
        due_date=default_due_date(today, 30),
        description="对全部规上工业企业开展研发投入诊断，针对性提升研发费用归集水平。",
    )
    zero = Campaign.objects.filter(name=f"{year + 1}年零申报企业上门走访").first()
    if zero is None:
        zero = _campaign(
            f"{year + 1}年零申报企业上门走访",
            user=staff,
            kind=CampaignKind.ZERO_DECLARATION,
            target_spec={"kind": "zero_rd", "year": year},
            due_date=default_due_date(today, 30),
            description="对研发费用零申报的规上工业企业逐家上门走访，高企、科小零申报优先。",
        )
        if town is not None:
            for task in VisitTask.objects.filter(campaign=zero, assignee=town).order_by("pk")[:3]:
                visit_record_create(
                    user=town,
                    task=task,
                    visit_date=today - dt.timedelta(days=2),
                    people_met="企业财务负责人",
                    findings="研发活动存在，但研发费用未单独归集。",
                    agreed_actions="建立研发费用辅助账，委托服务联盟机构辅导归集。",
                    outcome=TaskState.FOLLOW_UP,
                )
    if not Campaign.objects.filter(name=f"{year}年零申报企业上门走访").exists():
        past = campaign_create(
            name=f"{year}年零申报企业上门走访",
            user=staff,
            kind=CampaignKind.ZERO_DECLARATION,
            target_spec={"kind": "zero_rd", "year": year - 1},
            due_date=dt.date(year, 9, 30),
        )
        tasks = list(past.tasks.order_by("pk"))
        # Deterministic: four in five were visited and closed, the rest never visited.
        done = [t for i, t in enumerate(tasks) if i % 5 != 4]
        for t in done:
            t.state = TaskState.CLOSED
        bulk_update_with_history(done, VisitTask, ["state"], default_user=staff)

    # ---------------------------------------------------------------- visit contacts
    _contacts_ensure(staff)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗"
POSITIONS = ("财务负责人", "总经理", "技术总监", "行政主管", "研发部经理")


def _contacts_ensure(staff) -> None:
    """A synthetic contact for every enterprise with a visit task that has none (one bulk
    insert). Names and extensions are made up from the enterprise id; the numbers end in XXXX
    so that none is a real telephone."""
    have = EnterpriseContact.objects.values("enterprise_id")
    ids = (
        VisitTask.objects.exclude(enterprise_id__in=have)
        .order_by("enterprise_id")
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
    contacts = [
        EnterpriseContact(
            enterprise_id=pk,
            person=f"{SURNAMES[pk % len(SURNAMES)]}{'先生' if pk % 3 else '女士'}",
            position=POSITIONS[pk % len(POSITIONS)],
            phone=f"0574-63{pk % 100:02d}XXXX",
        )
        for pk in ids
    ]
    bulk_create_with_history(contacts, EnterpriseContact, batch_size=1000, default_user=staff)
