"""Storing checked files with a message. The caller checks first (`attachments_check`, which writes
nothing), then writes the message and calls `attachments_save` inside the same transaction: if
anything after fails, `stored_files_cleanup` removes the files already written, so a refused or
failed message leaves neither a row nor a file."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError

from courses.storage import private_storage
from cplatform.exceptions import ValidationFailed

from .models import Attachment
from .validators import FIELD, CheckedFile


@contextmanager
def stored_files_cleanup():
    """Wrap the transaction that saves attachments: on an exception, the files written inside it
    are deleted (the rows roll back with the transaction)."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            private_storage.delete(name)
        raise


def attachments_save(
    *, files: list[CheckedFile], uploaded_by, written: list[str], message=None, room_message=None
) -> list[Attachment]:
    saved = []
    for checked in files:
        checked.upload.seek(0)
        attachment = Attachment(
            message=message,
            room_message=room_message,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=uploaded_by,
        )
        try:  # the name's validators hold even for a caller that skipped attachments_check
            attachment.full_clean(exclude=["file", "message", "room_message", "uploaded_by"])
        except ValidationError as exc:
            raise ValidationFailed(errors={FIELD: exc.messages}, code="invalid_file_type") from exc
        attachment.file.save(checked.name, checked.upload, save=False)
        written.append(attachment.file.name)
        attachment.save()
        saved.append(attachment)
    return saved
