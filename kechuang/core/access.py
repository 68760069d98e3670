"""The access policy: one table, capability → the roles that hold it and the scope each gets.

Every check reads this table: HTML views through `@requires("cap")`, API views through
`HasCapability` (a view declares `capability = "cap"` or one per action), the navigation through
`NAVIGATION`, templates through the `can` filter, and every aggregate through `scope_for` /
`aggregate_queryset`. The roles are those of README's "Roles" paragraph; a role
absent from a capability does not hold it (403), and a role that holds it sees only the objects
of its scope (others answer 404, never revealing that they exist).

Scopes:
- all: every record of the home region;
- town: the enterprises registered in the officer's town (and tasks assigned to the officer);
- own: the user's own enterprise (or own agency);
- delegated: the enterprises that delegate to the user's service agency today;
- none: no records (the capability still opens the page, which then lists nothing).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .permissions import Scope, user_role, user_scope
from .roles import Role

__all__ = [
    "ScopeKind",
    "POLICY",
    "NAVIGATION",
    "PUBLIC",
    "can",
    "check",
    "requires",
    "role_scope",
    "scope_for",
    "aggregate_queryset",
    "HasCapability",
    "api_capability",
    "navigation_items",
]


class ScopeKind(enum.StrEnum):
    ALL = "all"
    TOWN = "town"
    OWN = "own"
    DELEGATED = "delegated"
    NONE = "none"


ALL, TOWN, OWN, DELEGATED, NONE = (
    ScopeKind.ALL,
    ScopeKind.TOWN,
    ScopeKind.OWN,
    ScopeKind.DELEGATED,
    ScopeKind.NONE,
)
ADMIN, STAFF, OFFICER, LEADER = (
    Role.BUREAU_ADMIN,
    Role.BUREAU_STAFF,
    Role.TOWN_OFFICER,
    Role.LEADER,
)
ENTERPRISE, EXPERT, UNIVERSITY, AGENCY = (
    Role.ENTERPRISE,
    Role.EXPERT,
    Role.UNIVERSITY,
    Role.AGENCY,
)

_BUREAU = {ADMIN: ALL, STAFF: ALL}
_BUREAU_TOWN = {**_BUREAU, OFFICER: TOWN}
_READ_ALL = {**_BUREAU, LEADER: ALL}
_READ_ALL_TOWN = {**_BUREAU_TOWN, LEADER: ALL}
# The scope of each role's own records (what `user_scope` computes): used where every
# authenticated user may ask and the answer is limited to what the user may see.
_EVERYONE = {
    **_BUREAU_TOWN,
    LEADER: NONE,
    ENTERPRISE: OWN,
    EXPERT: NONE,
    UNIVERSITY: NONE,
    AGENCY: DELEGATED,
    Role.PLATFORM_OPERATOR: NONE,  # a platform operator's records are its platform's
}

POLICY: dict[str, dict[Role, ScopeKind]] = {
    # Landing page (/): every role is sent on to its workbench.
    "home.view": _EVERYONE,
    # Aggregates: the leader reads region-wide figures (never the records behind them).
    "dashboard.view": _READ_ALL_TOWN,
    "rnd.view": _READ_ALL_TOWN,
    "ladder.view": _READ_ALL_TOWN,
    "coverage.view": _READ_ALL_TOWN,
    # Record lists and the links of aggregates to them.
    "enterprise.list": _BUREAU_TOWN,
    "qualification.list": _BUREAU_TOWN,
    "institution.list": _BUREAU_TOWN,
    "rnd.list": _BUREAU_TOWN,
    "reserve.view": _BUREAU_TOWN,
    # One enterprise's page, yearly figures and assessment.
    "enterprise.view": {**_BUREAU_TOWN, ENTERPRISE: OWN, AGENCY: DELEGATED},
    "enterprise.change": _BUREAU,
    "figures.change": {**_BUREAU, ENTERPRISE: OWN},
    # Yearly-figure submissions (docs/portal.md#workflow): the enterprise fills and submits,
    # the town officer of its town reviews first, then bureau staff accept or return.
    "figure_submissions.view": {**_BUREAU_TOWN, ENTERPRISE: OWN},
    "figure_submissions.fill": {ENTERPRISE: OWN},
    "figure_submissions.town_review": {OFFICER: TOWN},
    "figure_submissions.review": _BUREAU,
    "figure_submissions.decide": _BUREAU_TOWN,  # the review form: each step checks its own
    "figure_submissions.attachment": {**_BUREAU_TOWN, ENTERPRISE: OWN},
    # The enterprise portal: its yearly submissions and its colleagues (the enterprise's
    # administrator invites and deactivates them; docs/portal.md#colleagues).
    "portal.view": {ENTERPRISE: OWN},
    "portal.colleagues": {ENTERPRISE: OWN},
    # The enterprise file (docs/enterprise-file.md): contact persons kept by the bureau and the
    # enterprise itself; tags are the bureau's own (the town reads them, the enterprise never);
    # the global search finds enterprises of the searcher's scope only.
    "contacts.view": {**_BUREAU_TOWN, ENTERPRISE: OWN, AGENCY: DELEGATED},
    "contacts.change": {**_BUREAU, ENTERPRISE: OWN},
    "enterprise.tags": _BUREAU_TOWN,
    "enterprise.tag": _BUREAU,
    "search.enterprises": {**_BUREAU_TOWN, ENTERPRISE: OWN, AGENCY: DELEGATED},
    "assessment.view": {**_BUREAU_TOWN, ENTERPRISE: OWN, AGENCY: DELEGATED},
    "assessment.run": _BUREAU,
    "rnd.diagnosis": {**_BUREAU_TOWN, ENTERPRISE: OWN, AGENCY: DELEGATED},
    # Rule sets: read by everyone who works with assessments; changed by the bureau admin.
    "rules.view": {**_READ_ALL_TOWN, ENTERPRISE: OWN},
    "rules.change": {ADMIN: ALL},
    # Imports.
    "imports.manage": _BUREAU,
    "imports.template": _EVERYONE,  # the blank workbook of an import format
    # Visits and services.
    # The entry page of visits and services: the leader is sent on to the coverage page, an
    # enterprise to its delegations.
    "campaigns.entry": {**_READ_ALL_TOWN, AGENCY: DELEGATED, ENTERPRISE: OWN},
    "campaigns.work": {**_BUREAU_TOWN, AGENCY: DELEGATED},
    "campaigns.manage": _BUREAU,
    "campaigns.attendance": _BUREAU_TOWN,
    # A visit record's attachment: whoever sees one of the record's tasks (others 404).
    "campaigns.attachment": {**_BUREAU_TOWN, AGENCY: DELEGATED},
    "agencies.view": {**_BUREAU, ENTERPRISE: ALL, AGENCY: OWN},
    "agencies.manage": _BUREAU,
    "agencies.clients": {**_BUREAU, AGENCY: OWN},  # an agency's members and delegations
    "delegations.view": {**_BUREAU, ENTERPRISE: OWN, AGENCY: OWN},
    "delegations.manage": {**_BUREAU, ENTERPRISE: OWN},
    "delegations.create": {ENTERPRISE: OWN},
    "submissions.view": {**_BUREAU, ENTERPRISE: OWN, AGENCY: DELEGATED},
    "submissions.create": {AGENCY: DELEGATED},
    "submissions.decide": {ENTERPRISE: OWN},
    # Indicators and reports.
    "indicators.view": _READ_ALL,
    "indicators.manage": _BUREAU,
    "reports.view": _READ_ALL,
    "reports.generate": _BUREAU,
    # Expert pool (docs/experts.md): the pool list and its export for the bureau; an expert
    # reads and declares on their own record, a university user its organisation's experts.
    "experts.list": _BUREAU,
    "experts.view": {**_BUREAU, EXPERT: OWN, UNIVERSITY: OWN},
    "experts.manage": _BUREAU,
    "experts.declare": {**_BUREAU, EXPERT: OWN},
    "organisations.view": {**_BUREAU, EXPERT: OWN, UNIVERSITY: OWN},
    "organisations.manage": _BUREAU,
    # Public notices (docs/notices.md): read and objected to without signing in; the bureau
    # manages notices and handles objections.
    "notices.manage": _BUREAU,
    # Cooperation (docs/cooperation.md): demands and achievements in each role's own scope, the
    # bureau's office registers technical contracts, events and competitions are bureau work.
    "cooperation.demands": {
        **_BUREAU_TOWN,
        ENTERPRISE: OWN,
        AGENCY: DELEGATED,
        UNIVERSITY: OWN,
    },
    "cooperation.demand_post": {**_BUREAU_TOWN, ENTERPRISE: OWN},
    "cooperation.achievements": {
        **_BUREAU_TOWN,
        UNIVERSITY: OWN,
        ENTERPRISE: OWN,
        AGENCY: DELEGATED,
    },
    "cooperation.achievement_post": {**_BUREAU, UNIVERSITY: OWN},
    "cooperation.search": {**_BUREAU_TOWN, ENTERPRISE: OWN, UNIVERSITY: OWN, AGENCY: DELEGATED},
    "cooperation.brokering": {
        **_BUREAU_TOWN,
        ENTERPRISE: OWN,
        UNIVERSITY: OWN,
        AGENCY: DELEGATED,
    },
    "cooperation.broker": {**_BUREAU_TOWN, AGENCY: DELEGATED},
    "cooperation.statistics": _READ_ALL_TOWN,
    "cooperation.events": _BUREAU_TOWN,
    "cooperation.events_manage": _BUREAU,
    "contracts.view": {**_BUREAU_TOWN, ENTERPRISE: OWN, UNIVERSITY: OWN, AGENCY: DELEGATED},
    "contracts.apply": {**_BUREAU, ENTERPRISE: OWN, UNIVERSITY: OWN},
    "contracts.decide": _BUREAU,
    "competitions.view": _BUREAU_TOWN,
    "competitions.manage": _BUREAU,
    # The user's own account: password, API tokens, security settings.
    "account.self": _EVERYONE,
    "account.two_factor": _BUREAU,
    # The Django admin site (users and configuration) and sign-in lockouts.
    "admin.site": {ADMIN: ALL},
    "accounts.lockouts": {ADMIN: ALL},
    # The Chinese admin console (kechuang/console, docs/console.md): users and their bindings,
    # towns and peer regions, rule-set and evaluation parameters; the bureau admin only.
    "console.view": {ADMIN: ALL},
    "console.users": {ADMIN: ALL},
    "console.regions": {ADMIN: ALL},
    "console.parameters": {ADMIN: ALL},
    # API reads: every authenticated user, limited to the records of their scope.
    "api.read": _EVERYONE,
    # API writes of registry records: who may write at all; which model and which fields each
    # holder may set is the write policy of the enterprise services.
    "records.write": {**_BUREAU, ENTERPRISE: OWN},
    "api.evaluate": {**_BUREAU, ENTERPRISE: OWN},
    "api.rnd_aggregates": _READ_ALL,  # the whole region's figures only
    # Innovation platforms (kechuang/platforms): bureau staff keep the registry, run the
    # reporting round, evaluate and publish; a town officer reads its town's platforms; a
    # platform operator sees only its own platform and fills its yearly report.
    "platforms.view": {**_BUREAU_TOWN, Role.PLATFORM_OPERATOR: OWN},
    "platforms.manage": _BUREAU,
    "platforms.report": {**_BUREAU, Role.PLATFORM_OPERATOR: OWN},
    # Programmes (kechuang/programmes): the enterprise applies and reports, bureau staff run
    # the formal check, review, decisions and funding, experts score their declared seats, the
    # town follows its enterprises, the leader reads the portfolio's aggregates.
    "programmes.view": {**_BUREAU_TOWN, LEADER: NONE, ENTERPRISE: OWN, EXPERT: NONE},
    "programmes.apply": {ENTERPRISE: OWN},
    "programmes.applications": {**_BUREAU_TOWN, ENTERPRISE: OWN},
    "programmes.check": _BUREAU,
    "programmes.manage": _BUREAU,
    "programmes.review": {EXPERT: NONE},  # the expert's own seats only
    "programmes.portfolio": _READ_ALL_TOWN,
    "programmes.notifications": {**_EVERYONE, EXPERT: NONE},
    # Notifications (docs/notifications.md): every role reads and mutes its own; the bureau
    # admin configures the rules of each kind.
    "notifications.view": {role: OWN for role in Role},
    "notifications.rules": {ADMIN: ALL},
    # Workbenches (kechuang/workbench, docs/workbench.md): every role lands on its own
    # workbench; its to-dos and panels are read in the role's own scope.
    "workbench.view": _EVERYONE,
}

# URL names open without a capability (sign-in, sign-out, language, API schema and docs).
PUBLIC = frozenset(
    {
        "accounts:login",
        "accounts:otp_verify",  # the second step of signing in
        "accounts:logout",
        "set_language",
        "api_schema",
        "api_docs",
        "notices:notice_list",  # public notices and the objection form
        "notices:notice_detail",
        "notices:objection_receipt",
        "programmes:call_list",  # the public call list and call pages
        "programmes:call_detail",
        "enterprises:invitation_accept",  # a colleague's one-time invitation link
    }
)


def can(user, capability: str) -> bool:
    """Whether the user's role holds `capability` (unknown capabilities are a programming error)."""
    roles = POLICY[capability]
    return user_role(user) in roles


def role_scope(user, capability: str) -> ScopeKind:
    """The scope kind the user's role gets for `capability` (NONE when it lacks it)."""
    role = user_role(user)
    return NONE if role is None else POLICY[capability].get(role, NONE)


def scope_for(user, capability: str = "enterprise.view") -> Scope:
    """The enterprises the user sees under `capability`: everything for an `all` scope (the
    leader's aggregates included), the user's own records scope otherwise, nothing without it."""
    kind = role_scope(user, capability)
    if kind == ALL:
        return Scope(all=True)
    if kind == NONE:
        return Scope()
    return user_scope(user)


def aggregate_queryset(queryset, user, capability: str):
    """`None` (the whole region) when the user's scope for `capability` is all, else the
    queryset limited to the user's scope; every aggregate passes this to its selector."""
    scope = scope_for(user, capability)
    if scope.all:
        return None
    if scope.none:
        return queryset.none()
    return queryset.for_user(user)


def check(request, capability: str) -> None:
    """Raise PermissionDenied (403) unless the request's user holds `capability`."""
    if not can(request.user, capability):
        raise PermissionDenied


def requires(capability: str, *, post: str | None = None) -> Callable:
    """View decorator: anonymous → sign-in page; signed in without `capability` → 403.

    post: the capability a POST needs when it differs from reading the page (e.g. the report
    page is read by leaders, reports are generated by bureau staff)."""
    for name in (capability, post):
        if name is not None and name not in POLICY:
            raise KeyError(name)
    capabilities = {"GET": capability, "POST": post or capability}

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check(request, capabilities.get(request.method, capabilities["POST"]))
            return view(request, *args, **kwargs)

        wrapper.capability = capability
        wrapper.capabilities = capabilities
        return wrapper

    return decorator


class HasCapability(BasePermission):
    """DRF permission from the policy. The view declares `capability`: one name, or a dict
    action (or lower-case method) → name, with "*" as the default.

    List, create and other collection actions are refused (403) without the capability; on
    detail actions the check happens after the scoped lookup, so rows outside the user's scope
    answer 404 and in-scope rows the role may not touch answer 403.
    """

    def _capability(self, request, view) -> str | None:
        declared = getattr(view, "capability", None)
        if isinstance(declared, str) or declared is None:
            return declared
        action = getattr(view, "action", None)
        for key in (action, request.method.lower(), "*"):
            if key in declared:
                return declared[key]
        return None

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        capability = self._capability(request, view)
        if capability is None:
            return False
        if getattr(view, "detail", False):
            return True  # decided on the object, after the scoped lookup
        return can(request.user, capability)

    def has_object_permission(self, request, view, obj):
        capability = self._capability(request, view)
        return capability is not None and can(request.user, capability)


def api_capability(capability) -> Callable:
    """For function API views (`@api_view`): declare the capability and use `HasCapability`."""

    def decorator(view):
        view.cls.capability = capability
        view.cls.permission_classes = [HasCapability]
        return view

    return decorator


# (url name, label, capability[, roles]). Later apps append their entries; the optional roles
# narrow an entry to some holders of the capability (e.g. a shortcut only one role needs).
NAVIGATION: list[tuple] = [
    ("dashboard:home", _("Dashboard"), "dashboard.view"),
    ("enterprises:enterprise_list", _("Enterprises"), "enterprise.list"),
    ("enterprises:qualification_list", _("Qualifications"), "qualification.list"),
    ("platforms:institution_list", _("R&D institutions"), "institution.list"),
    ("qualifications:ladder", _("Cultivation ladder"), "ladder.view"),
    ("qualifications:reserve_pool", _("Reserve pool"), "reserve.view"),
    ("rnd:rd_overview", _("R&D investment"), "rnd.list"),
    ("campaigns:campaign_list", _("Visits and services"), "campaigns.work"),
    ("indicators:leadership", _("Indicators"), "indicators.view"),
    ("reports:report_home", _("Reports"), "reports.view"),
    ("imports:import_list", _("Import"), "imports.manage"),
]


def navigation_items(user, path: str) -> list[dict]:
    """The navigation entries the user's role may open, from `NAVIGATION` and the policy."""
    items: list[dict] = []
    if user_role(user) is None:
        return items
    role = user_role(user)
    for url_name, label, capability, *narrow in NAVIGATION:
        if isinstance(capability, str):
            shown = can(user, capability) and (not narrow or role in narrow[0])
        else:  # an entry declared by its roles only
            shown = role in capability
        if shown:
            url = reverse(url_name)
            items.append(
                {"url": url, "label": label, "active": path.startswith(url) and url != "/"}
            )
    return items


def restrict_admin_site(site=None) -> None:
    """The Django admin site only for holders of "admin.site": a signed-in user without it gets
    the product's 403 page (not a second sign-in form); anonymous visitors sign in first."""
    from django.contrib import admin

    site = site or admin.site
    if getattr(site, "_kechuang_restricted", False):
        return

    def has_permission(request):
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if not (user.is_staff and can(user, "admin.site")):
            raise PermissionDenied
        return True

    site.has_permission = has_permission
    site._kechuang_restricted = True
