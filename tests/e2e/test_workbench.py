"""Workbenches in the browser, one flow: each of the nine demo users signs in and lands on its
own workbench, and so does / (no server error, no JavaScript or console error); bureau staff open a to-do card and land
on the list it counts; the leader's workbench shows figures without links into records."""

from __future__ import annotations

from .conftest import number_in

USERS = {
    "admin": "staff",
    "staff": "staff",
    "town": "town",
    "leader": "leader",
    "enterprise": "enterprise",
    "expert": "expert",
    "university": "university",
    "agency": "agency",
    "operator": "operator",
}


def test_every_role_lands_on_its_workbench(open_session):
    for username, kind in USERS.items():
        s = open_session(username)
        assert s.page.url.endswith("/workbench/"), (username, s.page.url)  # after signing in
        errors: list[str] = []
        s.page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        s.goto("/", f"home-{username}")
        assert s.page.url.endswith("/workbench/"), (username, s.page.url)
        assert not errors, (username, errors)
        assert s.page.get_by_test_id(f"workbench-{kind}").is_visible()
        first = s.page.locator("nav.kc-subnav a.nav-link").first
        assert first.get_attribute("href") == "/workbench/"
        if username == "staff":
            card = s.page.get_by_test_id("todo-tasks_overdue")
            shown = number_in(card.locator(".kc-todo-count").inner_text())
            with s.page.expect_navigation():
                card.click()
            assert "/campaigns/tasks/" in s.page.url and "overdue=true" in s.page.url
            s.shot(f"overdue-tasks-{shown}")
        if username == "leader":
            assert s.page.get_by_test_id("targets").is_visible()
            content = s.page.get_by_test_id("workbench-leader")
            assert content.locator("a[href^='/enterprises/']").count() == 0
