"""The JSON shapes of direct messages. People are `PersonBrief`s (names, never email addresses)."""

from datetime import datetime

from ninja import Field, Schema

from authentication.schemas import PersonBrief
from cplatform.api_base import InputSchema, MultilineText

from ..attachments.schemas import ATTACHMENTS_FIELD, AttachmentOut
from .choices import MessageFolder
from .services import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH


def _reader(context):
    return context["request"].auth


class MessageIn(InputSchema):
    recipient_id: int = Field(
        ...,
        ge=1,
        le=2**31 - 1,
        description="The person's user id (one of `GET /messages/partners`). Someone you may not "
        "write to answers exactly like nobody: 422 `recipient_not_allowed`.",
        examples=[42],
    )
    subject: str = Field(
        ..., min_length=1, max_length=SUBJECT_MAX_LENGTH, examples=["Homework for Thursday"]
    )
    body: MultilineText = Field(
        ...,
        min_length=1,
        max_length=BODY_MAX_LENGTH,
        examples=["Hello! Could we go over question 3 next lesson?"],
    )


class ReplyIn(InputSchema):
    body: MultilineText = Field(
        ..., min_length=1, max_length=BODY_MAX_LENGTH, examples=["Of course, see you then."]
    )


class MessageOut(Schema):
    """One direct message, as the caller sees it (`unread`, `archived`, `in_trash` are the
    caller's own marks; a guardian reading a child's thread has none)."""

    id: int
    thread_id: int = Field(
        ..., description="The conversation: `GET /threads/{thread_id}` (its first message's id)."
    )
    sender: PersonBrief
    recipient: PersonBrief
    subject: str
    body: str
    sent_at: datetime
    read_at: datetime | None = Field(..., description="When the recipient opened it.")
    is_reply: bool
    unread: bool
    archived: bool
    in_trash: bool
    attachments: list[AttachmentOut] = ATTACHMENTS_FIELD

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())

    @staticmethod
    def resolve_thread_id(obj):
        return obj.thread_id or obj.pk

    @staticmethod
    def resolve_is_reply(obj):
        return obj.parent_id is not None

    @staticmethod
    def resolve_unread(obj, context):
        return obj.recipient_id == _reader(context).pk and obj.read_at is None

    @staticmethod
    def resolve_archived(obj, context):
        user = _reader(context)
        return (obj.sender_id == user.pk and obj.sender_archived) or (
            obj.recipient_id == user.pk and obj.recipient_archived
        )

    @staticmethod
    def resolve_in_trash(obj, context):
        user = _reader(context)
        return (obj.sender_id == user.pk and obj.sender_deleted_at is not None) or (
            obj.recipient_id == user.pk and obj.recipient_deleted_at is not None
        )


class ThreadOut(Schema):
    """A conversation between two people, oldest message first."""

    id: int
    subject: str
    participants: list[PersonBrief]
    guardians_can_read: bool = Field(
        ...,
        description="A thread between a teacher and a student under 16: the student's guardians "
        "may read it (both people are told so).",
    )
    read_as_guardian: bool = Field(
        ..., description="The caller reads it as a guardian of the student, not as a participant."
    )
    messages: list[MessageOut]


class MessageFilter(Schema):
    folder: MessageFolder = Field(
        MessageFolder.INBOX,
        description="Which of your folders. Default: `inbox`. `children`: a guardian's children "
        "(under 16) and their teachers' threads (each thread's first message), read-only.",
    )


class UnreadCountOut(Schema):
    unread: int = Field(..., description="Messages in your inbox you have not opened.")
