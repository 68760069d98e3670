"""Writes of the cooperation app. Every service takes keyword-only arguments, checks the acting
user's right, validates with `full_clean()`, writes inside a transaction and records history with
the acting user (django-simple-history; bulk writes through its *_with_history helpers).

Rules: docs/cooperation.md (workflows, technical-contract registration, competitions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from kechuang.campaigns.models import Agency
from kechuang.core.access import can
from kechuang.core.permissions import user_role, user_scope
from kechuang.core.roles import STAFF_ROLES, Role
from kechuang.enterprises.models import Enterprise
from kechuang.experts.models import Expert, Organisation

from . import constants, matching
from .choices import (
    BrokeringStage,
    DemandSource,
    DemandStatus,
    RegistrationStatus,
)
from .logic import competition as competition_rules
from .logic import contracts as contract_rules
from .logic import workflow
from .models import (
    Achievement,
    BrokeringRecord,
    BrokeringStep,
    CompetitionEntrant,
    CompetitionResult,
    CooperationEvent,
    DemandMatch,
    TechContract,
    TechDemand,
    _organisation_ids,
)

__all__ = [
    "demand_save",
    "demand_close",
    "demand_renew",
    "demands_expire",
    "matches_refresh",
    "achievement_save",
    "brokering_start",
    "brokering_move",
    "contract_apply",
    "contract_accept",
    "contract_register",
    "contract_refuse",
    "event_save",
    "result_record",
]


M = TypeVar("M", bound=models.Model)


def _save(obj: M, *, user: Any, exclude: list[str] | None = None) -> M:
    obj._history_user = user  # type: ignore[attr-defined]
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


def _require(user: Any, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied(_("You may not do this."))


# ------------------------------------------------------------------ demands


def _check_demand_owner(user: Any, enterprise: Enterprise) -> None:
    """Enterprise users post for their own enterprise, officers for their town's, staff any."""
    role = user_role(user)
    if role in STAFF_ROLES:
        return
    scope = user_scope(user)
    if role == Role.ENTERPRISE and enterprise.pk in scope.enterprise_ids:
        return
    if role == Role.TOWN_OFFICER and enterprise.town_id in scope.town_ids:
        return
    raise ValidationError({"enterprise": _("You may not post demands for this enterprise.")})


@transaction.atomic
def demand_save(
    *, user: Any, data: dict[str, Any], instance: TechDemand | None = None, refresh: bool = True
) -> TechDemand:
    """Post or edit a technology demand, then rank its suppliers again."""
    _require(user, "cooperation.demand_post")
    demand = instance or TechDemand()
    if user_role(user) == Role.ENTERPRISE and instance is None:
        data = {**data, "enterprise": user.profile.enterprise}
    for name, value in data.items():
        setattr(demand, name, value)
    if demand.enterprise_id is None:
        raise ValidationError({"enterprise": _("Choose the enterprise.")})
    _check_demand_owner(user, demand.enterprise)
    visit = demand.visit_record if demand.visit_record_id else None
    if visit is not None:
        if visit.enterprise_id != demand.enterprise_id:
            raise ValidationError({"visit_record": _("The visit record is of another enterprise.")})
        demand.origin = DemandSource.VISIT
    elif demand.event_id and instance is None:
        demand.origin = DemandSource.EVENT
    if instance is None:
        demand.posted_on = demand.posted_on or dt.date.today()
        demand.expires_on = workflow.expiry_date(demand.posted_on, constants.demand_open_days())
        demand.created_by = user
    demand.updated_by = user
    _save(demand, user=user)
    if refresh:
        matches_refresh([demand])
    return demand


def _demand_move(user: Any, demand: TechDemand, target: str, **fields: Any) -> TechDemand:
    if not workflow.can_move(workflow.DEMAND_TRANSITIONS, demand.status, target):
        raise ValidationError(
            {
                "status": _("A demand that is %(current)s cannot become %(target)s.")
                % {
                    "current": demand.get_status_display(),
                    "target": DemandStatus(target).label,
                }
            }
        )
    demand.status = target
    for name, value in fields.items():
        setattr(demand, name, value)
    return _save(demand, user=user)


@transaction.atomic
def demand_close(*, user: Any, demand: TechDemand, reason: str) -> TechDemand:
    _require(user, "cooperation.demand_post")
    _check_demand_owner(user, demand.enterprise)
    if not (reason or "").strip():
        raise ValidationError({"close_reason": _("Give the reason for closing.")})
    return _demand_move(user, demand, DemandStatus.CLOSED, close_reason=reason.strip())


@transaction.atomic
def demand_renew(*, user: Any, demand: TechDemand, today: dt.date | None = None) -> TechDemand:
    """Keep a demand open for another period; an expired or closed one opens again."""
    _require(user, "cooperation.demand_post")
    _check_demand_owner(user, demand.enterprise)
    today = today or dt.date.today()
    if demand.status == DemandStatus.CONTRACTED:
        raise ValidationError({"status": _("A contracted demand is not renewed.")})
    if demand.status in (DemandStatus.CLOSED, DemandStatus.EXPIRED):
        demand.status = DemandStatus.OPEN
        demand.close_reason = ""
    demand.expires_on = workflow.expiry_date(today, constants.demand_open_days())
    demand.renewals += 1
    return _save(demand, user=user)


@transaction.atomic
def demands_expire(*, today: dt.date | None = None) -> int:
    """Mark live demands past their open-until date expired (one bulk update with history)."""
    today = today or dt.date.today()
    rows = list(TechDemand.objects.live().filter(expires_on__lt=today))
    for row in rows:
        row.status = DemandStatus.EXPIRED
    if rows:
        bulk_update_with_history(rows, TechDemand, ["status"], batch_size=500)
    return len(rows)


# ------------------------------------------------------------------ matches


@transaction.atomic
def matches_refresh(demands: Iterable[TechDemand], *, top: int = constants.MATCH_TOP) -> int:
    """Rank the suppliers of `demands` again and replace their stored matches (bulk)."""
    demands = list(demands)
    if not demands:
        return 0
    rows = []
    for demand in demands:
        for rank, hit in enumerate(matching.match_demand(demand, top=top), start=1):
            rows.append(
                DemandMatch(
                    demand=demand, achievement_id=hit.pk, rank=rank, score=hit.score, why=hit.why
                )
            )
    DemandMatch.objects.filter(demand__in=demands).delete()
    DemandMatch.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _matches_for_achievement(achievement: Achievement) -> None:
    """After an achievement changes, re-rank the live demands it now suits (or suited)."""
    hits = matching.match_achievement(achievement, top=constants.MATCH_TOP)
    affected = set(
        DemandMatch.objects.filter(achievement=achievement).values_list("demand_id", flat=True)
    ) | {h.pk for h in hits}
    matches_refresh(TechDemand.objects.filter(pk__in=affected))


# ------------------------------------------------------------------ achievements


@transaction.atomic
def achievement_save(
    *, user: Any, data: dict[str, Any], instance: Achievement | None = None, refresh: bool = True
) -> Achievement:
    """Post or edit an achievement: university/institute users for their own organisation."""
    _require(user, "cooperation.achievement_post")
    achievement = instance or Achievement()
    for name, value in data.items():
        setattr(achievement, name, value)
    if user_role(user) == Role.UNIVERSITY:
        own = _organisation_ids(user)
        if achievement.organisation_id not in own:
            if len(own) == 1 and instance is None:
                achievement.organisation_id = own[0]
            else:
                raise ValidationError(
                    {"organisation": _("You may post achievements of your own institution only.")}
                )
    if instance is None:
        achievement.created_by = user
    achievement.updated_by = user
    _save(achievement, user=user)
    if refresh:
        _matches_for_achievement(achievement)
    return achievement


# ------------------------------------------------------------------ brokering


def _step(
    record: BrokeringRecord,
    *,
    user: Any,
    stage: str,
    date: dt.date,
    agency: Agency | None = None,
    people: str = "",
    notes: str = "",
) -> BrokeringStep:
    step = BrokeringStep(
        record=record,
        stage=stage,
        date=date,
        officer=user if user_role(user) != Role.AGENCY else None,
        agency=agency,
        people=people,
        notes=notes,
    )
    return _save(step, user=user)


def _sync_demand(user: Any, demand: TechDemand) -> None:
    stages = list(demand.brokering.values_list("stage", flat=True))
    implied = workflow.demand_status_after_brokering(demand.status, stages)
    if implied != demand.status:
        demand.status = implied
        _save(demand, user=user)


def _user_agency(user: Any) -> Agency | None:
    member = getattr(user, "agency_membership", None) if user_role(user) == Role.AGENCY else None
    return member.agency if member else None


@transaction.atomic
def brokering_start(
    *,
    user: Any,
    demand: TechDemand,
    achievement: Achievement | None = None,
    supplier: Organisation | None = None,
    expert: Expert | None = None,
    event: CooperationEvent | None = None,
    started_on: dt.date | None = None,
    notes: str = "",
) -> BrokeringRecord:
    """Start brokering a demand with a named supplier (an achievement's institution, or an
    institution and expert). A match at an event is a record started with `event`."""
    _require(user, "cooperation.broker")
    if demand.status not in (DemandStatus.OPEN, DemandStatus.MATCHED, DemandStatus.NEGOTIATING):
        raise ValidationError({"demand": _("Only open demands are brokered.")})
    if achievement is not None:
        supplier = achievement.organisation
        expert = expert or achievement.contact_expert
    if supplier is None:
        raise ValidationError(
            {"supplier": _("Name the supplier: an achievement or an institution.")}
        )
    if expert is not None and expert.organisation_id != supplier.pk:
        raise ValidationError({"expert": _("The expert works for another institution.")})
    started_on = started_on or dt.date.today()
    if started_on > dt.date.today():
        raise ValidationError({"started_on": _("The date lies in the future.")})
    record = BrokeringRecord(
        demand=demand,
        achievement=achievement,
        supplier=supplier,
        expert=expert,
        event=event,
        officer=user if user_role(user) != Role.AGENCY else None,
        agency=_user_agency(user),
        stage=BrokeringStage.CANDIDATE,
        started_on=started_on,
        stage_on=started_on,
    )
    _save(record, user=user)
    _step(
        record,
        user=user,
        stage=BrokeringStage.CANDIDATE,
        date=started_on,
        agency=record.agency,
        notes=notes,
    )
    _sync_demand(user, demand)
    return record


@transaction.atomic
def brokering_move(
    *,
    user: Any,
    record: BrokeringRecord,
    stage: str,
    date: dt.date,
    people: str = "",
    notes: str = "",
    reason: str = "",
) -> BrokeringRecord:
    """Move a record one step along the table (logic.workflow.BROKERING_TRANSITIONS)."""
    _require(user, "cooperation.broker")
    if stage not in workflow.BROKERING_MANUAL_TARGETS or not workflow.can_move(
        workflow.BROKERING_TRANSITIONS, record.stage, stage
    ):
        raise ValidationError(
            {
                "stage": _("A record at “%(current)s” cannot move to “%(target)s”.")
                % {
                    "current": record.get_stage_display(),
                    "target": BrokeringStage(stage).label
                    if stage in BrokeringStage.values
                    else stage,
                }
            }
        )
    if date is None or date < record.stage_on:
        raise ValidationError({"date": _("The date is before the record's last step.")})
    if date > dt.date.today():
        raise ValidationError({"date": _("The date lies in the future.")})
    if stage == BrokeringStage.CLOSED and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing.")})
    if stage == BrokeringStage.MEETING and not people.strip():
        raise ValidationError({"people": _("Name the people at the meeting.")})
    record.stage = stage
    record.stage_on = date
    if stage == BrokeringStage.CLOSED:
        record.close_reason = reason.strip()
    _save(record, user=user)
    _step(
        record,
        user=user,
        stage=stage,
        date=date,
        agency=_user_agency(user),
        people=people,
        notes=notes or reason,
    )
    _sync_demand(user, record.demand)
    return record


# ------------------------------------------------------------------ technical contracts


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError({field: _("Enter an amount in yuan.")}) from exc
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in yuan.")})
    return amount


@transaction.atomic
def contract_apply(*, user: Any, data: dict[str, Any]) -> TechContract:
    """The seller side applies for registration with the written contract
    (国科发政字〔2000〕063号 第六条、第七条: written contracts only, oral ones are not accepted)."""
    _require(user, "contracts.apply")
    contract = TechContract(**data)
    if not contract.written_contract:
        raise ValidationError(
            {
                "written_contract": _(
                    "Attach the complete written contract; oral contracts are not registered."
                )
            }
        )
    role = user_role(user)
    if role == Role.ENTERPRISE and contract.seller_enterprise_id != user.profile.enterprise_id:
        raise ValidationError({"seller_enterprise": _("Your enterprise must be the seller side.")})
    if role == Role.UNIVERSITY and contract.seller_organisation_id not in _organisation_ids(user):
        raise ValidationError(
            {"seller_organisation": _("Your institution must be the seller side.")}
        )
    seller = contract.seller_enterprise if contract.seller_enterprise_id else None
    if seller is not None and not contract.town_id:
        contract.town_id = seller.town_id
    if seller is not None and not contract.industry_code:
        contract.industry_code = seller.industry_code
    brokering = contract.brokering if contract.brokering_id else None
    if brokering is not None:
        if brokering.stage != BrokeringStage.NEGOTIATION:
            raise ValidationError(
                {"brokering": _("Only a brokering record in negotiation leads to a contract.")}
            )
    contract.applied_on = contract.applied_on or dt.date.today()
    contract.status = RegistrationStatus.APPLIED
    contract.created_by = user
    return _save(contract, user=user)


def _pending(contract: TechContract, *statuses: str) -> None:
    if contract.status not in statuses:
        raise ValidationError(
            {
                "status": _("This application is already %(status)s.")
                % {"status": contract.get_status_display()}
            }
        )


@transaction.atomic
def contract_accept(*, user: Any, contract: TechContract, accepted_on: dt.date) -> TechContract:
    """Accept a complete application: the decision period starts on this day."""
    _require(user, "contracts.decide")
    _pending(contract, RegistrationStatus.APPLIED)
    if accepted_on < contract.applied_on:
        raise ValidationError({"accepted_on": _("Acceptance cannot precede the application.")})
    contract.status = RegistrationStatus.ACCEPTED
    contract.accepted_on = accepted_on
    return _save(contract, user=user)


@transaction.atomic
def contract_register(
    *,
    user: Any,
    contract: TechContract,
    registered_type: str,
    non_technical_costs: Any,
    certificate_number: str,
    decided_on: dt.date,
) -> TechContract:
    """Register: the type (Civil Code), the verified technical transaction amount (total minus
    non-technical costs, 国科发政字〔2001〕253号) and the registration number. A contract that came
    from a brokering record closes that record as contracted."""
    _require(user, "contracts.decide")
    _pending(contract, RegistrationStatus.ACCEPTED)
    deductions = _money(
        non_technical_costs if non_technical_costs not in (None, "") else 0, "non_technical_costs"
    )
    try:
        amount = contract_rules.technical_amount(contract.total_amount, deductions)
    except contract_rules.AmountError as exc:
        message = {
            "total_amount": _("The contract total must be positive."),
            "non_technical_costs": _(
                "Non-technical costs must lie between zero and the contract total."
            ),
        }[exc.field]
        raise ValidationError({exc.field: message}) from exc
    if not (certificate_number or "").strip():
        raise ValidationError({"certificate_number": _("Enter the registration number.")})
    # An accepted contract has its acceptance date (contract_accept sets both).
    if contract.accepted_on is not None and decided_on < contract.accepted_on:
        raise ValidationError({"decided_on": _("The decision cannot precede acceptance.")})
    contract.status = RegistrationStatus.REGISTERED
    contract.registered_type = registered_type
    contract.non_technical_costs = deductions
    contract.technical_amount = amount
    contract.certificate_number = certificate_number.strip()
    contract.decided_on = decided_on
    contract.decided_by = user
    try:
        with transaction.atomic():
            _save(contract, user=user)
    except IntegrityError as exc:
        raise ValidationError(
            {"certificate_number": _("This registration number is already used.")}
        ) from exc
    record = contract.brokering
    if record is not None and record.stage == BrokeringStage.NEGOTIATION:
        record.stage = BrokeringStage.CONTRACTED
        record.stage_on = decided_on
        _save(record, user=user)
        _step(
            record,
            user=user,
            stage=BrokeringStage.CONTRACTED,
            date=decided_on,
            notes=_("Technical contract registered: %(number)s")
            % {"number": contract.certificate_number},
        )
        _sync_demand(user, record.demand)
    return contract


@transaction.atomic
def contract_refuse(
    *, user: Any, contract: TechContract, refusal_reason: str, decided_on: dt.date
) -> TechContract:
    """Refuse (未予登记) and return the application with the reason."""
    _require(user, "contracts.decide")
    _pending(contract, RegistrationStatus.APPLIED, RegistrationStatus.ACCEPTED)
    reason = (refusal_reason or "").strip()
    if not reason:
        raise ValidationError(
            {"refusal_reason": _("Give the reason the contract is not registered.")}
        )
    if decided_on < (contract.accepted_on or contract.applied_on):
        raise ValidationError({"decided_on": _("The decision cannot precede the application.")})
    contract.status = RegistrationStatus.REFUSED
    contract.refusal_reason = reason
    contract.decided_on = decided_on
    contract.decided_by = user
    return _save(contract, user=user)


# ------------------------------------------------------------------ events and competitions


@transaction.atomic
def event_save(
    *,
    user: Any,
    data: dict[str, Any],
    m2m: dict[str, Any] | None = None,
    instance: CooperationEvent | None = None,
) -> CooperationEvent:
    _require(user, "cooperation.events_manage")
    event = instance or CooperationEvent(created_by=user)
    for name, value in data.items():
        setattr(event, name, value)
    _save(event, user=user)
    for name, values in (m2m or {}).items():
        getattr(event, name).set(values)
    return event


@transaction.atomic
def result_record(
    *, user: Any, entrant: CompetitionEntrant, stage: str, data: dict[str, Any]
) -> CompetitionResult:
    """Record an entrant's result at a stage of its division's chain: the previous stage must
    have been passed (advanced)."""
    _require(user, "competitions.manage")
    division = entrant.competition.division
    try:
        previous = competition_rules.previous_stage(division, stage)
    except ValueError as exc:
        raise ValidationError({"stage": _("This stage is not on the division's chain.")}) from exc
    if previous and not entrant.results.filter(stage=previous, advanced=True).exists():
        raise ValidationError({"stage": _("The entrant did not advance from the previous stage.")})
    result = entrant.results.filter(stage=stage).first() or CompetitionResult(
        entrant=entrant, stage=stage
    )
    for name, value in data.items():
        setattr(result, name, value)
    _save(result, user=user)
    chain = competition_rules.STAGE_CHAIN[division]
    if (
        chain.index(stage) > chain.index(entrant.furthest_stage)
        if entrant.furthest_stage in chain
        else True
    ):
        entrant.furthest_stage = stage
        _save(entrant, user=user)
    return result
