"""The language switch in the top bar: Chinese by default, English on request, and back."""

from __future__ import annotations

from django.utils import translation


def _nav_label(s, href: str) -> str:
    return s.page.locator(f"nav a[href='{href}']").inner_text().strip()


def _switch(s, language: str, label: str) -> None:
    with s.page.expect_navigation():
        s.page.locator("form.kc-lang select[name=language]").select_option(language)
    s.page.wait_for_load_state()
    s.shot(label)


def test_language_switch_changes_labels_and_comes_back(open_session):
    # What the catalogues say "Enterprises" is in each language. The Chinese catalogue may not
    # translate it yet; the html lang attribute proves the switch either way.
    with translation.override("zh-hans"):
        chinese = translation.gettext("Enterprises")
    with translation.override("en"):
        english = translation.gettext("Enterprises")
    assert english == "Enterprises"

    s = open_session("staff")
    s.goto("/enterprises/", "enterprise-list-zh")
    html = s.page.locator("html")
    assert html.get_attribute("lang") == "zh-hans"  # Chinese by default, whatever the browser says
    assert _nav_label(s, "/enterprises/") == chinese

    _switch(s, "en", "enterprise-list-en")
    assert s.page.url.endswith("/enterprises/")  # the switch returns to the same page
    assert html.get_attribute("lang") == "en"
    assert _nav_label(s, "/enterprises/") == english
    assert s.page.locator("form.kc-lang select[name=language]").input_value() == "en"

    s.goto("/", "dashboard-en")  # the choice sticks across pages
    assert html.get_attribute("lang") == "en"

    _switch(s, "zh-hans", "dashboard-zh")
    assert html.get_attribute("lang") == "zh-hans"
    assert _nav_label(s, "/enterprises/") == chinese
    if chinese != english:
        assert _nav_label(s, "/enterprises/") != english
