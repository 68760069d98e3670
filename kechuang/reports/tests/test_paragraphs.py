"""/reports/templates/ through real URLs: bureau staff edit the report's wording; placeholders
are checked (an unknown one is refused with the list of available ones, in Chinese); a preview
prints the paragraph with the year's figures; every save is a new version with who and when;
the generated report uses the edited wording. Other roles get 403."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from kechuang.reports.models import ReportParagraph
from kechuang.reports.paragraphs import PARAGRAPHS
from kechuang.reports.services import report_document

LIST = "/reports/templates/"
EDIT = "/reports/templates/institutions/"


@pytest.fixture
def login(client, demo, db):
    def _login(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return _login


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("username", ["leader", "town", "enterprise", "expert", "agency"])
def test_only_bureau_staff_edit_the_wording(login, username):
    client = login(username)
    assert client.get(LIST).status_code == 403
    assert client.post(EDIT, {"text": "x", "action": "save"}).status_code == 403
    assert not ReportParagraph.objects.filter(version__gt=1).exists()


def test_first_use_stores_the_shipped_wording_as_version_one(login):
    page = login("staff").get(LIST)
    assert page.status_code == 200
    rows = dict(ReportParagraph.objects.values_list("key", "version"))
    assert rows == {spec.key: 1 for spec in PARAGRAPHS}
    html = _text(page)
    assert "研发机构：企业研发机构" in html and 'href="/reports/templates/institutions/"' in html
    paragraph = ReportParagraph.objects.get(key="institutions")
    assert paragraph.history.count() == 1


def test_unknown_placeholder_is_refused_with_the_available_ones(login):
    client = login("staff")
    client.get(LIST)
    response = client.post(EDIT, {"text": "新认定{new_ones}家。", "action": "save", "year": "2024"})
    assert response.status_code == 200
    html = _text(response)
    assert "{new_ones}" in html and "invalid-feedback" in html
    # The message lists the available placeholders with their Chinese labels.
    assert "{rd_total_yi}（规上工业企业研发费用（亿元））" in html
    assert "{institutions_total}（年末企业研发机构累计数（家））" in html
    assert ReportParagraph.objects.get(key="institutions").version == 1


def test_stray_braces_and_empty_wording_are_refused(login):
    client = login("staff")
    for text in ("累计{institutions_total。", "{Year}年", ""):
        response = client.post(EDIT, {"text": text, "action": "save"})
        assert response.status_code == 200, text
        assert "invalid-feedback" in _text(response), text
    assert ReportParagraph.objects.get(key="institutions").version == 1


def test_preview_prints_the_figures_without_saving(login):
    client = login("staff")
    response = client.post(
        EDIT,
        {
            "text": "年末累计{institutions_total}，占比{institutions_ratio}。",
            "action": "preview",
            "year": "2024",
        },
    )
    assert response.status_code == 200
    html = _text(response)
    assert 'data-testid="paragraph-preview"' in html
    assert "年末累计1438家，占比近80%。" in html
    assert ReportParagraph.objects.get(key="institutions").version == 1


def test_saving_makes_a_new_version_used_by_the_report(login):
    client = login("staff")
    wording = "全年新认定{institutions_new}，年末各级企业研发机构达到{institutions_total}。"
    response = client.post(EDIT, {"text": wording, "action": "save", "year": "2024"})
    assert response.status_code == 302 and response["Location"] == LIST
    paragraph = ReportParagraph.objects.get(key="institutions")
    assert (paragraph.version, paragraph.text, paragraph.updated_by.username) == (
        2,
        wording,
        "staff",
    )
    history = list(paragraph.history.order_by("history_date"))
    assert [h.version for h in history] == [1, 2]
    assert history[-1].history_user.username == "staff"
    page = _text(client.get(EDIT))
    assert wording in page and 'data-testid="history-table"' in page

    document = report_document(2024)
    body = [b.text for b in document.blocks if type(b).__name__ == "Paragraph"]
    edited = next(t for t in body if t.startswith("全年新认定"))
    assert edited.endswith("年末各级企业研发机构达到1438家。")
    assert "省企业研究院2家" in edited
    assert not any("引导企业按需建设" in t for t in body)  # the shipped wording is gone


def test_unknown_paragraph_is_not_found(login):
    assert login("staff").get("/reports/templates/no-such-paragraph/").status_code == 404
