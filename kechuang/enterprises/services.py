"""Writes of the enterprise registry: enterprises, yearly figures, IP and held qualifications.

Every service takes keyword-only arguments, checks that the user may write, validates with
`full_clean()` (plus the cross-field checks the import applies), saves inside
`transaction.atomic()` with provenance and history (django-simple-history), and finally checks
that the saved row is still inside the user's scope (NetBox's "still in the allowed rows" check),
rolling back otherwise.

Who may write which fields is the field policy of `policy.py` (one table for the form, the API
and the import): bureau admin and bureau staff write everything; an enterprise account never
writes the registry, it proposes its own yearly figures as a `FigureSubmission` (the reviewed
workflow of `submissions.py`); every other role is refused with `PermissionDenied`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kechuang.core import years
from kechuang.core.hooks import data_changed
from kechuang.core.permissions import user_role
from kechuang.core.roles import STAFF_ROLES, Role

from . import policy
from .choices import DataSource, QualificationKind
from .constants import HIGH_TECH_VALIDITY_YEARS
from .logic.credit_code import CreditCodeError, validate_credit_code
from .models import (
    AnnualFigure,
    Enterprise,
    FigureSubmission,
    IntellectualProperty,
    Qualification,
)

__all__ = [
    "MAX_MONEY",
    "user_can_create",
    "user_can_write",
    "enterprise_create",
    "enterprise_update",
    "annual_figure_create",
    "annual_figure_update",
    "ip_create",
    "ip_update",
    "qualification_create",
    "qualification_update",
    "high_tech_expiry_date",
    "save_with_provenance",
    "require_write",
    "apply_fields",
    "check_year",
]

# yuan; the same ceiling as the import (imports.schemas.MAX_MONEY): catches unit slips.
MAX_MONEY = Decimal(10**15)

# Fields a service never takes from its caller: provenance is set here, timestamps by Django.
PROTECTED_FIELDS = frozenset(
    {"id", "pk", "source", "import_batch", "source_row", "updated_by", "updated_at", "created_at"}
)


# ------------------------------------------------------------------ permissions


def _own_enterprise_id(user: Any) -> int | None:
    profile = getattr(user, "profile", None)
    return getattr(profile, "enterprise_id", None)


def user_can_create(user: Any, model: type[models.Model]) -> bool:
    """Whether the user's role may create rows of `model` at all (before any enterprise is known).

    Used by the API to answer 403 before parsing input; the services check again per enterprise.
    """
    role = user_role(user)
    if role in STAFF_ROLES:
        return policy.may_write(role, model)
    return (
        role == Role.ENTERPRISE
        and policy.may_write(role, model)
        and _own_enterprise_id(user) is not None
    )


def user_can_write(
    user: Any, model: type[models.Model], *, enterprise_id: int | None = None
) -> bool:
    """Whether the user may create or change a row of `model` belonging to `enterprise_id`.

    Bureau admin/staff: every registry model. Enterprise account: only its own enterprise's
    figure submissions (never the registry itself). Everyone else: never.
    """
    role = user_role(user)
    if role in STAFF_ROLES:
        return policy.may_write(role, model)
    if role == Role.ENTERPRISE and policy.may_write(role, model):
        own = _own_enterprise_id(user)
        return own is not None and enterprise_id == own
    return False


def require_write(user: Any, model: Any, *, enterprise_ids: Any = (), fields: Any = ()) -> None:
    """Refuse (PermissionDenied) unless the user may write `model` rows of these enterprises and
    set each of `fields` (policy.FieldPolicyError names the refused fields)."""
    ids = list(enterprise_ids) or [None]
    if not all(user_can_write(user, model, enterprise_id=i) for i in ids):
        raise PermissionDenied(_("You may not change this record."))
    policy.check_fields(user, model, fields)


def _source_for(user: Any) -> str:
    return DataSource.ENTERPRISE if user_role(user) == Role.ENTERPRISE else DataSource.FORM


# ------------------------------------------------------------------ shared helpers


def apply_fields(obj: models.Model, fields: dict) -> None:
    """Set `fields` on `obj`; unknown or protected names are a programming error."""
    allowed = {f.name for f in obj._meta.concrete_fields} | {
        f.attname for f in obj._meta.concrete_fields
    }
    for name, value in fields.items():
        if name in PROTECTED_FIELDS or name not in allowed:
            raise TypeError(f"{type(obj).__name__} has no writable field {name!r}")
        setattr(obj, name, value)


def _check_money(obj: models.Model, names: Any, errors: dict) -> None:
    for name in names:
        value = getattr(obj, name)
        if value is None:
            continue
        if isinstance(value, (int, float, str)):
            try:
                value = Decimal(str(value))
            except ArithmeticError:
                continue  # full_clean reports the malformed number
        if not isinstance(value, Decimal) or not value.is_finite():
            continue
        if value < 0:
            errors.setdefault(name, []).append(_("An amount cannot be negative."))
        elif value > MAX_MONEY:
            errors.setdefault(name, []).append(
                _("An amount cannot exceed %(max)s yuan; check the unit.")
                % {"max": f"{MAX_MONEY:,.0f}"}
            )


def check_year(obj: models.Model, name: str, errors: dict) -> None:
    """The year lies in the reporting-year window (kechuang.core.years); full_clean checks it
    too through the field's validator, this names it once before the cross-field checks."""
    value = getattr(obj, name)
    if value is None:
        return
    if isinstance(value, int) and not years.in_window(value):
        errors.setdefault(name, []).append(years.window_message())


def _check_not_greater(obj: Any, small: str, large: str, message: str, errors: dict) -> None:
    a, b = getattr(obj, small), getattr(obj, large)
    try:
        if a is not None and b is not None and a > b:
            errors.setdefault(small, []).append(message % {"other": large, "value": b})
    except TypeError:
        pass  # uncoerced input: full_clean reports it on the field


M = TypeVar("M", bound=models.Model)


def save_with_provenance(obj: M, *, user: Any, errors: dict | None = None) -> M:
    """Validate and save `obj` as `user` wrote it, then check it is still in the user's scope.

    Sets `source`/`updated_by` on models with provenance and the history user for
    django-simple-history. Raises ValidationError (field-level) or PermissionDenied; in both
    cases nothing is written.
    """
    record: Any = obj  # provenance fields and the history user are not on every model
    if hasattr(obj, "updated_by_id"):
        record.source = _source_for(user)
        record.updated_by = user if getattr(user, "is_authenticated", False) else None
    record._history_user = user if getattr(user, "is_authenticated", False) else None
    errors = dict(errors or {})
    try:
        obj.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(
                m for m in messages if m not in errors.get(field, [])
            )
    if errors:
        raise ValidationError(errors)
    model: Any = type(obj)
    with transaction.atomic():
        obj.save()
        if not model.objects.for_user(user).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("The record would be outside the records you may see."))
        data_changed(years=[obj.year] if isinstance(obj, AnnualFigure) else None)
    return obj


# ------------------------------------------------------------------ Enterprise


def _normalise_credit_code(fields: dict) -> None:
    code = fields.get("credit_code")
    if isinstance(code, str):
        try:
            fields["credit_code"] = validate_credit_code(code)
        except CreditCodeError:
            fields["credit_code"] = code.strip().upper()  # full_clean names the problem


def enterprise_create(*, user: Any, **fields: Any) -> Enterprise:
    """Register an enterprise. `fields` are Enterprise fields (credit_code, name, town, ...).

    Only bureau admin/staff may. Raises PermissionDenied or ValidationError.
    """
    require_write(user, Enterprise, fields=fields)
    _normalise_credit_code(fields)
    enterprise = Enterprise()
    apply_fields(enterprise, fields)
    return save_with_provenance(enterprise, user=user)


def enterprise_update(*, enterprise: Enterprise, user: Any, **fields: Any) -> Enterprise:
    """Change an enterprise's registry fields. Only bureau admin/staff may."""
    require_write(user, Enterprise, enterprise_ids=[enterprise.pk], fields=fields)
    _normalise_credit_code(fields)
    apply_fields(enterprise, fields)
    return save_with_provenance(enterprise, user=user)


# ------------------------------------------------------------------ AnnualFigure

ANNUAL_FIGURE_MONEY_FIELDS = tuple(
    f.name
    for f in AnnualFigure._meta.concrete_fields
    if isinstance(f, models.DecimalField) and f.decimal_places == 2 and f.max_digits == 18
)


def _annual_figure_errors(figure: AnnualFigure | FigureSubmission) -> dict:
    errors: dict = {}
    check_year(figure, "year", errors)
    _check_money(figure, ANNUAL_FIGURE_MONEY_FIELDS, errors)
    _check_money(figure, ("employees_avg", "tech_staff_avg"), errors)
    staff = _("S&T staff exceed staff (%(other)s = %(value)s).")
    _check_not_greater(figure, "tech_staff_year_end", "employees_year_end", staff, errors)
    _check_not_greater(figure, "tech_staff_avg", "employees_avg", staff, errors)
    _check_not_greater(
        figure,
        "rd_hnte_domestic",
        "rd_hnte_total",
        _("Domestic R&D exceeds total R&D (%(other)s = %(value)s)."),
        errors,
    )
    _check_not_greater(
        figure,
        "main_business_revenue",
        "sales_revenue",
        _("Main business revenue exceeds sales revenue (%(other)s = %(value)s)."),
        errors,
    )
    _check_not_greater(
        figure,
        "non_taxable_income",
        "total_income",
        _("Non-taxable income exceeds total income (%(other)s = %(value)s)."),
        errors,
    )
    return errors


def annual_figure_create(
    *, user: Any, enterprise: Enterprise, year: int, **fields: Any
) -> AnnualFigure:
    """Record one enterprise's figures for `year` (money in yuan).

    Bureau admin/staff may for any enterprise; an enterprise account only for its own
    (the row's source is then "enterprise"). Raises PermissionDenied or ValidationError.
    """
    require_write(user, AnnualFigure, enterprise_ids=[enterprise.pk], fields=fields)
    figure = AnnualFigure(enterprise=enterprise, year=year)
    apply_fields(figure, fields)
    return save_with_provenance(figure, user=user, errors=_annual_figure_errors(figure))


def annual_figure_update(*, figure: AnnualFigure, user: Any, **fields: Any) -> AnnualFigure:
    """Change a yearly-figures row; moving it to another enterprise needs rights on both."""
    target = fields.get("enterprise", figure.enterprise)
    require_write(
        user,
        AnnualFigure,
        enterprise_ids={figure.enterprise_id, getattr(target, "pk", None)},
        fields=fields,
    )
    apply_fields(figure, fields)
    return save_with_provenance(figure, user=user, errors=_annual_figure_errors(figure))


# ------------------------------------------------------------------ IntellectualProperty


def _ip_errors(ip: IntellectualProperty) -> dict:
    errors: dict = {}
    check_year(ip, "used_in_hnte_application_year", errors)
    _check_not_greater(
        ip,
        "application_date",
        "grant_date",
        _("Application date is after the grant date (%(other)s = %(value)s)."),
        errors,
    )
    _check_not_greater(
        ip,
        "grant_date",
        "expiry_date",
        _("Grant date is after the expiry date (%(other)s = %(value)s)."),
        errors,
    )
    return errors


def ip_create(*, user: Any, enterprise: Enterprise, **fields: Any) -> IntellectualProperty:
    """Record an IP item of an enterprise. Only bureau admin/staff may."""
    require_write(user, IntellectualProperty, enterprise_ids=[enterprise.pk], fields=fields)
    ip = IntellectualProperty(enterprise=enterprise)
    apply_fields(ip, fields)
    return save_with_provenance(ip, user=user, errors=_ip_errors(ip))


def ip_update(*, ip: IntellectualProperty, user: Any, **fields: Any) -> IntellectualProperty:
    """Change an IP item. Only bureau admin/staff may."""
    require_write(user, IntellectualProperty, enterprise_ids=[ip.enterprise_id], fields=fields)
    apply_fields(ip, fields)
    return save_with_provenance(ip, user=user, errors=_ip_errors(ip))


# ------------------------------------------------------------------ Qualification


def high_tech_expiry_date(issue_date: dt.date) -> dt.date:
    """Last day of validity of a high-tech certificate issued on `issue_date`.

    Valid for 3 years from issue (国科发火〔2016〕32号 第九条), half-open: the last valid day is
    the day before the third anniversary (29 February → 28 February in the target year).
    """
    try:
        anniversary = issue_date.replace(year=issue_date.year + HIGH_TECH_VALIDITY_YEARS)
    except ValueError:
        anniversary = issue_date.replace(year=issue_date.year + HIGH_TECH_VALIDITY_YEARS, day=28)
    return anniversary - dt.timedelta(days=1)


def _qualification_errors(q: Qualification) -> dict:
    errors: dict = {}
    check_year(q, "year", errors)
    _check_not_greater(
        q,
        "issue_date",
        "expiry_date",
        _("Issue date is after the expiry date (%(other)s = %(value)s)."),
        errors,
    )
    _check_not_greater(
        q,
        "issue_date",
        "revoked_date",
        _("Issue date is after the revocation date (%(other)s = %(value)s)."),
        errors,
    )
    return errors


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def qualification_create(*, user: Any, enterprise: Enterprise, **fields: Any) -> Qualification:
    """Record a qualification an enterprise holds. Only bureau admin/staff may.

    A high-tech certificate without an expiry date gets issue date + 3 years − 1 day.
    """
    require_write(user, Qualification, enterprise_ids=[enterprise.pk], fields=fields)
    q = Qualification(enterprise=enterprise)
    apply_fields(q, fields)
    if q.kind == QualificationKind.HIGH_TECH and q.expiry_date is None and _is_date(q.issue_date):
        q.expiry_date = high_tech_expiry_date(q.issue_date)
    return save_with_provenance(q, user=user, errors=_qualification_errors(q))


def qualification_update(
    *, qualification: Qualification, user: Any, **fields: Any
) -> Qualification:
    """Change a qualification. Only bureau admin/staff may.

    For a high-tech certificate whose expiry date was the default, a new issue date moves the
    default expiry date with it unless the caller passes an expiry date.
    """
    q = qualification
    require_write(user, Qualification, enterprise_ids=[q.enterprise_id], fields=fields)
    old_default = (
        q.kind == QualificationKind.HIGH_TECH
        and _is_date(q.issue_date)
        and q.expiry_date == high_tech_expiry_date(q.issue_date)
    )
    apply_fields(q, fields)
    if q.kind == QualificationKind.HIGH_TECH and _is_date(q.issue_date):
        if q.expiry_date is None or (old_default and "expiry_date" not in fields):
            q.expiry_date = high_tech_expiry_date(q.issue_date)
    return save_with_provenance(q, user=user, errors=_qualification_errors(q))
