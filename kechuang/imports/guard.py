"""Checks an uploaded workbook *before* any spreadsheet reader opens it.

A spreadsheet reader allocates the whole rectangle from A1 to the last used cell: one cell at
XFD20000 in a 5 KB file asks for 16,384 × 20,000 cells (about 10 GB). So the package is
inspected first, with bounded memory: it must be a real xlsx package (ZIP with
``[Content_Types].xml`` and ``xl/workbook.xml``, ECMA-376 Part 2 "Open Packaging Conventions"),
with few sheets, a bounded unpacked size and compression ratio, and every sheet's declared
``<dimension ref>`` and actual cell references (ECMA-376 Part 1 §18.3.1.35 and §18.3.1.4)
inside the row and column limits. Every member is decompressed as a stream, so a member that
unpacks to more than it declares is caught too.

Limits (Django settings, with defaults): ``KECHUANG_IMPORT_MAX_ROWS`` (200,000 data rows),
``KECHUANG_IMPORT_MAX_COLUMNS`` (60), ``KECHUANG_IMPORT_MAX_SHEETS`` (20),
``KECHUANG_IMPORT_MAX_UNPACKED_MB`` (512), ``KECHUANG_IMPORT_MAX_RATIO`` (200).
"""

from __future__ import annotations

import dataclasses
import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import polars as pl
from django.conf import settings
from django.utils.translation import gettext as _

__all__ = ["Limits", "WorkbookRejected", "check_workbook", "column_number", "is_xlsx_package"]

CHUNK = 1 << 20
RATIO_MIN_BYTES = 1 << 20  # small parts (styles, one-row sheets) compress very well; ignore them
SMALL_PART_BYTES = 16 << 20  # workbook.xml and its relationships are read whole up to this size


class WorkbookRejected(ValueError):
    """The workbook breaks a limit; ``message`` says which, for the person who uploaded it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one workbook (data rows exclude the header row)."""

    rows: int
    columns: int
    sheets: int
    unpacked_bytes: int
    ratio: float

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            rows=int(getattr(settings, "KECHUANG_IMPORT_MAX_ROWS", 200_000)),
            columns=int(getattr(settings, "KECHUANG_IMPORT_MAX_COLUMNS", 60)),
            sheets=int(getattr(settings, "KECHUANG_IMPORT_MAX_SHEETS", 20)),
            unpacked_bytes=int(getattr(settings, "KECHUANG_IMPORT_MAX_UNPACKED_MB", 512)) << 20,
            ratio=float(getattr(settings, "KECHUANG_IMPORT_MAX_RATIO", 200)),
        )

    @classmethod
    def for_template(cls, name: str) -> Limits:
        """The limits for one template: ``KECHUANG_IMPORT_TEMPLATE_LIMITS`` may lower (or raise)
        ``rows``/``columns`` per template name, e.g. ``{"enterprises": {"rows": 100_000}}``."""
        base = cls.from_settings()
        override = getattr(settings, "KECHUANG_IMPORT_TEMPLATE_LIMITS", {}).get(name, {})
        return dataclasses.replace(
            base,
            rows=int(override.get("rows", base.rows)),
            columns=int(override.get("columns", base.columns)),
        )


# ------------------------------------------------------------------ cell references


def column_number(letters: str) -> int:
    """A1-style column letters → 1-based number (A=1, XFD=16384)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _greater_than(text: str, alphabet: str) -> str:
    """A regex matching strings of ``alphabet`` that sort after ``text`` at the same length or
    are longer (for column letters and row numbers without leading zeros, "after" = "larger")."""
    n = len(text)
    options = [f"[{alphabet[0]}-{alphabet[-1]}]{{{n + 1},}}"]
    for i, ch in enumerate(text):
        higher = alphabet[alphabet.index(ch) + 1 :]
        if higher:
            rest = f"[{alphabet[0]}-{alphabet[-1]}]{{{n - i - 1}}}" if n - i - 1 else ""
            options.append(re.escape(text[:i]) + f"[{higher[0]}-{higher[-1]}]" + rest)
    return "(?:" + "|".join(options) + ")"


def _out_of_range(limits: Limits) -> tuple[re.Pattern, str]:
    """A cell or row reference beyond the last allowed row or column, in any attribute order
    and with any namespace prefix: (Python regex, the same for Polars' regex engine)."""
    last_row = str(limits.rows + 1)  # + the header row
    column = _greater_than(column_letters(limits.columns), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    row = _greater_than(last_row, "0123456789")
    cell_ref = "(?:" + column + "[0-9]|[A-Z]+" + row + '")'
    python = r'<(?:\w+:)?c\s[^>]*?\br="' + cell_ref + r'|<(?:\w+:)?row\s[^>]*?\br="' + row + '"'
    polars = python.replace(r"\w", _NAME_CHAR).replace(r"\s", _SPACE).replace(r"\b", r"(?-u:\b)")
    return re.compile(python.encode()), polars


_NAME_CHAR = "[A-Za-z0-9_]"
_SPACE = r"[ \t\r\n]"
# A cell or row start tag none of whose attributes is named r (or prefix:r), in the syntax of
# Polars' regex engine, which has no look-ahead: the same elements as ``UNPLACED``.
_ATTRIBUTE_NOT_R = r"(?:[A-Za-z0-9_.:\-]*[A-Za-qs-z0-9_.:\-]|[A-Za-z0-9_.:\-]*[A-Za-z0-9_.\-]r)"
UNPLACED_POLARS = (
    rf"<(?:{_NAME_CHAR}+:)?(?:c|row)"
    rf"(?:{_SPACE}+{_ATTRIBUTE_NOT_R}{_SPACE}*={_SPACE}*(?:\"[^\"]*\"|'[^']*'))*{_SPACE}*/?>"
)
SCAN_BYTES = 16 << 20  # sheet text checked per Polars call


DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s[^>]*?\bref="([A-Za-z0-9:$]+)"')
REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
# A cell or row element without an ``r`` attribute: its position is only implied by counting.
UNPLACED = re.compile(rb"<(?:\w+:)?(?:c|row)(?:\s(?:(?!\br=)[^>])*)?/?>")
SHEET = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
# The first cell element of a sheet's data, and whether it holds a value (a number, a shared or
# inline string, an error): ECMA-376 Part 1 §18.3.1.4 (c), §18.3.1.96 (v), §18.3.1.53 (is).
FIRST_CELL = re.compile(rb"<(?:[\w.-]+:)?sheetData\b[^>]*>.*?<(?:[\w.-]+:)?c\b([^>]*)>", re.S)
CELL_A1 = re.compile(rb"""\sr\s*=\s*["']A1["']""")
CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
CELL_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>[^<]|<(?:[\w.-]+:)?t(?:\s[^>]*)?>[^<]")
ATTR = re.compile(rb'\b([\w:]+)="([^"]*)"')
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")


# ------------------------------------------------------------------ the check


def is_xlsx_package(fileobj) -> bool:
    """True if the file is a ZIP package with an xlsx workbook part (not just named .xlsx)."""
    try:
        position = fileobj.tell()
        head = fileobj.read(4)
        fileobj.seek(position)
        if head != b"PK\x03\x04":
            return False
        with zipfile.ZipFile(fileobj) as package:
            names = set(package.namelist())
        fileobj.seek(position)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _not_xlsx() -> WorkbookRejected:
    return WorkbookRejected(_("The file could not be read as an Excel workbook."))


def _sheet_names(package: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet part name → sheet name as shown in Excel (best effort)."""

    def small(name: str) -> bytes:
        info = infos.get(name)
        if info is None or info.file_size > SMALL_PART_BYTES:
            return b""
        with package.open(info) as f:
            return f.read(SMALL_PART_BYTES + 1)[:SMALL_PART_BYTES]

    targets = {}
    for tag in RELATIONSHIP.findall(small("xl/_rels/workbook.xml.rels")):
        attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in ATTR.findall(tag)}
        target = attrs.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[attrs.get("Id", "")] = str(PurePosixPath(path))
    names = {}
    for tag in SHEET.findall(small("xl/workbook.xml")):
        attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in ATTR.findall(tag)}
        rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        if rid in targets:
            names[targets[rid]] = html.unescape(attrs.get("name", ""))
    return names


def _count_sheets(package: zipfile.ZipFile, infos) -> int:
    info = infos.get("xl/workbook.xml")
    declared = 0
    if info is not None and info.file_size <= SMALL_PART_BYTES:
        with package.open(info) as f:
            declared = len(SHEET.findall(f.read(SMALL_PART_BYTES)))
    parts = sum(1 for n in infos if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    return max(declared, parts)


def check_workbook(path: str | Path, limits: Limits | None = None) -> frozenset[str]:
    """Raise :class:`WorkbookRejected` unless the workbook is safe to open with a reader.

    Returns the names of the sheets whose cell A1 holds a value (`starts_at_a1`): for those,
    every reader sees the same rectangle, starting at A1."""
    limits = limits or Limits.from_settings()
    try:
        with open(path, "rb") as f:
            if f.read(4) != b"PK\x03\x04":
                raise _not_xlsx()
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _not_xlsx() from exc
    with package:
        try:
            return _check_package(package, limits)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
            raise _not_xlsx() from exc
        except RuntimeError as exc:  # encrypted member
            raise _not_xlsx() from exc


def _check_package(package: zipfile.ZipFile, limits: Limits) -> frozenset[str]:
    infos = {i.filename: i for i in package.infolist()}
    if "[Content_Types].xml" not in infos or "xl/workbook.xml" not in infos:
        raise _not_xlsx()
    if len(infos) > 10_000:
        raise _not_xlsx()
    sheets = _count_sheets(package, infos)
    if sheets > limits.sheets:
        raise WorkbookRejected(
            _("The workbook has %(n)s sheets; at most %(max)s are allowed.")
            % {"n": sheets, "max": limits.sheets}
        )
    too_big = WorkbookRejected(
        _("The workbook unpacks to more than %(max)s MB; split it into smaller files.")
        % {"max": limits.unpacked_bytes >> 20}
    )
    if sum(i.file_size for i in infos.values()) > limits.unpacked_bytes:
        raise too_big
    for info in infos.values():
        if info.file_size >= RATIO_MIN_BYTES and info.file_size > limits.ratio * max(
            1, info.compress_size
        ):
            raise WorkbookRejected(
                _(
                    "A part of the workbook is compressed %(ratio)s times, a sign of a "
                    "compression bomb; the file was refused."
                )
                % {"ratio": f"{info.file_size // max(1, info.compress_size):,}"}
            )
    names = _sheet_names(package, infos)
    worksheets = {n for n in infos if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    worksheets |= set(names) & set(infos)  # sheets stored elsewhere, found by relationship
    # Declared dimensions first: they are at the top of each sheet, so a bomb is refused at once.
    at_a1 = set()
    for name in worksheets:
        with package.open(infos[name]) as f:
            head = f.read(64 * 1024)
        match = DIMENSION.search(head)
        if match:
            _check_dimension(match.group(1).decode(), names.get(name, name), limits)
        if starts_at_a1(head):
            at_a1.add(names.get(name, name))
    beyond = _out_of_range(limits)
    unpacked = 0
    for info in infos.values():
        sheet = names.get(info.filename, info.filename)
        scan = _SheetScan(sheet, limits, beyond) if info.filename in worksheets else None
        with package.open(info) as f:
            while chunk := f.read(CHUNK):
                unpacked += len(chunk)
                if unpacked > limits.unpacked_bytes:
                    raise too_big
                if scan is not None:
                    scan.feed(chunk)
        if scan is not None:
            scan.finish()
    return frozenset(at_a1)


def starts_at_a1(head: bytes) -> bool:
    """Whether the first cell in this start of a sheet's XML is A1 and holds a value. Only
    then is the sheet's used range known without reading it all: it starts at A1. Any doubt
    (the first cell elsewhere, empty, or beyond the text given) answers False."""
    first = FIRST_CELL.search(head)
    if first is None or not CELL_A1.search(first.group(1)) or first.group(1).endswith(b"/"):
        return False
    end = CELL_END.search(head, first.end())
    return end is not None and CELL_VALUE.search(head, first.end(), end.start()) is not None


class _SheetScan:
    """Looks through a sheet's XML, as it is decompressed, for a cell or row outside the
    limits and for cells or rows without a position (``r`` attribute).

    The text is cut just before a ``<``, so no tag is split between two checks, and checked
    ``SCAN_BYTES`` at a time by Polars' regex engine (one pass for both questions); text that
    is not UTF-8 is checked by Python's ``re`` instead.
    """

    def __init__(self, sheet: str, limits: Limits, beyond: tuple[re.Pattern, str]):
        self.sheet, self.limits = sheet, limits
        self.beyond, self.beyond_polars = beyond
        self.pending = b""
        self.pieces: list[bytes] = []
        self.size = 0

    def feed(self, chunk: bytes) -> None:
        text = self.pending + chunk
        cut = text.rfind(b"<")
        if cut <= 0:  # no tag starts in this text: keep it whole for the next cut
            cut = len(text) if len(text) > CHUNK else 0
        self.pending = text[cut:]
        if cut:
            self.pieces.append(text[:cut])
            self.size += cut
        if self.size >= SCAN_BYTES:
            self._check()

    def finish(self) -> None:
        if self.pending:
            self.pieces.append(self.pending)
            self.pending = b""
        self._check()

    def _check(self) -> None:
        pieces, self.pieces, self.size = self.pieces, [], 0
        if not pieces:
            return
        try:
            text = pl.Series(pieces, dtype=pl.Binary).cast(pl.Utf8)
        except (pl.exceptions.ComputeError, pl.exceptions.InvalidOperationError):
            beyond = any(self.beyond.search(p) for p in pieces)
            unplaced = not beyond and any(UNPLACED.search(p) for p in pieces)
        else:
            if not text.str.contains(f"{self.beyond_polars}|{UNPLACED_POLARS}").any():
                return
            beyond = bool(text.str.contains(self.beyond_polars).any())
            unplaced = not beyond
        if beyond:
            raise _too_large(self.sheet, self.limits)
        if unplaced:
            raise WorkbookRejected(
                _(
                    "Sheet “%(sheet)s” has cells without a position; open the file in "
                    "Excel or WPS and save it again."
                )
                % {"sheet": self.sheet}
            )


def _too_large(sheet: str, limits: Limits, extent: str = "") -> WorkbookRejected:
    return WorkbookRejected(too_large_message(sheet, limits, extent))


def too_large_message(sheet: str, limits: Limits, extent: str = "") -> str:
    """The message for a sheet over the row or column limit."""
    return _(
        "Sheet “%(sheet)s” is too large%(extent)s: a sheet may have at most %(rows)s data rows "
        "and %(columns)s columns. Delete the empty rows and columns after the data, or split "
        "the file, and upload it again."
    ) % {"sheet": sheet, "extent": extent, "rows": f"{limits.rows:,}", "columns": limits.columns}


def _check_dimension(ref: str, sheet: str, limits: Limits) -> None:
    last = ref.split(":")[-1]
    match = REF.match(last)
    if not match:
        return
    column, row = column_number(match.group(1)), int(match.group(2))
    if row > limits.rows + 1 or column > limits.columns:
        extent = _("（declared up to cell %(ref)s: %(rows)s rows × %(columns)s columns）") % {
            "ref": last.replace("$", "").upper(),
            "rows": f"{row:,}",
            "columns": f"{column:,}",
        }
        raise _too_large(sheet, limits, extent)
