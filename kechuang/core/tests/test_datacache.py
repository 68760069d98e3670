"""The figure memo recomputes after any saved change and never serves uncommitted rows."""

import pytest

from kechuang.core import datacache
from kechuang.enterprises.models import AnnualFigure
from kechuang.enterprises.tests.factories import make_annual_figure, make_enterprise


def count_above_scale():
    return AnnualFigure.objects.filter(is_above_scale_industrial=True).count()


@pytest.mark.django_db(transaction=True)
def test_memo_is_reused_until_data_changes():
    calls = []

    def compute():
        calls.append(1)
        return count_above_scale()

    e = make_enterprise()
    make_annual_figure(e, 2024, is_above_scale_industrial=True)
    assert datacache.memoised("t", compute) == 1
    assert datacache.memoised("t", compute) == 1
    assert len(calls) == 1  # reused

    figure = make_annual_figure(e, 2023, is_above_scale_industrial=True)
    assert datacache.memoised("t", compute) == 2  # a new row: recomputed
    figure.is_above_scale_industrial = False
    figure.save()  # an update writes a history row: recomputed
    assert datacache.memoised("t", compute) == 1
    assert len(calls) == 3


@pytest.mark.django_db
def test_memo_is_bypassed_inside_a_transaction():
    calls = []

    def compute():
        calls.append(1)
        return 0

    datacache.memoised("u", compute)
    datacache.memoised("u", compute)
    assert len(calls) == 2


def test_cache_url_chooses_the_shared_store(monkeypatch):
    import sys

    from django.core.exceptions import ImproperlyConfigured

    from config.settings.base import cache_settings

    assert cache_settings("")["BACKEND"].endswith("db.DatabaseCache")
    assert cache_settings("locmem://")["BACKEND"].endswith("LocMemCache")
    monkeypatch.setitem(sys.modules, "redis", None)  # not installed
    with pytest.raises(ImproperlyConfigured, match="redis package is not installed"):
        cache_settings("redis://127.0.0.1:6379/3")
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        cache_settings("memcached://x")


@pytest.mark.django_db(transaction=True)
def test_memo_is_shared_between_processes():
    """A process that has not computed a value takes the one another process stored."""
    e = make_enterprise()
    make_annual_figure(e, 2024, is_above_scale_industrial=True)
    assert datacache.memoised("v", count_above_scale) == 1
    datacache._MEMO.clear()  # another process: nothing of its own yet

    def never():
        raise AssertionError("recomputed although the shared store holds the value")

    assert datacache.memoised("v", never) == 1
