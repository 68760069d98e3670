"""The sweep's copy of the browser tests' region."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="package")
def region_dense() -> bool:
    """The sweep checks how pages read, not how well suppliers are ranked: its region's matches
    are lexical (the dense encoder's vectors would cost the build about 50 s of CPU)."""
    return False
