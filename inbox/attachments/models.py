"""Files sent with a direct message or a room message. They live in the private storage (outside
MEDIA_ROOT, no URL) and leave it only through the access-checked download view and its API twin."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from courses.storage import private_storage
from cplatform.validators import validate_single_line

from .validators import validate_file_name

__all__ = ["Attachment"]


def attachment_upload_to(instance, filename: str) -> str:
    # A random name: the original name is kept in `name`, never trusted as a path.
    return f"inbox/attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """One file of one message: a direct message (postman `Message`) or a room message, exactly one
    of the two. `content_type` is what the content was found to be, not what the client said."""

    message = models.ForeignKey(
        "postman.Message",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    room_message = models.ForeignKey(
        "inbox.RoomMessage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_upload_to, storage=private_storage, max_length=255)
    name = models.CharField(
        max_length=255,
        help_text="The file's name as the sender had it (cleaned: no path, nothing invisible).",
        validators=[validate_single_line, validate_file_name],
    )
    content_type = models.CharField(max_length=100, validators=[validate_single_line])
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(message__isnull=False, room_message__isnull=True)
                    | Q(message__isnull=True, room_message__isnull=False)
                ),
                name="inbox_attachment_one_message",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@receiver(post_delete, sender=Attachment)
def _delete_file(sender, instance: Attachment, **kwargs):
    """The row is gone (its message deleted): its file goes once that commits."""
    name = instance.file.name
    if name:
        transaction.on_commit(lambda: private_storage.delete(name))
