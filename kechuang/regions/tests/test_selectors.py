"""The home region and its towns: found by kind, else by the configured code; towns in display
order; the page header's region name."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from kechuang.regions.context_processors import home_region_name
from kechuang.regions.models import Region, RegionKind, Town
from kechuang.regions.selectors import home_region, home_towns

pytestmark = pytest.mark.django_db


def test_home_region_by_kind_before_the_configured_code(settings):
    settings.KECHUANG_HOME_REGION_CODE = "330281"
    Region.objects.create(code="330281", name="余姚市")
    assert home_region().code == "330281"  # no region of kind home: the configured code
    home = Region.objects.create(code="330282", name="慈溪市", kind=RegionKind.HOME)
    assert home_region() == home


def test_no_home_region_gives_none_and_an_empty_name(settings):
    settings.KECHUANG_HOME_REGION_CODE = "999999"
    assert home_region() is None
    assert home_region_name(RequestFactory().get("/")) == {"home_region_name": ""}


def test_home_towns_in_display_order_and_only_the_home_region():
    home = Region.objects.create(code="330282", name="慈溪市", kind=RegionKind.HOME)
    peer = Region.objects.create(code="330281", name="余姚市")
    Town.objects.bulk_create(
        [
            Town(region=home, code="T2", name="周巷镇", sort_order=2),
            Town(region=home, code="T1", name="浒山街道", sort_order=1),
            Town(region=home, code="T0", name="观海卫镇", sort_order=2),
            Town(region=peer, code="P1", name="阳明街道", sort_order=0),
        ]
    )
    assert [t.code for t in home_towns()] == ["T1", "T0", "T2"]
    assert home_region_name(RequestFactory().get("/")) == {"home_region_name": "慈溪市"}


def test_every_page_carries_the_region_name(client):
    Region.objects.create(code="330282", name="慈溪市", kind=RegionKind.HOME)
    response = client.get("/accounts/login/")
    assert response.context["home_region_name"] == "慈溪市"
