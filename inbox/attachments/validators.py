"""The one place that decides whether files may go with a message: how many, how big, and what
they are. The type is found from the content (its first bytes; for Office files the zip's parts),
never from the client's content type; the name's extension must agree with what was found, so an
.exe renamed .pdf is refused."""

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cplatform.exceptions import ValidationFailed

FIELD = "attachments"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FILES = 3
NAME_MAX_LENGTH = 255
HEAD_BYTES = 8192


def max_bytes() -> int:
    return int(getattr(settings, "INBOX_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_files() -> int:
    return int(getattr(settings, "INBOX_ATTACHMENT_MAX_FILES", DEFAULT_MAX_FILES))


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", (".pdf",))
PNG = Kind("image/png", (".png",))
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"))
WEBP = Kind("image/webp", (".webp",))
TEXT = Kind("text/plain", (".txt", ".text", ".md", ".csv"))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
KINDS = (PDF, PNG, JPEG, WEBP, TEXT, DOCX, XLSX, PPTX)
# Shown inline by the download view (a browser renders these itself, and cannot run them).
INLINE_TYPES = {PDF.content_type, PNG.content_type, JPEG.content_type, WEBP.content_type}
OFFICE_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
TEXT_CONTROLS_ALLOWED = {"\t", "\n", "\r", "\f"}


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: its safe name, the type found in it and its size."""

    upload: object
    name: str
    content_type: str
    size: int


def _office_kind(upload) -> Kind | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in OFFICE_PARTS.items():
        if part in names:
            return kind
    return None


def _is_text(upload) -> bool:
    upload.seek(0)
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(
        ch not in TEXT_CONTROLS_ALLOWED and (ord(ch) < 32 or ord(ch) == 127) for ch in text
    )


def sniff(upload) -> Kind | None:
    """What the content is, among the allowed kinds, or None."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    if _is_text(upload):
        return TEXT
    return None


def _unsafe_in_name(ch: str) -> bool:
    """Control characters (C0, DEL, C1: a header line of the download holds the name), Unicode's
    invisible format characters (bidi overrides and isolates, which make "invoice\u202efdp.exe" read
    as "invoiceexe.pdf"; zero-width characters) and line / paragraph separators."""
    return unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}


def validate_file_name(value) -> None:
    """An attachment's stored name: one plain file name, no path, nothing invisible or bidi."""
    if not isinstance(value, str):
        return
    if any(_unsafe_in_name(ch) for ch in value):
        raise ValidationError(
            _("A file name may not hold control, invisible or text-direction characters."),
            code="control_characters",
        )
    if "/" in value or "\\" in value or value.strip(". ") == "":
        raise ValidationError(_("Give the file a plain name, not a path."), code="invalid")


def _safe_name(name: str) -> str:
    # Only the last part of a path (either separator), without what validate_file_name refuses,
    # nor dots and spaces around it (".." is no name; a leading dot would hide the file).
    name = unicodedata.normalize("NFC", name or "")
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(ch for ch in base if not _unsafe_in_name(ch))
    base = " ".join(base.split()).strip(". ")
    return base[-NAME_MAX_LENGTH:] or "file"


def attachments_check(uploads) -> list[CheckedFile]:
    """Every upload checked, or ValidationFailed on `attachments` with the first reason found
    (`too_many_files`, `file_too_large`, `invalid_file_type`). Writes nothing."""
    uploads = [u for u in (uploads or []) if u is not None]
    limit = max_files()
    if len(uploads) > limit:
        raise ValidationFailed(
            ngettext(
                "Attach at most %(count)d file to a message.",
                "Attach at most %(count)d files to a message.",
                limit,
            )
            % {"count": limit},
            errors={FIELD: [_("Too many files.")]},
            code="too_many_files",
        )
    checked = []
    for upload in uploads:
        name = _safe_name(getattr(upload, "name", ""))
        if upload.size > max_bytes():
            message = _("“%(name)s” is larger than %(limit)s.") % {
                "name": name,
                "limit": filesizeformat(max_bytes()),
            }
            raise ValidationFailed(message, errors={FIELD: [message]}, code="file_too_large")
        kind = sniff(upload) if upload.size else None
        if kind is None or PurePath(name).suffix.lower() not in kind.extensions:
            message = _(
                "“%(name)s” is not a file type you can send: PDF, PNG, JPEG, WebP, plain text, "
                "Word, Excel or PowerPoint (the name must end as its type does)."
            ) % {"name": name}
            raise ValidationFailed(message, errors={FIELD: [message]}, code="invalid_file_type")
        checked.append(
            CheckedFile(upload=upload, name=name, content_type=kind.content_type, size=upload.size)
        )
    return checked
