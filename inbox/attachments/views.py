"""The download of an attachment, for the page (`/messages/attachments/<id>/`, session login) and
for the API (`GET /api/v1/attachments/{id}`): the access check is the selector's."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse

from cplatform.exceptions import NotFound
from cplatform.validators import single_line

from .models import Attachment
from .selectors import attachment_get_for_user
from .validators import INLINE_TYPES


def attachment_file_response(attachment: Attachment) -> FileResponse:
    """Images and PDFs open in the browser; anything else is a download. Never sniffed into
    another type, never cached by a shared cache."""
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except FileNotFoundError as exc:
        raise NotFound() from exc
    inline = attachment.content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=single_line(attachment.name),
        content_type=attachment.content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A PDF or an image shown inline runs no script of ours, nor its own.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
def attachment_download(request, attachment_id: int):
    attachment = attachment_get_for_user(user=request.user, attachment_id=attachment_id)
    return attachment_file_response(attachment)
