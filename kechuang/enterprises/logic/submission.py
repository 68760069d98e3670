"""The yearly-figure submission workflow as a table (docs/portal.md#workflow).

The enterprise fills its figures and saves (暂存) or submits (提交); the town officer of the
enterprise's town reviews first and passes it or returns it with a reason; then the bureau
accepts it (only then the registry changes) or returns it with a reason. A returned submission
is the enterprise's again to correct and resubmit.

Pure Python: the statuses and capabilities are plain strings, the services map them onto the
models and the access policy.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DRAFT",
    "SUBMITTED",
    "TOWN_PASSED",
    "RETURNED",
    "ACCEPTED",
    "EDITABLE",
    "Transition",
    "TRANSITIONS",
    "TransitionError",
    "transition",
    "actions_from",
    "needs_reason",
    "official_differences",
]

DRAFT, SUBMITTED, TOWN_PASSED, RETURNED, ACCEPTED = (
    "draft",
    "submitted",
    "town_passed",
    "returned",
    "accepted",
)
# The statuses in which the enterprise may still change its values.
EDITABLE = frozenset({DRAFT, RETURNED})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    capability: str  # what the acting user's role must hold (core.access.POLICY)
    reason_required: bool = False
    stage: str = ""  # the review stage that acts ("town" or "bureau"), empty for the enterprise


TRANSITIONS: tuple[Transition, ...] = (
    Transition("save", EDITABLE, DRAFT, "figure_submissions.fill"),
    Transition("submit", EDITABLE, SUBMITTED, "figure_submissions.fill"),
    Transition(
        "town_return",
        frozenset({SUBMITTED}),
        RETURNED,
        "figure_submissions.town_review",
        reason_required=True,
        stage="town",
    ),
    Transition(
        "town_pass",
        frozenset({SUBMITTED}),
        TOWN_PASSED,
        "figure_submissions.town_review",
        stage="town",
    ),
    Transition(
        "return",
        frozenset({TOWN_PASSED}),
        RETURNED,
        "figure_submissions.review",
        reason_required=True,
        stage="bureau",
    ),
    Transition(
        "accept", frozenset({TOWN_PASSED}), ACCEPTED, "figure_submissions.review", stage="bureau"
    ),
)
_BY_ACTION = {t.action: t for t in TRANSITIONS}


class TransitionError(ValueError):
    """The action is unknown or does not start from the submission's status."""

    def __init__(self, action: str, status: str):
        super().__init__(f"{action} from {status}")
        self.action = action
        self.status = status


def transition(action: str, status: str) -> Transition:
    """The transition `action` from `status`, or TransitionError."""
    found = _BY_ACTION.get(action)
    if found is None or status not in found.sources:
        raise TransitionError(action, status)
    return found


def actions_from(status: str, capabilities: frozenset[str] | set[str]) -> list[str]:
    """The actions a holder of `capabilities` may take on a submission in `status`."""
    return [t.action for t in TRANSITIONS if status in t.sources and t.capability in capabilities]


def needs_reason(action: str) -> bool:
    found = _BY_ACTION.get(action)
    return bool(found and found.reason_required)


def official_differences(submitted: dict[str, object], official: dict[str, object]) -> list[str]:
    """The names whose submitted value differs from an official one (statistics or tax). A field
    left empty on either side is no difference: an empty submitted field keeps the registry's
    value when the submission is accepted."""
    return [
        name
        for name, value in official.items()
        if value is not None and submitted.get(name) is not None and submitted[name] != value
    ]
