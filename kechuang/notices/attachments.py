"""Checks of an objection's evidence file: size (counted while reading) and content.

A file is kept only if its first bytes match its extension: PDF (``%PDF-``, ISO 32000-1 §7.5.2),
JPEG (``FF D8 FF``, ITU-T T.81 Annex B) or PNG (the eight-byte signature, ISO/IEC 15948 §5.2).
Anything else (Office files, archives, executables, renamed or not) is refused: the public form
takes only documents that cannot carry macros. The limit is
``KECHUANG_OBJECTION_EVIDENCE_MAX_MB`` (default 10).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["EVIDENCE_EXTENSIONS", "check_evidence", "max_bytes"]

SIGNATURES = {
    "pdf": b"%PDF-",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
}
EVIDENCE_EXTENSIONS = tuple(SIGNATURES)
CHUNK = 64 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "KECHUANG_OBJECTION_EVIDENCE_MAX_MB", 10)) << 20


def check_evidence(file) -> None:
    """Raise ValidationError unless `file` is a PDF/JPEG/PNG whose content matches its
    extension and which is within the size limit."""
    short = (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    ext = short.rsplit(".", 1)[-1].lower() if "." in short else ""
    if ext not in SIGNATURES:
        raise ValidationError(
            _("“%(name)s”: allowed file types are %(types)s."),
            code="file_type",
            params={"name": short, "types": ", ".join(EVIDENCE_EXTENSIONS)},
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
    file.seek(0)
    head = file.read(16)
    total = len(head)
    while chunk := file.read(CHUNK):
        total += len(chunk)
        if total > limit:
            raise too_large
    file.seek(0)
    if not head.startswith(SIGNATURES[ext]):
        raise ValidationError(
            _("“%(name)s”: the content does not match its file type; allowed are %(types)s."),
            code="file_content",
            params={"name": short, "types": ", ".join(EVIDENCE_EXTENSIONS)},
        )
