"""The visit-task workflow and its date rules, as plain data and functions.

A task moves pending → visited → follow-up → closed. `TRANSITIONS` lists every allowed move with
the actor that may make it: the task's assignee or bureau staff. `services.task_transition` is the
only code that changes a task's state, and it asks `check_transition` first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

__all__ = [
    "TaskState",
    "Actor",
    "TRANSITIONS",
    "TransitionError",
    "allowed_targets",
    "check_transition",
    "path_to",
    "is_open",
    "is_overdue",
    "due_month",
    "default_due_date",
]


class TaskState:
    PENDING = "pending"
    VISITED = "visited"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


class Actor:
    """Who is acting on a task: its assignee, or bureau staff (admin or staff role)."""

    ASSIGNEE = "assignee"
    STAFF = "staff"


_BOTH = frozenset({Actor.ASSIGNEE, Actor.STAFF})

# (from_state, to_state) -> actors who may make the move.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (TaskState.PENDING, TaskState.VISITED): _BOTH,
    (TaskState.VISITED, TaskState.FOLLOW_UP): _BOTH,
    (TaskState.VISITED, TaskState.CLOSED): _BOTH,
    (TaskState.FOLLOW_UP, TaskState.VISITED): _BOTH,  # a further visit during the follow-up
    (TaskState.FOLLOW_UP, TaskState.CLOSED): _BOTH,
    # Only the bureau closes a task nobody visited (enterprise closed down, moved away) or
    # reopens a closed one.
    (TaskState.PENDING, TaskState.CLOSED): frozenset({Actor.STAFF}),
    (TaskState.CLOSED, TaskState.FOLLOW_UP): frozenset({Actor.STAFF}),
}

# The states a visit record leaves a task in, and the steps that lead there from each state.
_VISIT_PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    (TaskState.PENDING, TaskState.VISITED): (TaskState.VISITED,),
    (TaskState.PENDING, TaskState.FOLLOW_UP): (TaskState.VISITED, TaskState.FOLLOW_UP),
    (TaskState.PENDING, TaskState.CLOSED): (TaskState.VISITED, TaskState.CLOSED),
    (TaskState.VISITED, TaskState.VISITED): (),
    (TaskState.VISITED, TaskState.FOLLOW_UP): (TaskState.FOLLOW_UP,),
    (TaskState.VISITED, TaskState.CLOSED): (TaskState.CLOSED,),
    (TaskState.FOLLOW_UP, TaskState.VISITED): (TaskState.VISITED,),
    (TaskState.FOLLOW_UP, TaskState.FOLLOW_UP): (),
    (TaskState.FOLLOW_UP, TaskState.CLOSED): (TaskState.CLOSED,),
}


class TransitionError(ValueError):
    """A move the workflow does not allow (`code`: "unknown" move or "forbidden" to the actor)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def allowed_targets(state: str, actors: Iterable[str]) -> list[str]:
    """The states `actors` may move a task in `state` to, in workflow order."""
    actors = set(actors)
    order = [TaskState.PENDING, TaskState.VISITED, TaskState.FOLLOW_UP, TaskState.CLOSED]
    return [
        to
        for (frm, to), who in sorted(TRANSITIONS.items(), key=lambda kv: order.index(kv[0][1]))
        if frm == state and who & actors
    ]


def check_transition(from_state: str, to_state: str, actors: Iterable[str]) -> None:
    """Raise TransitionError unless one of `actors` may move a task from_state → to_state."""
    who = TRANSITIONS.get((from_state, to_state))
    if who is None:
        raise TransitionError(f"no move from {from_state} to {to_state}", code="unknown")
    if not who & set(actors):
        raise TransitionError(f"{from_state} → {to_state} is not yours to make", code="forbidden")


def path_to(from_state: str, outcome: str) -> tuple[str, ...]:
    """The steps a visit record takes a task through to reach `outcome` (visited, follow-up or
    closed); () when it is already there. Raises TransitionError for a closed task."""
    try:
        return _VISIT_PATHS[(from_state, outcome)]
    except KeyError:
        raise TransitionError(
            f"a visit cannot take a {from_state} task to {outcome}", code="unknown"
        ) from None


def is_open(state: str) -> bool:
    return state != TaskState.CLOSED


def is_overdue(due_date: dt.date | None, state: str, today: dt.date) -> bool:
    """Overdue: the due date has passed (the due day itself is still in time) and not closed."""
    return due_date is not None and is_open(state) and today > due_date


def due_month(due_date: dt.date) -> tuple[int, int]:
    """The (year, month) that groups open tasks of one enterprise into one visit."""
    return (due_date.year, due_date.month)


def default_due_date(today: dt.date, days: int = 60) -> dt.date:
    """A campaign's default due date: `days` after today, moved to the end of that month so that
    tasks created together fall into one visiting month."""
    target = today + dt.timedelta(days=days)
    next_month = dt.date(target.year + target.month // 12, target.month % 12 + 1, 1)
    return next_month - dt.timedelta(days=1)
