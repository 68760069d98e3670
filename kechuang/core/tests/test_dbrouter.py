"""The read-replica router: a read-only request reads from the replica; writes, reads after a
write, reads in a transaction, bookkeeping tables and everything outside a request use the
primary; a request that wrote pins its client to the primary for a moment."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from kechuang.core.dbrouter import (
    PIN_COOKIE,
    PRIMARY,
    REPLICA,
    ReplicaReadsMiddleware,
    ReplicaRouter,
)
from kechuang.enterprises.models import AnnualFigure, Enterprise

router = ReplicaRouter()


def _serve(method: str = "get", cookies: dict | None = None, write: bool = False, atomic=False):
    """Run a view under the middleware; returns (reads seen by the view, response)."""
    seen: list[str] = []

    def view(request):
        seen.append(router.db_for_read(Enterprise))
        seen.append(router.db_for_read(Session))
        if atomic:
            with transaction.atomic():
                seen.append(router.db_for_read(Enterprise))
        if write:
            assert router.db_for_write(AnnualFigure) == PRIMARY
            seen.append(router.db_for_read(Enterprise))
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method)("/")
    request.COOKIES.update(cookies or {})
    response = ReplicaReadsMiddleware(view)(request)
    return seen, response


def test_a_read_only_request_reads_from_the_replica():
    seen, response = _serve()
    assert seen == [REPLICA, PRIMARY]  # the session always from the primary
    assert PIN_COOKIE not in response.cookies


def test_after_a_write_the_request_reads_from_the_primary_and_pins_the_client():
    seen, response = _serve(write=True)
    assert seen == [REPLICA, PRIMARY, PRIMARY]
    assert response.cookies[PIN_COOKIE]["max-age"] == 5
    seen, _response = _serve(cookies={PIN_COOKIE: "1"})
    assert seen == [PRIMARY, PRIMARY]  # the next page sees the write


def test_a_form_post_reads_and_writes_on_the_primary():
    seen, response = _serve("post")
    assert seen == [PRIMARY, PRIMARY]
    assert PIN_COOKIE in response.cookies


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary():
    # The test itself runs in a transaction: the primary throughout.
    seen, _response = _serve()
    assert seen == [PRIMARY, PRIMARY]


@pytest.mark.django_db(transaction=True)
def test_reads_inside_an_atomic_block_of_the_request_use_the_primary():
    seen, _response = _serve(atomic=True)
    assert seen == [REPLICA, PRIMARY, PRIMARY]


def test_outside_a_request_everything_uses_the_primary():
    assert router.db_for_read(Enterprise) == PRIMARY
    assert router.db_for_write(Enterprise) == PRIMARY
    assert router.allow_migrate(PRIMARY, "enterprises")
    assert not router.allow_migrate(REPLICA, "enterprises")
