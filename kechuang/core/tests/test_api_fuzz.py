"""Schemathesis against the app's own OpenAPI schema, in process (WSGI), bounded and repeatable.

The schema is fetched from /api/schema/ as a logged-in user, then every operation is fuzzed
with positive and negative examples (Hypothesis, derandomised: the same requests on every
run) as bureau staff and as an enterprise account. Checks: no 5xx, every status code the
operation answers is documented, every body conforms to the documented schema and content
type. Path ids are half generated, half ids of real rows (so detail and update answers are
checked too). Each request runs in a savepoint that is rolled back, so the region never drifts.

Budget: FUZZ_EXAMPLES examples per operation and role (default 8, about 550 requests per
role); `KECHUANG_FUZZ_EXAMPLES=100` for a longer local run.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kechuang.campaigns.models import Campaign, VisitTask
from kechuang.enterprises.models import AnnualFigure, IntellectualProperty, Qualification
from kechuang.platforms.models import RDInstitution
from kechuang.qualifications.models import AssessmentResult

from .test_bad_input import world  # noqa: F401  (the module-scoped region fixture)

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = int(os.environ.get("KECHUANG_FUZZ_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CSRF = "K" * 32  # any 32 alphanumerics: the cookie and the header only have to agree


class InProcessApp:
    """Django's WSGI handler for the test's own database connection, logged in as one user.

    Django would close the connection at the end of each request (and with it the test's
    transaction), so the close_old_connections receivers are off while fuzzing, as in
    django.test.Client. The session cookie and the CSRF header are set on every request here
    (werkzeug's test client replaces a Cookie header with its own cookie jar).
    """

    def __init__(self):
        self.handler = WSGIHandler()
        self.cookie = ""

    def login(self, user) -> None:
        client = Client()
        client.force_login(user)
        self.cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"

    def __call__(self, environ, start_response):
        environ["HTTP_COOKIE"] = self.cookie
        environ["HTTP_X_CSRFTOKEN"] = CSRF
        return self.handler(environ, start_response)


@pytest.fixture(scope="module")
def app(world):  # noqa: F811
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield InProcessApp()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _real_ids(world) -> dict[str, int]:  # noqa: F811
    """Path template prefix → the id of a row of the region, for detail and update operations."""
    return {
        "/api/v1/enterprises/enterprises/": world.a1.pk,
        "/api/v1/enterprises/annual-figures/": AnnualFigure.objects.filter(enterprise=world.a1)
        .values_list("pk", flat=True)
        .first(),
        "/api/v1/enterprises/ip/": IntellectualProperty.objects.values_list(
            "pk", flat=True
        ).first(),
        "/api/v1/enterprises/qualifications/": Qualification.objects.filter(enterprise=world.a1)
        .values_list("pk", flat=True)
        .first(),
        "/api/v1/platforms/institutions/": RDInstitution.objects.values_list(
            "pk", flat=True
        ).first(),
        "/api/v1/campaigns/campaigns/": Campaign.objects.values_list("pk", flat=True).first(),
        "/api/v1/campaigns/tasks/": VisitTask.objects.filter(enterprise=world.a1)
        .values_list("pk", flat=True)
        .first(),
        "/api/v1/qualifications/results/": AssessmentResult.objects.filter(enterprise=world.a1)
        .values_list("pk", flat=True)
        .first(),
        "/api/v1/rnd/diagnosis/": world.a1.pk,
    }


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # one message per distinct failure


def _strategy(operation, ids: dict[str, int]):
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    strategies = [operation.as_strategy(generation_mode=m) for m in modes]
    names = [p.name for p in operation.path_parameters]
    for prefix, pk in ids.items():
        if operation.path.startswith(prefix) and len(names) == 1 and pk is not None:
            fixed = {names[0]: pk}
            strategies.append(
                operation.as_strategy(
                    generation_mode=GenerationMode.POSITIVE, path_parameters=fixed
                )
            )
            break
    return st.one_of(strategies)


def _fuzz_operation(operation, ids: dict[str, int], tally: Tally) -> None:
    @settings(
        max_examples=FUZZ_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, ids))
    def run(case):
        with transaction.atomic():
            try:
                response = case.call()
                tally.requests += 1
                tally.statuses[response.status_code] += 1
                if response.status_code >= 500:
                    tally.server_errors += 1
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # a failure: recorded, run goes on
                key = f"{operation.label}: {type(exc).__name__}: {str(exc)[:300]}"
                tally.failures.setdefault(key.split("\n")[0], f"{operation.label}\n{exc}"[:3000])
            finally:
                transaction.set_rollback(True)

    run()


def _fuzz(schema, ids: dict[str, int]) -> Tally:
    tally = Tally()
    for result in schema.get_all_operations():
        _fuzz_operation(result.ok(), ids, tally)
    return tally


@pytest.mark.parametrize("role", ["staff", "enterprise_user"])
def test_api_fuzz_no_server_error_and_conforms_to_schema(world, app, role):  # noqa: F811
    app.login(getattr(world, role))
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    tally = _fuzz(schema, _real_ids(world))
    print(
        f"\n[{role}] {tally.requests} fuzzed requests, {tally.server_errors} 5xx, "
        f"statuses {dict(sorted(tally.statuses.items()))}, "
        f"{len(tally.failures)} distinct failures"
    )
    assert not tally.failures, "\n\n".join(tally.failures.values())
    assert tally.server_errors == 0
    # Every operation was called, and not refused everything: the fuzz reached the views.
    assert tally.requests >= len(list(schema.get_all_operations()))
    assert sum(n for s, n in tally.statuses.items() if s < 400) > 0


def test_schema_and_docs_need_a_login(world):  # noqa: F811
    anonymous = Client()
    schema = anonymous.get("/api/schema/")
    assert schema.status_code in (401, 403)
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302 and "/accounts/login/" in docs["Location"]
    client = Client()
    client.force_login(world.enterprise_user)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
