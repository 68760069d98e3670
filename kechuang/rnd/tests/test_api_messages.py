"""The zero-R&D API refuses a bad filter with a Chinese message, never the raw exception text."""

from __future__ import annotations

import pytest


@pytest.fixture
def as_user(client, users):
    def login(name):
        client.force_login(users[name])
        return client

    return login


def test_bad_filter_is_a_chinese_message(as_user, region):
    for params in ("year=2024&town=abc", "year=2024&industry=ABC"):
        response = as_user("staff").get(f"/api/v1/rnd/zero/?{params}")
        assert response.status_code == 400
        message = response.json()["filter"][0]
        assert "town is a town id" not in message and "division code" not in message
        assert "镇" in message
