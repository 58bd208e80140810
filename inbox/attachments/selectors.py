"""Who may download an attachment: whoever may read its direct message (`message_visibility`:
sender, recipient and, for a teacher's thread with a student under 16, the student's guardians),
or whoever reads its room (`rooms_readable_by`: members, admins) while its message is not deleted. Anyone else: NotFound, as a missing
id."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from postman.models import Message

from cplatform.exceptions import NotFound

from ..rules import message_visibility, rooms_readable_by
from .models import Attachment

ATTACHMENT_FIELDS = ("id", "name", "size", "content_type", "message_id", "room_message_id")


def attachment_list_for(*, user) -> QuerySet[Attachment]:
    if not getattr(user, "is_authenticated", False):
        return Attachment.objects.none()
    readable_messages = Message.objects.filter(message_visibility(user)).values("pk")
    readable_rooms = rooms_readable_by(user).filter(pk=OuterRef("room_message__room_id"))
    return Attachment.objects.filter(
        Q(message__in=readable_messages)
        | Q(
            Exists(readable_rooms),
            room_message__deleted_at__isnull=True,
            room_message__isnull=False,
        )
    )


def attachment_get_for_user(*, user, attachment_id: int) -> Attachment:
    attachment = attachment_list_for(user=user).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    return attachment


def attachments_prefetch() -> Prefetch:
    """For a message list: each message's attachments in one query (the file is not needed)."""
    return Prefetch("attachments", queryset=Attachment.objects.only(*ATTACHMENT_FIELDS))
