"""Reads of chat rooms. Every fetch that depends on who asks goes through `rooms_readable_by` (via
`room_get_for_user` / `room_message_get_for_user`, and the live sockets' selectors): a room answers
its members, and admins (who read and moderate every room, member or not: reports and safeguarding
need it); anyone else gets the same NotFound as for a missing id.

History is read by id (ids only grow): `before=<id>` pages back, `after=<id>` polls for newer ones;
each page is one query for the messages and one for their mentions, whatever the history's size."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from authentication.roles import is_admin, is_teacher
from authentication.selectors import user_can_use_messaging
from cplatform.exceptions import NotFound

from ..attachments.selectors import attachments_prefetch
from ..models import Room, RoomKind, RoomMember, RoomMessage, RoomRole
from ..rules import message_partners_for, rooms_readable_by

User = get_user_model()

HISTORY_PAGE_SIZE = 30
HISTORY_MAX_PAGE = 100


def _membership(user) -> QuerySet[RoomMember]:
    return RoomMember.objects.filter(user=user, room=OuterRef("pk"))


def _unread_count(user) -> Subquery:
    # The read marker is correlated with the outer room (OuterRef(OuterRef)), not with each
    # message's room: then it is one value per room and the count reads only the messages after
    # it from the (room, id) index, instead of testing every message of the history (the bench
    # found 170 ms per room page with 10,000 messages).
    unread = (
        RoomMessage.objects.filter(
            room=OuterRef("pk"),
            pk__gt=Subquery(
                RoomMember.objects.filter(user=user, room=OuterRef(OuterRef("pk"))).values(
                    "last_read_id"
                )[:1]
            ),
            deleted_at__isnull=True,
        )
        .exclude(author=user)
        .order_by()
        .values("room")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def room_can_read(*, user, room_id: int) -> bool:
    """Whether `user` may read the room (one query); a missing room is False like a forbidden one."""
    return rooms_readable_by(user).filter(pk=room_id).exists()


ROOM_SCOPES = ("mine", "all")


def room_list_for_user(*, user, scope: str = "mine") -> QuerySet[Room]:
    """The rooms `user` is a member of (`scope="all"`: every room they may read, which for an admin
    is every room, members or not), each with `unread_count` (others' messages after their read
    marker), `my_role` (None where they read as an admin, not a member), `last_read_id`,
    `last_message_id` and `member_count`; newest activity first. One query for the whole list."""
    if not getattr(user, "is_authenticated", False):
        return Room.objects.none()
    rooms = (
        rooms_readable_by(user) if scope == "all" else Room.objects.filter(memberships__user=user)
    )
    return _annotated(rooms, user=user)


def _annotated(rooms: QuerySet[Room], *, user) -> QuerySet[Room]:
    last_message = RoomMessage.objects.filter(room=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    members = (
        RoomMember.objects.filter(room=OuterRef("pk"))
        .order_by()
        .values("room")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        rooms.select_related("course")
        .annotate(
            unread_count=_unread_count(user),
            my_role=Subquery(_membership(user).values("role")[:1]),
            last_read_id=Subquery(_membership(user).values("last_read_id")[:1]),
            last_message_id=Subquery(last_message),
            member_count=Coalesce(Subquery(members, output_field=IntegerField()), Value(0)),
        )
        .annotate(activity=Coalesce("last_message_id", Value(0)))
        .order_by("-activity", "-pk")
    )


def room_unread_total_for_user(*, user) -> int:
    """How many unread room messages `user` has across their rooms (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return (
        RoomMessage.objects.filter(
            room__memberships__user=user,
            deleted_at__isnull=True,
            pk__gt=Subquery(
                RoomMember.objects.filter(user=user, room=OuterRef("room")).values("last_read_id")[
                    :1
                ]
            ),
        )
        .exclude(author=user)
        .count()
    )


def room_get_for_user(*, user, room_id: int) -> Room:
    """One room `user` may read (a member's, or any for an admin), with the annotations of
    `room_list_for_user`; NotFound otherwise."""
    room = room_list_for_user(user=user, scope="all").filter(pk=room_id).first()
    if room is None:
        raise NotFound()
    return room


def room_membership_of(*, user, room: Room) -> RoomMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return RoomMember.objects.filter(user=user, room=room).first()


def room_title(room: Room) -> str:
    if room.kind == RoomKind.COURSE and room.course_id:
        return room.course.title
    return room.name


def room_member_list(*, room: Room) -> QuerySet[RoomMember]:
    """A room's members, teachers first, then by name (one query)."""
    return (
        RoomMember.objects.filter(room=room)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name", "user_id")
    )


def room_member_get(*, room: Room, user_id: int) -> RoomMember:
    member = RoomMember.objects.filter(room=room, user_id=user_id).select_related("user").first()
    if member is None:
        raise NotFound()
    return member


def room_is_manager(*, user, room: Room) -> bool:
    """Who manages a room: in a group room its teachers (the creator is one) and admin members; a
    course room's membership follows enrolment, so nobody manages it by hand."""
    if room.kind != RoomKind.GROUP:
        return False
    role = getattr(room, "my_role", None)
    if role is None:
        membership = room_membership_of(user=user, room=room)
        role = membership.role if membership else None
    return role is not None and (role == RoomRole.TEACHER or is_admin(user))


def room_is_moderator(*, user, room: Room) -> bool:
    """Who may delete anyone's message: the room's teachers, and admins (members or not)."""
    if is_admin(user):
        return True
    role = getattr(room, "my_role", None)
    if role is None:
        membership = room_membership_of(user=user, room=room)
        role = membership.role if membership else None
    return role == RoomRole.TEACHER


def room_is_member(*, room: Room) -> bool:
    """Whether the viewer of an annotated room (`room_get_for_user`) is one of its members (an admin
    may read it without being one)."""
    return getattr(room, "my_role", None) is not None


def can_create_group_room(*, user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (is_teacher(user) or is_admin(user))


def room_member_candidates_for(*, user) -> QuerySet:
    """Whom `user` may put in a group room: an admin anyone active, a teacher the people they may
    write to (their students, those students' parents, teachers, admins)."""
    if is_admin(user):
        return User.objects.filter(is_active=True).exclude(pk=user.pk)
    if is_teacher(user):
        return message_partners_for(user)
    return User.objects.none()


def course_list_without_room_for_teacher(*, user) -> QuerySet:
    """Courses `user` teaches (owner or co-teacher) that have no room yet: they may open one."""
    from courses.models import Course

    if not is_teacher(user):
        return Course.objects.none()
    return (
        Course.objects.filter(Q(owner=user) | Q(teachers=user), room__isnull=True)
        .distinct()
        .order_by("title", "pk")
    )


def course_get_taught_by(*, user, course_id: int):
    """A course `user` teaches (with or without a room yet); NotFound otherwise."""
    from courses.models import Course

    course = (
        Course.objects.filter(Q(owner=user) | Q(teachers=user), pk=course_id).distinct().first()
        if is_teacher(user)
        else None
    )
    if course is None:
        raise NotFound()
    return course


def is_course_teacher(*, user, course) -> bool:
    return course.owner_id == user.pk or course.teachers.filter(pk=user.pk).exists()


def can_post_in(*, user) -> bool:
    """Whether `user` may write in their rooms: a student held back by guardian consent may not."""
    return user_can_use_messaging(user=user)


# --- history -------------------------------------------------------------------------------------


@dataclass
class HistoryPage:
    messages: list[RoomMessage]
    has_older: bool
    has_newer: bool


def _messages(room: Room) -> QuerySet[RoomMessage]:
    return (
        RoomMessage.objects.filter(room=room)
        .select_related("author")
        .prefetch_related("mentions", attachments_prefetch())
    )


def room_history(
    *,
    room: Room,
    before: int | None = None,
    after: int | None = None,
    limit: int = HISTORY_PAGE_SIZE,
) -> HistoryPage:
    """A page of a room's messages, oldest first. Without a cursor: the newest `limit`. `before`:
    the `limit` messages just older than that id. `after`: the `limit` messages just newer (polling:
    call again with the last id while `has_newer`). Two queries, plus one per page edge check."""
    qs = _messages(room)
    if after is not None:
        page = list(qs.filter(pk__gt=after).order_by("pk")[: limit + 1])
        has_newer = len(page) > limit
        page = page[:limit]
        first = page[0].pk if page else after + 1
        has_older = RoomMessage.objects.filter(room=room, pk__lt=first).exists()
        return HistoryPage(page, has_older=has_older, has_newer=has_newer)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    page = list(qs.order_by("-pk")[: limit + 1])
    has_older = len(page) > limit
    page = list(reversed(page[:limit]))
    has_newer = (
        before is not None and RoomMessage.objects.filter(room=room, pk__gte=before).exists()
    )
    return HistoryPage(page, has_older=has_older, has_newer=has_newer)


def room_message_get_for_user(*, user, room_id: int, message_id: int) -> RoomMessage:
    room = room_get_for_user(user=user, room_id=room_id)
    message = _messages(room).filter(pk=message_id).first()
    if message is None:
        raise NotFound()
    message.room = room
    return message


def room_latest_message_id(*, room: Room) -> int:
    return (
        RoomMessage.objects.filter(room=room).order_by("-pk").values_list("pk", flat=True).first()
        or 0
    )


# --- mentions ------------------------------------------------------------------------------------


def mentioned_members(*, room: Room, body: str, exclude_user_id: int | None = None) -> list:
    """Members named `@Full Name` or `@First name` (when no other member shares it) in `body`,
    longest names first so `@Ana María` beats `@Ana`. The author never mentions themself."""
    if "@" not in body:
        return []
    members = [m.user for m in room_member_list(room=room) if m.user_id != exclude_user_id]
    names: dict[str, list] = {}
    for person in members:
        for name in {person.name, person.first_name}:
            if name:
                names.setdefault(name.casefold(), []).append(person)
    found: dict[int, object] = {}
    folded = body.casefold()
    for name in sorted(names, key=len, reverse=True):
        people = names[name]
        if len(people) != 1:
            continue
        pattern = re.compile(r"(?<![\w@])@" + re.escape(name) + r"(?!\w)")
        if pattern.search(folded):
            found.setdefault(people[0].pk, people[0])
    return list(found.values())
