import pytest

from kechuang.notifications.registry import KINDS, Reminder, register_kind

TEST_KIND = "test_kind"


@pytest.fixture
def test_kind():
    """A kind registered for the test only, with a generator that reminds `targets` (a list
    the test fills with (user ids, key) pairs)."""
    targets: list[tuple[list[int], str]] = []

    def generator(rule, today):
        return [Reminder(ids, key, f"标题{key}", "正文", "/x/") for ids, key in targets]

    saved = dict(KINDS)
    register_kind(TEST_KIND, "测试", "测试用", generator, default_lead=3, lead_unit="days")
    yield targets
    KINDS.clear()
    KINDS.update(saved)
