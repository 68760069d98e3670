"""The console and the list tools in the browser, one whole flow: the bureau admin creates an
account for a new staff member of 高新科 and resets its password; the new colleague signs in with
the temporary password, must choose a new one, then chooses the enterprise list's columns,
saves the view, applies it again and exports the selected rows with exactly those columns."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from kechuang.accounts.models import AccountEvent, AccountEventKind, SavedListView
from kechuang.platforms.models import EvaluationScheme


def test_admin_creates_an_account_and_the_officer_shapes_the_enterprise_list(open_session):
    a = open_session("admin")
    a.goto("/console/", "console-home")
    a.goto("/console/users/", "console-users")
    a.page.get_by_test_id("user-create").click()
    form = a.page.get_by_test_id("user-form")
    form.locator("[name=username]").fill("gaoxin01")
    form.locator("[name=display_name]").fill("高新科 王科员")
    form.locator("[name=role]").select_option("bureau_staff")
    form.locator("[name=department]").fill("高新科")
    with a.page.expect_navigation():
        form.get_by_test_id("user-save").click()
    a.shot("account-created")
    with a.page.expect_navigation():
        a.page.get_by_test_id("password-reset").click()
    password = a.page.get_by_test_id("temporary-password").inner_text().strip()
    a.shot("temporary-password")
    assert AccountEvent.objects.filter(
        user__username="gaoxin01", kind=AccountEventKind.PASSWORD_RESET, actor__username="admin"
    ).exists()
    a.goto("/console/regions/", "console-regions")
    a.goto("/console/parameters/", "console-parameters")
    a.page.get_by_test_id("rule-sets").locator("a").first.click()
    a.page.wait_for_load_state()
    assert "待政策核实" in a.page.content()
    a.shot("ruleset-parameters")
    scheme = EvaluationScheme.objects.order_by("pk").first()
    a.goto(f"/console/parameters/schemes/{scheme.pk}/", "scheme-parameters")

    # The new colleague signs in and must replace the temporary password first.
    s = open_session(None)
    s.login("gaoxin01", password)
    assert "/accounts/password/" in s.page.url
    change = s.page.get_by_test_id("password-change-form")
    change.locator("[name=old_password]").fill(password)
    change.locator("[name=new_password1]").fill("Gaoxin-2026-ok")
    change.locator("[name=new_password2]").fill("Gaoxin-2026-ok")
    with s.page.expect_navigation():
        change.locator("button[type=submit]").click()

    # Columns: name, town and R&D expense only.
    s.goto("/enterprises/?above_scale=true", "enterprise-list")
    s.page.get_by_test_id("column-chooser").locator("summary").click()
    chooser = s.page.get_by_test_id("column-chooser")
    for box in chooser.locator("input[name=columns]").all():
        if box.get_attribute("value") not in ("name", "town", "rd_expense_stat"):
            box.uncheck()
    s.shot("column-chooser")
    with s.page.expect_navigation():
        chooser.get_by_test_id("columns-save").click()
    headers = s.page.get_by_test_id("enterprise-table").locator("thead th")
    # After the selection box; without the sort arrows.
    shown = [t.strip().rstrip("⇅▲▼").strip() for t in headers.all_inner_texts()][1:]
    assert len(shown) == 3 and shown[0].startswith("名称")
    s.shot("chosen-columns")

    # Save the view, reset the columns, apply the view again.
    s.page.get_by_test_id("saved-views").locator("summary").click()
    s.page.locator("#view-name").fill("规上研发")
    with s.page.expect_navigation():
        s.page.get_by_test_id("view-save").click()
    view = SavedListView.objects.get(user__username="gaoxin01")
    assert "above_scale=true" in view.query and view.columns == ["name", "town", "rd_expense_stat"]
    s.goto(f"/enterprises/?{view.query}&saved_view={view.pk}", "saved-view-applied")
    assert len(headers.all_inner_texts()) == 4

    # Export the two first rows: the same three columns, two rows.
    boxes = s.page.get_by_test_id("enterprise-table").locator("tbody input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    with s.page.expect_download() as download:
        s.page.get_by_test_id("export-selection").click()
    ws = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(ws.iter_rows(values_only=True))
    assert [str(h) for h in rows[0]] == shown and len(rows) == 3
