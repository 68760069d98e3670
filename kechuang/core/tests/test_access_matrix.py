"""The access matrix, generated from the URL configuration and the OpenAPI schema.

Every HTML URL pattern and every API operation must have an entry in the access policy
(`kechuang.core.access`): a page declares it with `@requires("cap")`, an API view with
`capability` and `HasCapability`. A new page or endpoint without one fails here.

Then every pattern × every role (the eight roles and the anonymous visitor) × method (GET, and
POST where the view handles it; the API's declared methods) is requested with objects of the
shared cast (`kechuang.core.tests.cast`), which lie inside the scope of every scoped role:
- anonymous: HTML → the sign-in page; API → 401/403;
- a role without the capability: 403 (or 404 when the object lies outside its scope);
- a role with it: never 403 nor the sign-in page (404 only for a scoped role or a POST);
- nobody: a server error.
"""

from __future__ import annotations

import inspect
import re

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

from kechuang.core.access import ALL, POLICY, PUBLIC, HasCapability, can, role_scope
from kechuang.imports.schemas import SCHEMAS

from .cast import ROLE_NAMES, build_cast

# Cooperation pages and the cast object each opens (kechuang/cooperation/tests/cast_cooperation.py).
COOPERATION_KWARGS = [
    *[
        (n, "coop_demand")
        for n in (
            "demand_detail",
            "demand_edit",
            "demand_renew",
            "demand_close",
            "brokering_create",
        )
    ],
    *[(n, "coop_achievement") for n in ("achievement_detail", "achievement_edit")],
    ("brokering_detail", "coop_brokering"),
    *[(n, "coop_contract") for n in ("contract_detail", "contract_file")],
    ("event_detail", "coop_event"),
    ("competition_detail", "coop_competition"),
]
# URL name → keyword arguments from the cast's objects.
HTML_KWARGS = {
    "enterprises:enterprise_detail": lambda o: {"pk": o["enterprise"].pk},
    "enterprises:annual_figure_edit": lambda o: {"pk": o["enterprise"].pk, "year": 2024},
    **{
        f"enterprises:{n}": lambda o: {"pk": o["enterprise"].pk}
        for n in ("enterprise_print", "contact_add", "tag_change")
    },
    **{
        f"enterprises:{n}": lambda o: {"pk": o["enterprise"].pk, "contact_pk": o["contact"].pk}
        for n in ("contact_edit", "contact_remove")
    },
    "imports:import_detail": lambda o: {"pk": o["batch"].pk},
    "imports:import_commit": lambda o: {"pk": o["batch"].pk},
    "imports:import_errors": lambda o: {"pk": o["batch"].pk},
    "imports:import_retry": lambda o: {"pk": o["batch"].pk},
    "imports:template_download": lambda o: {"name": next(iter(SCHEMAS))},
    "qualifications:enterprise_assessment": lambda o: {"pk": o["enterprise"].pk},
    "qualifications:enterprise_whatif": lambda o: {"pk": o["enterprise"].pk},
    "qualifications:ruleset_detail": lambda o: {"pk": o["rule_set"].pk},
    "rnd:diagnosis": lambda o: {"pk": o["enterprise"].pk},
    "rnd:diagnosis_docx": lambda o: {"pk": o["enterprise"].pk},
    "campaigns:campaign_detail": lambda o: {"pk": o["campaign"].pk},
    "campaigns:campaign_attendance": lambda o: {"pk": o["campaign"].pk},
    "campaigns:task_detail": lambda o: {"pk": o["task"].pk},
    "campaigns:task_visit": lambda o: {"pk": o["task"].pk},
    "campaigns:task_transition": lambda o: {"pk": o["task"].pk},
    "campaigns:task_reassign": lambda o: {"pk": o["task"].pk},
    "campaigns:task_contact": lambda o: {"pk": o["task"].pk},
    "campaigns:agency_detail": lambda o: {"pk": o["agency"].pk},
    "campaigns:package_create": lambda o: {"pk": o["agency"].pk},
    "campaigns:delegation_end": lambda o: {"pk": o["delegation"].pk},
    "campaigns:submission_create": lambda o: {"enterprise_pk": o["enterprise"].pk},
    "campaigns:submission_decide": lambda o: {"pk": o["submission"].pk, "decision": "confirm"},
    "indicators:set_detail": lambda o: {"code": o["indicator_set"].code},
    "indicators:set_methodology": lambda o: {"code": o["indicator_set"].code},
    "indicators:set_tree": lambda o: {"code": o["indicator_set"].code},
    "indicators:set_results": lambda o: {"code": o["indicator_set"].code},
    "indicators:set_results_export": lambda o: {"code": o["indicator_set"].code},
    "reports:report_download": lambda o: {"pk": o["report"].pk},
    **{
        f"platform_pages:{name}": lambda o: {"pk": o["platform"].pk}
        for name in (
            "platform_detail",
            "platform_edit",
            "event_create",
            "link_create",
            "milestone_create",
        )
    },
    "platform_pages:evaluation_compute": lambda o: {"pk": o["platform"].pk, "year": 2024},
    "platform_pages:round_detail": lambda o: {"pk": o["reporting_round"].pk},
    "platform_pages:report_edit": lambda o: {
        "round_pk": o["reporting_round"].pk,
        "platform_pk": o["platform"].pk,
    },
    "platform_pages:report_review": lambda o: {"pk": o["platform_report"].pk},
    **{f"cooperation:{n}": (lambda o, k=k: {"pk": o[k].pk}) for n, k in COOPERATION_KWARGS},
    **{
        f"console:{name}": lambda o: {"pk": o["console_user"].pk}
        for name in ("user_edit", "user_active", "user_password_reset", "user_unlock")
    },
    "console:town_edit": lambda o: {"pk": o["console_town"].pk},
    "console:region_edit": lambda o: {"pk": o["console_region"].pk},
    "console:ruleset_parameters": lambda o: {"pk": o["rule_set"].pk},
    "console:scheme_parameters": lambda o: {"pk": o["console_scheme"].pk},
    "experts:expert_detail": lambda o: {"pk": o["expert_record"].pk},
    # The enterprise portal (kechuang/enterprises/tests/cast_portal.py).
    "enterprises:portal_fill": lambda o: {"year": 2025},
    "enterprises:attachment_upload": lambda o: {"year": 2025},
    "enterprises:submission_detail": lambda o: {"pk": o["figure_submission"].pk},
    "enterprises:submission_review": lambda o: {"pk": o["figure_submission"].pk},
    "enterprises:attachment_download": lambda o: {"pk": o["submission_attachment"].pk},
    "enterprises:attachment_delete": lambda o: {"pk": o["submission_attachment"].pk},
    "enterprises:invitation_withdraw": lambda o: {"pk": o["invitation"].pk},
    "enterprises:colleague_deactivate": lambda o: {"user_id": 999999},
    "experts:expert_edit": lambda o: {"pk": o["expert_record"].pk},
    "experts:relationship_add": lambda o: {"pk": o["expert_record"].pk},
    "experts:relationship_delete": lambda o: {
        "pk": o["expert_record"].pk,
        "rel": o["relationship"].pk,
    },
    "experts:organisation_detail": lambda o: {"pk": o["organisation"].pk},
    "experts:organisation_edit": lambda o: {"pk": o["organisation"].pk},
    "notices:notice_action": lambda o: {"pk": o["notice"].pk, "action": "close"},
    "notices:objection_detail": lambda o: {"pk": o["objection"].pk},
    "notices:objection_evidence": lambda o: {"pk": o["objection"].pk},
    "programmes:call_review": lambda o: {"pk": o["programme_call"].pk},
    "programmes:call_edit": lambda o: {"pk": o["programme_call"].pk},
    "programmes:application_new": lambda o: {"pk": o["programme_call"].pk},
    "programmes:application_detail": lambda o: {"pk": o["programme_application"].pk},
    "programmes:application_edit": lambda o: {"pk": o["programme_application"].pk},
    "programmes:application_pdf": lambda o: {"pk": o["programme_application"].pk},
    "programmes:application_action": lambda o: {
        "pk": o["programme_application"].pk,
        "action": "withdraw",
    },
    "programmes:assignment_detail": lambda o: {"pk": getattr(o["programme_seat"], "pk", 999999)},
    "programmes:project_detail": lambda o: {"pk": o["programme_project"].pk},
    "programmes:contract_pdf": lambda o: {"pk": o["programme_project"].pk},
    "programmes:report_detail": lambda o: {"pk": o["programme_report"].pk},
    "programmes:type_edit": lambda o: {"pk": o["programme_type"].pk},
}
# API collection segment → the cast object its detail operations open (None: not in the cast).
API_OBJECTS = {
    "enterprises": "enterprise",
    "annual-figures": "annual_figure",
    "figure-submissions": "figure_submission",
    "ip": "ip",
    "qualifications": "qualification",
    "institutions": "institution",
    "campaigns": "campaign",
    "tasks": "task",
    "visit-records": "visit_record",
    "results": None,
    "diagnosis": "enterprise",
    "catalogue": "indicator",
    "sets": "indicator_set",
    "values": "indicator_value",
    "targets": "target",
    "platforms": "platform",
    **{"demands": "coop_demand", "achievements": "coop_achievement", "brokering": "coop_brokering"},
    **{"contracts": "coop_contract", "events": "coop_event", "entrants": None},
    "organisations": "organisation",
    "experts": "expert_record",
    "relationships": "relationship",
    "notices": "notice",
    "objections": "objection",
    "types": "programme_type",
}
# Stand-in values for URL parameters whose object the cast lacks (by converter).
ABSENT = {"IntConverter": 999999, "StringConverter": "x", "SlugConverter": "x"}
SKIPPED_PREFIXES = ("admin/", "api/")  # the admin site has its own test; the API its own walk


# ------------------------------------------------------------------ discovering the pages


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            yield from _walk(p, prefix + str(p.pattern), ns or namespace)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield prefix + str(p.pattern), name, p


def html_patterns() -> list[tuple[str, str, URLPattern]]:
    return [
        (route, name, p)
        for route, name, p in _walk(get_resolver())
        if not route.startswith(SKIPPED_PREFIXES)
    ]


def _handles_post(view) -> bool:
    """Whether the view reads POST (its source mentions it) — the methods the matrix sends."""
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return True
    return "POST" in source


def test_every_page_has_a_policy_entry():
    missing = [
        f"{route} ({name})"
        for route, name, p in html_patterns()
        if name not in PUBLIC and getattr(p.callback, "capabilities", None) is None
    ]
    assert not missing, (
        "Pages without an access policy entry (decorate the view with "
        "@requires('capability') from kechuang.core.access, or add the URL name to PUBLIC):\n"
        + "\n".join(missing)
    )


def test_every_capability_in_use_is_in_the_policy():
    for _route, _name, p in html_patterns():
        for capability in getattr(p.callback, "capabilities", {}).values():
            assert capability in POLICY


# ------------------------------------------------------------------ the cast


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """One cast for the module, rolled back at its end; each test runs in its own savepoint."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_cast()
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def logins(cast):
    """One signed-in session per role for the module (signing in writes the user's row and its
    history, so once per role, not once per test): user pk → session cookie value. Every
    request runs in a savepoint that is rolled back, so a request that signs out or changes
    the session leaves the stored session as it was."""
    cookies = {}
    for user in cast.users.values():
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


LOGIN_URL = resolve_url(settings.LOGIN_URL)


def _client(user, logins, api: bool = False):
    """A fresh client carrying the role's session (or none, for the anonymous visitor)."""
    client = APIClient() if api else Client()
    if user is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = logins[user.pk]
    return client


def _verdict(*, role, user, capability, response, method, api, absent=False) -> str | None:
    """None when the response matches the policy, else what is wrong."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if user is None:
        if api:
            return None if status in (401, 403) else f"anonymous got {status}, not 401/403"
        location = response.get("Location", "")
        if status == 302 and location.startswith(LOGIN_URL):
            return None
        return f"anonymous got {status} {location}, not the sign-in page"
    if not can(user, capability):
        allowed = (403, 404) if api else (403,)
        return None if status in allowed else f"{role} lacks {capability} but got {status}"
    if status == 403 and not (api and method != "GET"):
        return f"{role} holds {capability} but got 403"
    if status == 302 and response.get("Location", "").startswith(LOGIN_URL):
        return f"{role} holds {capability} but was sent to sign in"
    if status == 404 and method == "GET" and not absent and role_scope(user, capability) == ALL:
        return f"{role} holds {capability} on everything but got 404"
    return None


# ------------------------------------------------------------------ HTML pages


def _html_cases():
    return [
        pytest.param(route, name, id=name)
        for route, name, p in html_patterns()
        if name not in PUBLIC
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), _html_cases())
def test_page_matches_the_policy(cast, logins, route, name):
    pattern = next(p for r, n, p in html_patterns() if n == name)
    capabilities = getattr(pattern.callback, "capabilities", None)
    assert capabilities, f"{route} ({name}) has no access policy entry: decorate it with @requires"
    converters = pattern.pattern.converters
    absent = False
    if name in HTML_KWARGS:
        kwargs = HTML_KWARGS[name](cast.objects)
    else:
        # No object of the cast yet: a missing one still checks who is refused and how.
        absent = bool(converters)
        kwargs = {key: ABSENT.get(type(c).__name__, "x") for key, c in converters.items()}
    url = reverse(name, kwargs=kwargs)
    methods = ["GET", "POST"] if _handles_post(pattern.callback) else ["GET"]
    problems = []
    for role in ROLE_NAMES:
        user = cast.users[role]
        client = _client(user, logins)
        for method in methods:
            with transaction.atomic():
                response = client.get(url) if method == "GET" else client.post(url, {})
                transaction.set_rollback(True)
            problem = _verdict(
                role=role,
                user=user,
                capability=capabilities[method],
                response=response,
                method=method,
                api=False,
                absent=absent,
            )
            if problem:
                problems.append(f"{method} {url} as {role}: {problem}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ API operations


def _schema_operations() -> list[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper())
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


OPERATIONS = _schema_operations() if settings.configured else []


def _api_url(path: str, objects: dict) -> tuple[str, bool]:
    """The path with the cast's object in place of its parameter; True when none exists."""
    params = re.findall(r"\{(\w+)\}", path)
    if not params:
        return path, False
    segment = path.split("{")[0].rstrip("/").rsplit("/", 1)[-1]
    key = API_OBJECTS.get(segment)  # a collection the cast lacks: still checks the refusals
    obj = objects.get(key) if key else None
    if obj is None:
        return re.sub(r"\{\w+\}", "999999", path), True
    value = obj.code if params[-1] == "code" else obj.pk
    return re.sub(r"\{\w+\}", str(value), path), False


def _api_capability(path: str, method: str, objects: dict) -> tuple[str | None, str]:
    url, _absent = _api_url(path, objects)
    match = resolve(url.split("?")[0])
    cls = getattr(match.func, "cls", None)
    actions = getattr(match.func, "actions", None) or {}
    action = actions.get(method.lower())
    if cls is None:
        return None, "not a REST framework view"
    classes = cls.permission_classes
    handler = getattr(cls, action, None) if action else None
    override = getattr(handler, "kwargs", {}).get("permission_classes")
    if override is not None:
        classes = override
    if not any(isinstance(c, type) and issubclass(c, HasCapability) for c in classes):
        return None, f"{cls.__name__}.{action or method.lower()} does not use HasCapability"
    declared = getattr(cls, "capability", None)
    if isinstance(declared, dict):
        for key in (action, method.lower(), "*"):
            if key in declared:
                return declared[key], ""
        return None, f"{cls.__name__}.capability has no entry for {action or method.lower()}"
    if declared is None:
        return None, f"{cls.__name__} declares no capability"
    return declared, ""


@pytest.mark.django_db
def test_every_api_operation_has_a_policy_entry(cast):
    missing = []
    for path, method in OPERATIONS:
        capability, why = _api_capability(path, method, cast.objects)
        if capability is None:
            missing.append(f"{method} {path}: {why}")
        elif capability not in POLICY:
            missing.append(f"{method} {path}: unknown capability {capability}")
    assert not missing, (
        "API operations without an access policy entry (use HasCapability and declare "
        "`capability` on the view, per action if needed):\n" + "\n".join(missing)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_api_operation_matches_the_policy(cast, logins, path, method):
    capability, why = _api_capability(path, method, cast.objects)
    assert capability is not None, why
    url, absent = _api_url(path, cast.objects)
    problems = []
    for role in ROLE_NAMES:
        user = cast.users[role]
        client = _client(user, logins, api=True)
        with transaction.atomic():
            response = getattr(client, method.lower())(url, {}, format="json")
            transaction.set_rollback(True)
        problem = _verdict(
            role=role,
            user=user,
            capability=capability,
            response=response,
            method=method,
            api=True,
            absent=absent,
        )
        if problem:
            problems.append(f"{method} {url} as {role}: {problem}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ the admin site


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_admin_site_only_for_the_bureau_admin(cast, logins, role):
    user = cast.users[role]
    if user is not None and role == "admin":
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    response = _client(user, logins).get("/admin/")
    if user is None:
        assert response.status_code == 302
    elif role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert 'data-testid="error-403"' in response.content.decode()
