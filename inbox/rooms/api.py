"""Chat rooms: my rooms with unread counts, group rooms, members, messages (cursor-paged history,
`after=` polling), read markers. A room answers its members, and admins (who read and moderate every
room, member or not); anyone else gets the same 404 as for a missing id, on every operation. Operations parse, call one selector or service, answer."""

from enum import StrEnum

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from authentication.choices import Role
from cplatform.api_base import LimitOffset, errors, sort_enum, sort_field, sorted_by
from cplatform.api_http import location

from . import selectors, services
from .schemas import (
    RoomHistoryOut,
    RoomIn,
    RoomMemberOut,
    RoomMembersIn,
    RoomMessageIn,
    RoomMessageOut,
    RoomMessagePatch,
    RoomOut,
    RoomPatch,
    RoomReadIn,
)

router = Router(tags=["rooms"])

CURSOR = {"ge": 0, "le": 2**63 - 1}

RoomSort = sort_enum("RoomSort", {"activity": ("activity",), "name": ("name", "course__title")})
RoomMemberSort = sort_enum(
    "RoomMemberSort", {"name": ("user__first_name", "user__last_name"), "role": ("role",)}
)


class RoomScope(StrEnum):
    """Which rooms a list holds: `mine` (the member's) or `all` (every room the person may read)."""

    MINE = "mine"
    ALL = "all"


class RoomFilter(Schema):
    sort: RoomSort = sort_field(RoomSort, "-activity", note="`activity`: the newest message.")
    scope: RoomScope = Field(
        RoomScope.MINE,
        description="`mine`: the rooms you are a member of. `all`: every room you may read — for "
        "an admin every room (to read and moderate it), for anyone else the same as `mine`.",
    )


class RoomMemberFilter(Schema):
    sort: RoomMemberSort = sort_field(RoomMemberSort, "role")


class HistoryQuery(Schema):
    before: int | None = Field(None, **CURSOR, description="Messages older than this id.")
    after: int | None = Field(
        None, **CURSOR, description="Messages newer than this id (polling for new ones)."
    )
    limit: int = Field(
        selectors.HISTORY_PAGE_SIZE,
        ge=1,
        le=selectors.HISTORY_MAX_PAGE,
        description=f"Messages per page, 1–{selectors.HISTORY_MAX_PAGE}; more is refused with 422.",
    )


def _room(request, room_id: int):
    return selectors.room_get_for_user(user=request.auth, room_id=room_id)


@router.get("/rooms", response={200: list[RoomOut], **errors(401, 422)}, auth=auth_for())
@paginate(LimitOffset)
def list_rooms(request, filters: Query[RoomFilter]):
    """The caller's rooms (course rooms of their courses, group rooms they are in) with unread
    counts; an admin's `scope=all`: every room."""
    rooms = selectors.room_list_for_user(user=request.auth, scope=filters.scope.value)
    return sorted_by(rooms, filters.sort)


@router.get("/rooms/{room_id}", response={200: RoomOut, **errors(401, 404)}, auth=auth_for())
def retrieve_room(request, room_id: int):
    """One of the caller's rooms; any other id answers 404."""
    return _room(request, room_id)


@router.post(
    "/rooms",
    response={201: RoomOut, **errors(400, 401, 403)},
    auth=auth_for(Role.TEACHER, Role.ADMIN),
)
@location("api:retrieve_room", room_id="id")
def create_room(request, payload: RoomIn):
    """A teacher or an admin makes a group room with the people they choose (and themself, as its
    teacher)."""
    room = services.group_room_create(
        actor=request.auth, name=payload.name, member_ids=payload.member_ids
    )
    return Status(201, _room(request, room.pk))


@router.patch(
    "/rooms/{room_id}", response={200: RoomOut, **errors(400, 401, 403, 404, 409)}, auth=auth_for()
)
def update_room(request, room_id: int, payload: RoomPatch):
    """A group room's teachers rename it (a course room shows its course's title: 409)."""
    room = _room(request, room_id)
    changes = payload.changes()
    if "name" in changes:
        services.group_room_update(actor=request.auth, room=room, name=changes["name"])
    return _room(request, room_id)


@router.delete(
    "/rooms/{room_id}", response={204: None, **errors(401, 403, 404, 409)}, auth=auth_for()
)
def delete_room(request, room_id: int):
    """A group room's teachers delete it with its history (a course room: 409)."""
    services.group_room_delete(actor=request.auth, room=_room(request, room_id))
    return Status(204, None)


@router.get(
    "/rooms/{room_id}/members",
    response={200: list[RoomMemberOut], **errors(401, 404, 422)},
    auth=auth_for(),
)
@paginate(LimitOffset)
def list_room_members(request, room_id: int, filters: Query[RoomMemberFilter]):
    """The room's members (for its members)."""
    return sorted_by(selectors.room_member_list(room=_room(request, room_id)), filters.sort)


@router.post(
    "/rooms/{room_id}/members",
    response={200: list[RoomMemberOut], **errors(400, 401, 403, 404, 409)},
    auth=auth_for(),
)
def add_room_members(request, room_id: int, payload: RoomMembersIn):
    """A group room's teachers add people (as for creating it); answers the added members. Adding
    a member twice changes nothing."""
    return services.room_members_add(
        actor=request.auth, room=_room(request, room_id), member_ids=payload.member_ids
    )


@router.delete(
    "/rooms/{room_id}/members/{user_id}",
    response={204: None, **errors(401, 403, 404, 409)},
    auth=auth_for(),
)
def remove_room_member(request, room_id: int, user_id: int):
    """A group room's teachers remove a member; a member removes themself to leave (a course room
    follows enrolment: 409)."""
    room = _room(request, room_id)
    member = selectors.room_member_get(room=room, user_id=user_id)
    services.room_member_remove(actor=request.auth, room=room, member=member)
    return Status(204, None)


@router.get(
    "/rooms/{room_id}/messages",
    response={200: RoomHistoryOut, **errors(401, 404, 422)},
    auth=auth_for(),
)
def list_room_messages(request, room_id: int, query: Query[HistoryQuery]):
    """The room's history, oldest first, paged by cursor: without one, the newest `limit`
    messages; `before=<id>` the page before; `after=<id>` what came since (poll with the last id
    you hold). Reading does not move the read marker (`POST /rooms/{room_id}/read` does).

    Not `limit`/`offset` like the other lists: the history grows at its end while it is read, so an
    offset would shift; a message's id is its stable place."""
    room = _room(request, room_id)
    if query.before is not None and query.after is not None:
        from cplatform.api_base import refuse_query_values

        refuse_query_values({"after": "Give either before or after, not both."})
    page = selectors.room_history(
        room=room, before=query.before, after=query.after, limit=query.limit
    )
    return {"items": page.messages, "has_older": page.has_older, "has_newer": page.has_newer}


@router.post(
    "/rooms/{room_id}/messages",
    response={201: RoomMessageOut, **errors(400, 401, 403, 404)},
    auth=auth_for(),
)
@location("api:retrieve_room_message", room_id="room_id", message_id="id")
def post_room_message(request, room_id: int, payload: RoomMessageIn):
    """A member writes in the room; `@Name` of a member mentions them. A student who needs a
    guardian's consent first reads but does not write (403 `guardian_consent_required`); nor does
    an admin who reads the room without being a member (403 `room_not_member`)."""
    message = services.room_message_post(
        actor=request.auth, room=_room(request, room_id), body=payload.body
    )
    return Status(
        201,
        selectors.room_message_get_for_user(
            user=request.auth, room_id=room_id, message_id=message.pk
        ),
    )


@router.get(
    "/rooms/{room_id}/messages/{message_id}",
    response={200: RoomMessageOut, **errors(401, 404)},
    auth=auth_for(),
)
def retrieve_room_message(request, room_id: int, message_id: int):
    """One message of one of the caller's rooms."""
    return selectors.room_message_get_for_user(
        user=request.auth, room_id=room_id, message_id=message_id
    )


@router.patch(
    "/rooms/{room_id}/messages/{message_id}",
    response={200: RoomMessageOut, **errors(400, 401, 403, 404, 409)},
    auth=auth_for(),
)
def update_room_message(request, room_id: int, message_id: int, payload: RoomMessagePatch):
    """Its author edits a message (409 once it is deleted)."""
    message = selectors.room_message_get_for_user(
        user=request.auth, room_id=room_id, message_id=message_id
    )
    changes = payload.changes()
    if "body" in changes:
        services.room_message_edit(actor=request.auth, message=message, body=changes["body"])
    return selectors.room_message_get_for_user(
        user=request.auth, room_id=room_id, message_id=message_id
    )


@router.delete(
    "/rooms/{room_id}/messages/{message_id}",
    response={204: None, **errors(401, 403, 404)},
    auth=auth_for(),
)
def delete_room_message(request, room_id: int, message_id: int):
    """Its author, a teacher of the room or an admin (member or not) deletes a message; it keeps
    its place in the history as "deleted"."""
    message = selectors.room_message_get_for_user(
        user=request.auth, room_id=room_id, message_id=message_id
    )
    services.room_message_delete(actor=request.auth, message=message)
    return Status(204, None)


@router.post(
    "/rooms/{room_id}/read", response={200: RoomOut, **errors(400, 401, 404)}, auth=auth_for()
)
def mark_room_read(request, room_id: int, payload: RoomReadIn):
    """Move the caller's read marker forward (to `last_read_id`, default the newest message)."""
    services.room_mark_read(
        actor=request.auth, room=_room(request, room_id), last_read_id=payload.last_read_id
    )
    return _room(request, room_id)
