"""One field policy per role: which fields of the registry each role may set, on every write path.

The HTML forms disable the fields a role may not set, the API serializers refuse them with a
field message (400) and the services check them again, so the same table decides for the form,
the API and the import. The import is a bureau tool: only bureau admin/staff may run it.

Who writes what, by role:
- Bureau admin and bureau staff set every field of every registry model.
- An enterprise account never writes the registry directly. It proposes its yearly figures
  through a reviewed submission (`FigureSubmission`), and only the fields it declares itself:
  never the statistics bureau's above-scale classification nor the credit-list status, which come
  from official sources; never the enterprise's identity (credit code, name, town, industry).
- Bureau staff review submissions (accept or return with a reason); they do not write them.
- Every other role (town officer, leader, expert, university, agency) writes nothing here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kechuang.core.permissions import user_role
from kechuang.core.roles import STAFF_ROLES, Role

__all__ = [
    "ALL",
    "ENTERPRISE_FIGURE_FIELDS",
    "OFFICIAL_FIGURE_FIELDS",
    "FieldPolicyError",
    "writable_fields",
    "forbidden_fields",
    "check_fields",
    "can_import",
    "require_import",
    "disable_forbidden",
]

ALL = "__all__"

# Set only from official sources (statistics bureau, credit-information system): never by the
# enterprise itself.
OFFICIAL_FIGURE_FIELDS = frozenset({"is_above_scale_industrial", "credit_listed"})

# The yearly figures an enterprise declares itself (in a submission the bureau reviews).
ENTERPRISE_FIGURE_FIELDS = (
    "operating_revenue",
    "sales_revenue",
    "main_business_revenue",
    "total_income",
    "non_taxable_income",
    "total_assets",
    "total_liabilities",
    "total_cost_expense",
    "hightech_income",
    "employees_avg",
    "employees_year_end",
    "tech_staff_avg",
    "tech_staff_year_end",
    "rd_expense_stat",
    "rd_hnte_total",
    "rd_hnte_domestic",
    "rd_hnte_personnel",
    "rd_hnte_direct",
    "rd_hnte_depreciation",
    "rd_hnte_intangible",
    "rd_hnte_design",
    "rd_hnte_equipment_trial",
    "rd_hnte_commissioned",
    "rd_hnte_other",
    "rd_deduction_scope",
    "incident_reported",
    "in_restricted_catalogue",
    "core_tech_in_supported_fields",
)

# role -> model label -> writable field names (ALL = every field). Missing = nothing.
POLICY: dict[str, dict[str, frozenset[str] | str]] = {
    Role.BUREAU_ADMIN: {
        "enterprises.Enterprise": ALL,
        "enterprises.AnnualFigure": ALL,
        "enterprises.IntellectualProperty": ALL,
        "enterprises.Qualification": ALL,
    },
    Role.BUREAU_STAFF: {
        "enterprises.Enterprise": ALL,
        "enterprises.AnnualFigure": ALL,
        "enterprises.IntellectualProperty": ALL,
        "enterprises.Qualification": ALL,
    },
    Role.ENTERPRISE: {
        "enterprises.FigureSubmission": frozenset({"year", *ENTERPRISE_FIGURE_FIELDS}),
    },
}


# The models this table decides for.
GOVERNED = frozenset(label for table in POLICY.values() for label in table)


class FieldPolicyError(PermissionDenied):
    """Fields the user's role may not set; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(
            _("You may not set these fields: %(fields)s.") % {"fields": ", ".join(errors)}
        )
        self.errors = errors


def _label(model) -> str:
    return model if isinstance(model, str) else model._meta.label


def _role(user_or_role):
    if user_or_role is None or isinstance(user_or_role, str):
        return user_or_role
    return user_role(user_or_role)


def writable_fields(user_or_role, model) -> frozenset[str] | str:
    """The fields of `model` the role may set: a frozenset of names, or ALL."""
    role = _role(user_or_role)
    label = _label(model)
    if label not in GOVERNED and role in STAFF_ROLES:
        return ALL  # models outside this table keep the role table: the bureau writes them
    return POLICY.get(role, {}).get(label, frozenset())


def may_write(user_or_role, model) -> bool:
    """Whether the role may write `model` at all."""
    allowed = writable_fields(user_or_role, model)
    return allowed == ALL or bool(allowed)


def forbidden_fields(user_or_role, model, fields: Iterable[str]) -> list[str]:
    """The names in `fields` that the role may not set (in their given order)."""
    allowed = writable_fields(user_or_role, model)
    if allowed == ALL:
        return []
    return [name for name in fields if name not in allowed]


def field_message() -> str:
    return _("Your role may not set this field.")


def check_fields(user_or_role, model, fields: Iterable[str]) -> None:
    """Raise FieldPolicyError naming every field of `fields` the role may not set."""
    bad = forbidden_fields(user_or_role, model, fields)
    if bad:
        raise FieldPolicyError({name: [field_message()] for name in bad})


def can_import(user) -> bool:
    """Imports write the registry in bulk: bureau admin/staff only (or the command line, user None)."""
    return user is None or user_role(user) in STAFF_ROLES


def require_import(user) -> None:
    if not can_import(user):
        raise PermissionDenied(_("Only bureau staff may import data."))


def disable_forbidden(form, user_or_role, model) -> None:
    """Disable the form fields the role may not set (their posted values are then ignored)."""
    allowed = writable_fields(user_or_role, model)
    if allowed == ALL:
        return
    for name, field in form.fields.items():
        if name not in allowed:
            field.disabled = True
