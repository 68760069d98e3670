"""Workflow tables: one transitions table per object (docs/programmes.md#workflows).

A transition names the states it leaves, the state it enters and the capability the actor
needs; the service `transition_apply` looks the step up here, checks the capability and writes
the history. Nothing else changes a status.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Transition",
    "TransitionError",
    "CALL_TRANSITIONS",
    "APPLICATION_TRANSITIONS",
    "PROJECT_TRANSITIONS",
    "TABLES",
    "find_transition",
    "allowed_actions",
]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    capability: str


class TransitionError(Exception):
    """The action is not possible from the object's current state."""


def _t(action: str, sources: str, target: str, capability: str) -> Transition:
    return Transition(action, frozenset(sources.split()), target, capability)


# 年度指南: draft → open → closed → under review → decided → noticed → final.
CALL_TRANSITIONS: tuple[Transition, ...] = (
    _t("open", "draft", "open", "programmes.manage"),
    _t("close", "open", "closed", "programmes.manage"),
    _t("start_review", "closed", "under_review", "programmes.manage"),
    _t("decide", "under_review", "decided", "programmes.manage"),
    _t("notice", "decided", "noticed", "programmes.manage"),
    _t("finalise", "noticed", "final", "programmes.manage"),
)

# An application: draft → submitted → (returned → resubmitted) → formal check → review →
# decision; the applicant may withdraw until the formal check is passed.
APPLICATION_TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", "draft", "submitted", "programmes.apply"),
    _t("resubmit", "returned", "submitted", "programmes.apply"),
    _t("withdraw", "draft submitted returned", "withdrawn", "programmes.apply"),
    _t("return", "submitted", "returned", "programmes.check"),
    _t("reject", "submitted", "rejected", "programmes.check"),
    _t("pass_check", "submitted", "checked", "programmes.check"),
    _t("start_review", "checked", "in_review", "programmes.manage"),
    _t("approve", "in_review", "approved", "programmes.manage"),
    _t("decline", "in_review", "declined", "programmes.manage"),
)

# A funded project: noticed (held while objections are open) → confirmed on the final list →
# contract signed → running → mid-term → acceptance passed / with conditions / failed.
PROJECT_TRANSITIONS: tuple[Transition, ...] = (
    _t("hold", "noticed", "held", "programmes.manage"),
    _t("release", "held", "noticed", "programmes.manage"),
    _t("withdraw_award", "noticed held", "cancelled", "programmes.manage"),
    _t("confirm", "noticed", "confirmed", "programmes.manage"),
    _t("sign", "confirmed", "running", "programmes.manage"),
    _t("accept", "running", "accepted", "programmes.manage"),
    _t("accept_conditional", "running", "accepted_conditional", "programmes.manage"),
    _t("fail", "running", "failed", "programmes.manage"),
)

TABLES: dict[str, tuple[Transition, ...]] = {
    "call": CALL_TRANSITIONS,
    "application": APPLICATION_TRANSITIONS,
    "project": PROJECT_TRANSITIONS,
}


def find_transition(table: str, action: str, state: str) -> Transition:
    """The transition `action` from `state` in `table`, or TransitionError."""
    for item in TABLES[table]:
        if item.action == action:
            if state in item.sources:
                return item
            raise TransitionError(f"{action} not allowed from {state}")
    raise TransitionError(f"unknown action {action}")


def allowed_actions(table: str, state: str) -> list[Transition]:
    """The transitions leaving `state`, in table order."""
    return [t for t in TABLES[table] if state in t.sources]
