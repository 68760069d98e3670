"""The small two-town registry of the page tests (kechuang/enterprises/tests/fixtures.py)."""

from kechuang.enterprises.tests.fixtures import data, towns  # noqa: F401
