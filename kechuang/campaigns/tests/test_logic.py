"""The workflow table, date rules and saved-filter parsing: pure functions, no database."""

from __future__ import annotations

import datetime as dt
import unittest

from kechuang.campaigns.logic.targets import FilterSpecError, normalise_filter_spec
from kechuang.campaigns.logic.workflow import (
    Actor,
    TaskState,
    TransitionError,
    allowed_targets,
    check_transition,
    default_due_date,
    due_month,
    is_overdue,
    path_to,
)

S = TaskState


class WorkflowTest(unittest.TestCase):
    def test_assignee_walks_the_happy_path(self):
        for frm, to in [(S.PENDING, S.VISITED), (S.VISITED, S.FOLLOW_UP), (S.FOLLOW_UP, S.CLOSED)]:
            check_transition(frm, to, {Actor.ASSIGNEE})

    def test_moves_that_do_not_exist_are_unknown(self):
        for frm, to in [(S.PENDING, S.FOLLOW_UP), (S.CLOSED, S.PENDING), (S.VISITED, S.PENDING)]:
            with self.assertRaises(TransitionError) as ctx:
                check_transition(frm, to, {Actor.STAFF, Actor.ASSIGNEE})
            self.assertEqual(ctx.exception.code, "unknown")

    def test_only_staff_close_unvisited_or_reopen(self):
        for frm, to in [(S.PENDING, S.CLOSED), (S.CLOSED, S.FOLLOW_UP)]:
            check_transition(frm, to, {Actor.STAFF})
            with self.assertRaises(TransitionError) as ctx:
                check_transition(frm, to, {Actor.ASSIGNEE})
            self.assertEqual(ctx.exception.code, "forbidden")

    def test_nobody_else_moves_anything(self):
        with self.assertRaises(TransitionError):
            check_transition(S.PENDING, S.VISITED, set())

    def test_allowed_targets_follow_the_table(self):
        self.assertEqual(allowed_targets(S.PENDING, {Actor.ASSIGNEE}), [S.VISITED])
        self.assertEqual(allowed_targets(S.PENDING, {Actor.STAFF}), [S.VISITED, S.CLOSED])
        self.assertEqual(allowed_targets(S.CLOSED, {Actor.ASSIGNEE}), [])

    def test_visit_paths(self):
        self.assertEqual(path_to(S.PENDING, S.CLOSED), (S.VISITED, S.CLOSED))
        self.assertEqual(path_to(S.VISITED, S.VISITED), ())
        with self.assertRaises(TransitionError):
            path_to(S.CLOSED, S.VISITED)

    def test_every_visit_path_step_is_in_the_table(self):
        for frm in (S.PENDING, S.VISITED, S.FOLLOW_UP):
            for outcome in (S.VISITED, S.FOLLOW_UP, S.CLOSED):
                state = frm
                for step in path_to(frm, outcome):
                    check_transition(state, step, {Actor.ASSIGNEE})
                    state = step


class DateRulesTest(unittest.TestCase):
    def test_overdue_after_the_due_day_unless_closed(self):
        due = dt.date(2025, 3, 31)
        self.assertFalse(is_overdue(due, S.PENDING, dt.date(2025, 3, 31)))
        self.assertTrue(is_overdue(due, S.PENDING, dt.date(2025, 4, 1)))
        self.assertTrue(is_overdue(due, S.FOLLOW_UP, dt.date(2025, 4, 1)))
        self.assertFalse(is_overdue(due, S.CLOSED, dt.date(2026, 1, 1)))
        self.assertFalse(is_overdue(None, S.PENDING, dt.date(2026, 1, 1)))

    def test_due_month_and_default_due_date(self):
        self.assertEqual(due_month(dt.date(2025, 2, 14)), (2025, 2))
        self.assertEqual(default_due_date(dt.date(2025, 1, 10)), dt.date(2025, 3, 31))
        self.assertEqual(default_due_date(dt.date(2025, 11, 5)), dt.date(2026, 1, 31))


class FilterSpecTest(unittest.TestCase):
    def test_form_strings_are_parsed(self):
        spec = normalise_filter_spec(
            {"kind": "zero_rd", "year": "2024", "town": "3", "contradiction_only": "on", "x": "1"}
        )
        self.assertEqual(
            spec, {"kind": "zero_rd", "year": 2024, "town": 3, "contradiction_only": True}
        )

    def test_false_flags_and_blank_town_are_dropped(self):
        spec = normalise_filter_spec({"kind": "above_scale", "year": 2024, "town": "",
                                      "contradiction_only": "false"})  # fmt: skip
        self.assertEqual(spec, {"kind": "above_scale", "year": 2024})

    def test_errors_are_per_field(self):
        with self.assertRaises(FilterSpecError) as ctx:
            normalise_filter_spec({"kind": "bogus", "year": "20x4", "contradiction_only": "maybe"})
        self.assertEqual(set(ctx.exception.errors), {"kind", "year", "contradiction_only"})
        with self.assertRaises(FilterSpecError) as ctx:
            normalise_filter_spec({"kind": "zero_rd"})
        self.assertEqual(set(ctx.exception.errors), {"year"})
        with self.assertRaises(FilterSpecError):
            normalise_filter_spec({"kind": "zero_rd", "year": 1800})
