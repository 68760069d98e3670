import pytest


@pytest.fixture(autouse=True)
def _lexical_matching(settings):
    """Unit tests rank with the engine's lexical half (the dense model is the engine's own
    tests' business); the browser flow runs the full engine."""
    settings.KECHUANG_MATCHING_DENSE = False
