"""Plausible-date windows: ordinary dates up to 10 years ahead, expiry dates further."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kechuang.core.validators import validate_plausible_date, validate_plausible_expiry


def test_expiry_dates_may_lie_decades_ahead_but_other_dates_not():
    today = dt.date.today()
    in_forty_years = today.replace(year=today.year + 40, day=1)
    validate_plausible_expiry(in_forty_years)  # a legal person's software copyright: 50 years
    with pytest.raises(ValidationError):
        validate_plausible_date(in_forty_years)
    with pytest.raises(ValidationError):
        validate_plausible_expiry(today.replace(year=today.year + 70, day=1))
