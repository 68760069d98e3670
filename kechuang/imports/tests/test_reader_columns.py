"""The column reader (fastexcel into Polars) gives exactly the frame of the row reader
(python-calamine, cell by cell), and leaves to the row reader every sheet it cannot read
exactly (docs/performance.md#batch)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from kechuang.imports.guard import Limits, WorkbookRejected, check_workbook, starts_at_a1
from kechuang.imports.services import _read_sheet_columns, _read_sheet_rows, read_workbook

LIMITS = Limits(rows=10_000, columns=60, sheets=20, unpacked_bytes=64 << 20, ratio=200)


def save(path: Path, rows: list[list], start: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    if start is None:
        for row in rows:
            ws.append(row)
    else:
        col = ord(start[0]) - ord("A") + 1
        first = int(start[1:])
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is not None:
                    ws.cell(row=first + i, column=col + j, value=v)
    wb.save(path)
    return path


def both(path: Path, limits: Limits = LIMITS):
    rows = _read_sheet_rows(CalamineWorkbook.from_path(str(path)), "数据", limits)
    columns = _read_sheet_columns(fastexcel.read_excel(str(path)), "数据", limits)
    return rows, columns


def assert_same(path: Path) -> pl.DataFrame:
    rows, columns = both(path)
    assert columns is not None, "the column reader left a plain sheet to the row reader"
    assert rows is not None
    assert columns[0] == rows[0]
    assert columns[1].schema == rows[1].schema
    assert columns[1].equals(rows[1]), (columns[1], rows[1])
    return columns[1]


def test_every_cell_type_reads_alike(tmp_path):
    header = ["名称", "金额", "人数", "是否", "日期", "时刻", " 备注 ", "附注", "空列"]
    body = [
        ["甲", 1.0, 3, True, dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 3, 4), "  ", None, None],
        ["", 0.1, -7, False, None, None, "说明", "无表头的格", None],
        [None] * 9,  # a blank row in the middle
        ["乙", 1e20, 0, None, dt.date(1999, 12, 31), None, None, None, None],
        [None, 1e-5, None, True, None, dt.datetime(2030, 6, 1), "x", None, None],
        ["丙", 12345678.91, 12, None, None, None, None, None, None],
        ["丁", -0.0, 5, False, dt.date(2024, 2, 29), None, None, None, None],
        ["戊", 123456789012345.6, 1, True, None, None, None, None, None],
        [None] * 9,
    ]
    frame = assert_same(save(tmp_path / "all.xlsx", [header, *body]))
    # the row with a value only in one column is kept; the blank ones are not
    assert frame["__row"].to_list() == [2, 3, 5, 6, 7, 8, 9]
    assert frame["金额"].to_list()[:4] == ["1", "0.1", "1e+20", "1e-05"]
    assert frame["是否"].to_list()[:2] == ["是", "否"]
    assert frame["时刻"].to_list()[0] == "2024-01-02"


def test_generated_sheets_read_alike(tmp_path):
    rnd = random.Random(7)
    kinds = [
        lambda: rnd.choice(["公司", "a b", " ", "9133", "是", "—"]),
        lambda: rnd.choice([0.5, 2.0, 1e-7, 3.25e16, -12.75, 100.0, 0.1 + 0.2]),
        lambda: rnd.randint(-(10**9), 10**9),
        lambda: rnd.random() < 0.5,
        lambda: dt.date(2000, 1, 1) + dt.timedelta(days=rnd.randint(0, 9000)),
    ]
    for n in range(6):
        columns = [rnd.choice(kinds) for _ in range(7)]
        header = [f"列{j}" for j in range(7)]
        body = [
            [make() if rnd.random() < 0.8 else None for make in columns]
            for _ in range(rnd.randint(0, 60))
        ]
        assert_same(save(tmp_path / f"g{n}.xlsx", [header, *body]))


def test_repeated_header_after_trimming_takes_the_last(tmp_path):
    frame = assert_same(save(tmp_path / "rep.xlsx", [["x", " x", "y"], ["1", "2", "3"]]))
    assert frame["x"].to_list() == ["2"]


def test_header_only_sheet(tmp_path):
    frame = assert_same(save(tmp_path / "h.xlsx", [["名称", "金额"]]))
    assert frame.height == 0


@pytest.mark.parametrize(
    "rows",
    [
        [["名称", "金额"], ["甲", 1.5], ["乙", "无"]],  # a column of numbers and text
        [["名称", "时刻"], ["甲", dt.time(3, 4)]],  # a time of day
        [["名称", 2019], ["甲", 1]],  # a number as a header
        [["名称", "名称"], ["甲", "乙"]],  # a header renamed by the column reader
        [["名称", True], ["甲", "乙"]],  # a yes/no cell as a header
        [["名称", None, "金额"], ["甲", "无表头", 1.0]],  # a column without a header
    ],
    ids=["mixed", "time", "number-header", "duplicate", "bool-header", "blank-header"],
)
def test_sheets_the_column_reader_leaves_to_the_row_reader(tmp_path, rows):
    path = save(tmp_path / "odd.xlsx", rows)
    by_rows, by_columns = both(path)
    assert by_columns is None
    # and the whole read still gives the row reader's frame
    ((_name, headers, frame),) = read_workbook(path, LIMITS)
    assert headers == by_rows[0] and frame.equals(by_rows[1])


def test_a_sheet_not_starting_at_a1_is_read_by_rows(tmp_path):
    path = save(tmp_path / "b3.xlsx", [["名称", "金额"], ["甲", 1.0]], start="B3")
    assert check_workbook(path, LIMITS) == frozenset()
    ((_name, headers, frame),) = read_workbook(path, LIMITS)
    by_rows, _ = both(path)
    assert headers == by_rows[0] and frame.equals(by_rows[1])


def test_starts_at_a1_reads_the_first_cell_only():
    def sheet(cells: str) -> bytes:
        return (
            b'<worksheet xmlns="x"><sheetViews><sheetView><selection activeCell="A1"/>'
            b"</sheetView></sheetViews><cols><col min='1'/></cols><sheetData>" + cells.encode()
        )

    assert starts_at_a1(sheet('<row r="1"><c r="A1" t="s"><v>0</v></c>'))
    assert starts_at_a1(sheet('<row r="1"><c t="inlineStr" r="A1"><is><t>名</t></is></c>'))
    assert starts_at_a1(sheet('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'))
    assert not starts_at_a1(sheet('<row r="1"><c r="A1" s="2"/><c r="B1"><v>1</v></c>'))
    assert not starts_at_a1(sheet('<row r="1"><c r="A1"><f>B1</f></c>'))
    assert not starts_at_a1(sheet('<row r="2"><c r="A2"><v>1</v></c>'))
    assert not starts_at_a1(sheet('<row r="1"><c r="B1"><v>1</v></c>'))
    assert not starts_at_a1(sheet('<row r="1"><c r="A1"><v>1</v>'))  # cut before the end
    assert not starts_at_a1(b"<worksheet><sheetData></sheetData></worksheet>")


def test_row_limit_holds_on_the_column_reader(tmp_path):
    path = save(tmp_path / "big.xlsx", [["名称"], *[[f"甲{i}"] for i in range(12)]])
    small = Limits(rows=10, columns=60, sheets=20, unpacked_bytes=64 << 20, ratio=200)
    with pytest.raises(WorkbookRejected):
        _read_sheet_columns(fastexcel.read_excel(str(path)), "数据", small)
    with pytest.raises(WorkbookRejected):
        _read_sheet_rows(CalamineWorkbook.from_path(str(path)), "数据", small)
