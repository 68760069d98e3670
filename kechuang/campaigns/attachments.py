"""Checks of a visit-record attachment: size (read as a stream) and content.

A file is kept only if its first bytes match its extension: PDF (``%PDF-``, ISO 32000-1 §7.5.2),
JPEG (``FF D8 FF``, ITU-T T.81 Annex B), PNG (the eight-byte signature, ISO/IEC 15948 §5.2), and
Word/Excel documents as Office Open XML packages (a ZIP whose ``[Content_Types].xml`` names the
main document part, ECMA-376 Part 2 §10.1.2.2). Other types (old binary Office files, archives,
executables, renamed or not) are refused; a package is also refused when it unpacks to more than
the import limit or is compressed like a bomb (the limits of ``kechuang.imports.guard``).

The size limit is ``KECHUANG_VISIT_ATTACHMENT_MAX_MB`` (default 20).
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kechuang.imports.guard import CHUNK, RATIO_MIN_BYTES, Limits

from .constants import ATTACHMENT_EXTENSIONS

__all__ = ["CONTENT_TYPES", "check_attachment", "max_bytes"]

# Extension → the Content-Type the file is served with.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SIGNATURES = {
    "pdf": b"%PDF-",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
    "docx": b"PK\x03\x04",
    "xlsx": b"PK\x03\x04",
}
# The content type of the main part an Office Open XML package must declare (ECMA-376 Part 1).
MAIN_PARTS = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
CONTENT_TYPES_MAX = 1 << 20
MAX_MEMBERS = 10_000


def max_bytes() -> int:
    return int(getattr(settings, "KECHUANG_VISIT_ATTACHMENT_MAX_MB", 20)) << 20


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _refused(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s”: the content does not match its file type; allowed are %(types)s."),
        code="file_content",
        params={"name": name, "types": ", ".join(ATTACHMENT_EXTENSIONS)},
    )


def check_attachment(file) -> None:
    """Raise ValidationError unless `file` (an uploaded or stored file) is an allowed type whose
    content matches its extension and is within the size limit."""
    name = getattr(file, "name", "") or ""
    short = name.rsplit("/", 1)[-1]
    ext = extension(short)
    if ext not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s”: allowed file types are %(types)s."),
            code="file_type",
            params={"name": short, "types": ", ".join(ATTACHMENT_EXTENSIONS)},
        )
    limit = max_bytes()
    too_large = ValidationError(
        _("“%(name)s” is larger than %(mb)s MB."),
        code="file_too_large",
        params={"name": short, "mb": limit >> 20},
    )
    declared = getattr(file, "size", None)
    if declared is not None and declared > limit:
        raise too_large
    # The declared size may lie: count the bytes while reading.
    file.seek(0)
    head = file.read(16)
    total = len(head)
    while chunk := file.read(CHUNK):
        total += len(chunk)
        if total > limit:
            raise too_large
    file.seek(0)
    if not head.startswith(SIGNATURES[ext]):
        raise _refused(short)
    if ext in MAIN_PARTS:
        try:
            _check_package(file, ext)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
            raise _refused(short) from exc
        except RuntimeError as exc:  # an encrypted member
            raise _refused(short) from exc
        finally:
            file.seek(0)


def _check_package(file, ext: str) -> None:
    short = (getattr(file, "name", "") or "").rsplit("/", 1)[-1]
    limits = Limits.from_settings()
    with zipfile.ZipFile(file) as package:
        infos = package.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _refused(short)
        bomb = ValidationError(
            _("“%(name)s” unpacks to far more than its size, a sign of a compression bomb."),
            code="file_bomb",
            params={"name": short},
        )
        if sum(i.file_size for i in infos) > limits.unpacked_bytes:
            raise bomb
        for info in infos:
            if info.file_size >= RATIO_MIN_BYTES and info.file_size > limits.ratio * max(
                1, info.compress_size
            ):
                raise bomb
        types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
        if types is None or types.file_size > CONTENT_TYPES_MAX:
            raise _refused(short)
        with package.open(types) as f:
            content_types = f.read(CONTENT_TYPES_MAX + 1)
        if MAIN_PARTS[ext] not in content_types:
            raise _refused(short)
        # A member that unpacks to more than it declares is caught while streaming.
        unpacked = 0
        for info in infos:
            with package.open(info) as f:
                while chunk := f.read(CHUNK):
                    unpacked += len(chunk)
                    if unpacked > limits.unpacked_bytes:
                        raise bomb
