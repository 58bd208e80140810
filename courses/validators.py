"""Uploads of course material: an allowed extension whose content looks like that type, under a size limit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ZIP = (b"PK\x03\x04",)
# extension → leading bytes the content must start with (None: text, checked separately).
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "odt": ZIP,
    "ods": ZIP,
    "odp": ZIP,
    "txt": None,
    "csv": None,
    "md": None,
}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "COURSE_MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES))


def _looks_like(extension: str, head: bytes) -> bool:
    signature = SIGNATURES[extension]
    if signature is not None:
        return head.startswith(signature)
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def validate_material_file(upload) -> str:
    """Check an uploaded file; return its lower-case extension. Raises ValidationError."""
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError(
            _("Upload a file of one of these types: %(types)s.")
            % {"types": ", ".join(sorted(SIGNATURES))},
            code="file_type",
        )
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not _looks_like(extension, head):
        raise ValidationError(
            _("The file's content is not a .%(ext)s file.") % {"ext": extension},
            code="file_content",
        )
    return extension
