"""The JSON shapes of chat rooms."""

from datetime import datetime

from ninja import Field, Schema

from authentication.schemas import PersonBrief
from courses.schemas import CourseBrief
from cplatform.api_base import InputSchema, MultilineText, PatchSchema

from ..attachments.schemas import AttachmentOut
from ..models import ROOM_MESSAGE_MAX_LENGTH, RoomKind, RoomRole
from . import selectors
from .services import MAX_MEMBERS, ROOM_NAME_MAX_LENGTH

MEMBER_IDS = Field(
    ...,
    min_length=1,
    max_length=MAX_MEMBERS,
    description="User ids of the people to put in the room. A teacher may choose among the people "
    "they may write to (their students, those students' parents, teachers, admins), an admin "
    "anyone; anyone else (or an unknown id) is refused with 422 `room_member_not_allowed`.",
    examples=[[12, 15]],
)


class RoomOut(Schema):
    """A room the caller is a member of (or, for an admin, any room: `my_role` null when they read
    it without being a member)."""

    id: int
    kind: RoomKind
    name: str = Field(..., description="The group room's name, or the course's title.")
    course: CourseBrief | None = Field(..., description="The course of a course room.")
    my_role: RoomRole | None = Field(
        ..., description="The caller's role in the room; null: an admin reading it, not a member."
    )
    member_count: int
    unread_count: int = Field(
        ..., description="Others' messages (not deleted) after the caller's read marker."
    )
    last_read_id: int | None = Field(
        ...,
        description="The caller's read marker: the id of the last message they have read (0: none; "
        "null: an admin who is not a member).",
    )
    last_message_id: int | None = Field(..., description="The newest message's id (null: none).")
    can_post: bool = Field(
        ...,
        description="False for a student who needs a guardian's consent first (they read only).",
    )
    can_manage: bool = Field(
        ..., description="Rename, delete and change members (a group room's teachers)."
    )
    created_at: datetime

    @staticmethod
    def resolve_name(obj):
        return selectors.room_title(obj)

    @staticmethod
    def resolve_course(obj):
        return obj.course if obj.course_id else None

    @staticmethod
    def resolve_can_post(obj, context):
        # The same for every room of the answer: asked once per request, not once per row.
        request = context["request"]
        if not hasattr(request, "_rooms_can_post"):
            request._rooms_can_post = selectors.can_post_in(user=request.auth)
        return request._rooms_can_post and selectors.room_is_member(room=obj)

    @staticmethod
    def resolve_can_manage(obj, context):
        return selectors.room_is_manager(user=context["request"].auth, room=obj)


class RoomIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=ROOM_NAME_MAX_LENGTH, examples=["Year 9 maths"])
    member_ids: list[int] = MEMBER_IDS


class RoomPatch(PatchSchema):
    name: str = Field(None, min_length=1, max_length=ROOM_NAME_MAX_LENGTH)


class RoomMemberOut(Schema):
    user: PersonBrief
    role: RoomRole
    joined_at: datetime


class RoomMembersIn(InputSchema):
    member_ids: list[int] = MEMBER_IDS


class RoomMessageOut(Schema):
    """A message. A deleted one keeps its place with an empty `body` and `deleted: true`."""

    id: int = Field(..., description="Also the history's cursor (ids only grow).")
    room_id: int
    author: PersonBrief | None = Field(..., description="Null when the author's account is gone.")
    body: str
    mentions: list[PersonBrief] = Field(..., description="The members the message names (`@Name`).")
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    attachments: list[AttachmentOut] = Field(
        ..., description="The files sent with it (none once the message is deleted)."
    )

    @staticmethod
    def resolve_deleted(obj):
        return obj.deleted_at is not None

    @staticmethod
    def resolve_attachments(obj):
        return [] if obj.deleted_at is not None else list(obj.attachments.all())

    @staticmethod
    def resolve_mentions(obj):
        return list(obj.mentions.all())


class RoomHistoryOut(Schema):
    """A page of history, oldest first. This list is paged by cursor, not by `limit`/`offset`: the
    history grows while it is read, and a message's id is its place."""

    items: list[RoomMessageOut]
    has_older: bool = Field(
        ..., description="Older messages exist: ask with `before=` the first id."
    )
    has_newer: bool = Field(
        ..., description="Newer messages exist: ask with `after=` the last id (polling)."
    )


class RoomMessageIn(InputSchema):
    body: MultilineText = Field(
        ..., min_length=1, max_length=ROOM_MESSAGE_MAX_LENGTH, examples=["@Lucas see page 12."]
    )


class RoomMessagePatch(PatchSchema):
    body: MultilineText = Field(None, min_length=1, max_length=ROOM_MESSAGE_MAX_LENGTH)


class RoomReadIn(InputSchema):
    last_read_id: int | None = Field(
        None,
        ge=0,
        le=2**63 - 1,
        description="The id of the last message read (default: the newest). The marker never moves "
        "back nor past the newest message.",
    )
