"""Writes of chat rooms: course rooms kept in step with enrolment, group rooms, messages, read markers.

A course room holds its course's teachers (owner and `Course.teachers`, role teacher) and its actively
enrolled students (role student); the courses signals keep it in step (inbox/rooms/receivers.py) and
`course_room_sync` brings it back in line (first use, a teacher opening it, the data migration). A
group room has the members its creator (a teacher or an admin) chose among the people they may write
to (inbox/rules.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from authentication.roles import is_admin, is_teacher
from courses.choices import EnrollmentStatus
from courses.models import Course, Enrollment
from cplatform.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from cplatform.signals import announce

from ..attachments.services import attachments_save, stored_files_cleanup
from ..attachments.validators import attachments_check
from ..models import ROOM_MESSAGE_MAX_LENGTH, Room, RoomKind, RoomMember, RoomMessage, RoomRole
from . import selectors
from .signals import (
    room_message_posted,
    room_message_posted_committed,
    room_read_moved,
    room_read_moved_committed,
)

User = get_user_model()

ROOM_NAME_MAX_LENGTH = 120
MAX_MEMBERS = 200


# --- course rooms ----------------------------------------------------------------------------------


def _course_people(course: Course) -> dict[int, str]:
    """user id → role of everyone who belongs in the course's room."""
    people = dict.fromkeys(
        Enrollment.objects.filter(course=course, status=EnrollmentStatus.ACTIVE).values_list(
            "student_id", flat=True
        ),
        RoomRole.STUDENT,
    )
    for pk in [course.owner_id, *course.teachers.values_list("pk", flat=True)]:
        if pk:
            people[pk] = RoomRole.TEACHER
    return people


def _latest_id(room: Room) -> int:
    return selectors.room_latest_message_id(room=room)


def course_room_sync(*, course: Course) -> Room:
    """The course's room, created if missing, with exactly its teachers and actively enrolled
    students (a newcomer's read marker starts at the latest message: the history is there to read,
    but not shouted as unread). A handful of queries whatever the size of the course."""
    with transaction.atomic():
        room, _created = Room.objects.get_or_create(
            course=course, defaults={"kind": RoomKind.COURSE}
        )
        wanted = _course_people(course)
        current = {m.user_id: m for m in RoomMember.objects.filter(room=room)}
        stale = [m.pk for uid, m in current.items() if uid not in wanted]
        if stale:
            RoomMember.objects.filter(pk__in=stale).delete()
        changed = [m for uid, m in current.items() if uid in wanted and m.role != wanted[uid]]
        for member in changed:
            member.role = wanted[member.user_id]
        if changed:
            RoomMember.objects.bulk_update(changed, ["role"])
        latest = _latest_id(room)
        RoomMember.objects.bulk_create(
            [
                RoomMember(room=room, user_id=uid, role=role, last_read_id=latest)
                for uid, role in wanted.items()
                if uid not in current
            ],
            ignore_conflicts=True,
        )
    return room


def course_room_student_add(*, enrollment: Enrollment) -> None:
    """An enrolment became active: its student joins the course's room (the room is made, with every
    teacher and active student, on first need)."""
    room = Room.objects.filter(course_id=enrollment.course_id).first()
    if room is None:
        course_room_sync(course=enrollment.course)
        return
    RoomMember.objects.get_or_create(
        room=room,
        user_id=enrollment.student_id,
        defaults={"role": RoomRole.STUDENT, "last_read_id": _latest_id(room)},
    )


def course_room_student_remove(*, enrollment: Enrollment) -> None:
    """An enrolment ended: its student leaves the course's room (unless a teacher of it)."""
    RoomMember.objects.filter(
        room__course_id=enrollment.course_id,
        user_id=enrollment.student_id,
        role=RoomRole.STUDENT,
    ).delete()


def course_room_teachers_changed(*, course: Course) -> None:
    """The course's teachers changed: bring its room (if opened) in line with the course."""
    if Room.objects.filter(course=course).exists():
        course_room_sync(course=course)


def course_room_open(*, actor, course: Course) -> Room:
    """A teacher of the course opens its room: made and brought in line if needed."""
    if not selectors.is_course_teacher(user=actor, course=course):
        raise NotFound()
    return course_room_sync(course=course)


# --- group rooms -----------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(errors={"name": [_("Give the room a name.")]})
    if len(name) > ROOM_NAME_MAX_LENGTH:
        raise ValidationFailed(
            errors={"name": [_("Enter at most %(n)d characters.") % {"n": ROOM_NAME_MAX_LENGTH}]}
        )
    return name


def _allowed_people(*, actor, user_ids) -> list:
    ids = list(dict.fromkeys(int(pk) for pk in user_ids))
    if len(ids) > MAX_MEMBERS:
        raise ValidationFailed(
            errors={"member_ids": [_("A room holds at most %(n)d people.") % {"n": MAX_MEMBERS}]}
        )
    allowed = {u.pk: u for u in selectors.room_member_candidates_for(user=actor).filter(pk__in=ids)}
    refused = [pk for pk in ids if pk not in allowed and pk != actor.pk]
    if refused:
        # The same words for someone who does not exist: nobody can probe who does.
        raise ValidationFailed(
            errors={
                "member_ids": [
                    _("You cannot add this person to a room: %(id)s.") % {"id": pk}
                    for pk in refused
                ]
            },
            code="room_member_not_allowed",
        )
    return [allowed[pk] for pk in ids if pk in allowed]


def _member_role(user) -> str:
    return RoomRole.TEACHER if is_teacher(user) or is_admin(user) else RoomRole.MEMBER


def group_room_create(*, actor, name: str, member_ids) -> Room:
    """A teacher or an admin makes a group room with the people they chose (and themself)."""
    if not selectors.can_create_group_room(user=actor):
        raise PermissionDenied(_("Only teachers and admins create rooms."))
    name = _clean_name(name)
    people = _allowed_people(actor=actor, user_ids=member_ids)
    with transaction.atomic():
        room = Room.objects.create(kind=RoomKind.GROUP, name=name, created_by=actor)
        RoomMember.objects.create(room=room, user=actor, role=RoomRole.TEACHER)
        RoomMember.objects.bulk_create(
            [RoomMember(room=room, user=p, role=_member_role(p)) for p in people]
        )
    return room


def _require_manager(*, actor, room: Room) -> None:
    if room.kind == RoomKind.COURSE:
        raise Conflict(
            _("A course room's members follow its enrolments; it is not changed by hand."),
            code="course_room_managed",
        )
    if not selectors.room_is_manager(user=actor, room=room):
        raise PermissionDenied(_("Only the room's teachers change it."))


def group_room_update(*, actor, room: Room, name: str) -> Room:
    _require_manager(actor=actor, room=room)
    room.name = _clean_name(name)
    room.save(update_fields=["name"])
    return room


def group_room_delete(*, actor, room: Room) -> None:
    _require_manager(actor=actor, room=room)
    room.delete()


def room_members_add(*, actor, room: Room, member_ids) -> list[RoomMember]:
    _require_manager(actor=actor, room=room)
    people = _allowed_people(actor=actor, user_ids=member_ids)
    with transaction.atomic():
        latest = _latest_id(room)
        RoomMember.objects.bulk_create(
            [
                RoomMember(room=room, user=p, role=_member_role(p), last_read_id=latest)
                for p in people
            ],
            ignore_conflicts=True,
        )
    return list(RoomMember.objects.filter(room=room, user__in=people).select_related("user"))


def room_member_remove(*, actor, room: Room, member: RoomMember) -> None:
    """A manager removes someone; leaving oneself is `room_leave`."""
    if member.user_id == actor.pk:
        room_leave(actor=actor, room=room)
        return
    _require_manager(actor=actor, room=room)
    member.delete()


def room_leave(*, actor, room: Room) -> None:
    """A member leaves a group room (a course room follows enrolment: leave the course instead).
    Someone who is not a member has nothing to leave: NotFound, as for a room they cannot see (an
    admin who reads the room without being in it too)."""
    if room.kind == RoomKind.COURSE:
        raise Conflict(
            _("A course room's members follow its enrolments; it is not changed by hand."),
            code="course_room_managed",
        )
    deleted, _rows = RoomMember.objects.filter(room=room, user=actor).delete()
    if not deleted:
        raise NotFound()


# --- messages --------------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    from cplatform.validators import validate_multiline_text

    body = (body or "").strip()
    if not body:
        raise ValidationFailed(errors={"body": [_("Write a message first.")]})
    if len(body) > ROOM_MESSAGE_MAX_LENGTH:
        raise ValidationFailed(
            errors={"body": [_("Enter at most %(n)d characters.") % {"n": ROOM_MESSAGE_MAX_LENGTH}]}
        )
    try:
        validate_multiline_text(body)
    except ValidationError as exc:
        raise ValidationFailed(errors={"body": exc.messages}) from exc
    return body


ROOM_NOT_MEMBER = "room_not_member"


def room_message_post(*, actor, room: Room, body: str, attachments=()) -> RoomMessage:
    """A member writes in the room; `@Name` of a member mentions them. A student held back by
    guardian consent reads but does not write; an admin who reads the room without being a member
    does not write either (403 `room_not_member`); anyone else: NotFound."""
    if selectors.room_membership_of(user=actor, room=room) is None:
        if selectors.rooms_readable_by(actor).filter(pk=room.pk).exists():
            raise PermissionDenied(
                _("You read this room as an admin; only its members write in it."),
                code=ROOM_NOT_MEMBER,
            )
        raise NotFound()
    if not selectors.can_post_in(user=actor):
        raise PermissionDenied(
            _("A guardian needs to give consent before you can write in rooms."),
            code="guardian_consent_required",
        )
    body = _clean_body(body)
    mentioned = selectors.mentioned_members(room=room, body=body, exclude_user_id=actor.pk)
    files = attachments_check(attachments)
    with stored_files_cleanup() as written, transaction.atomic():
        message = RoomMessage.objects.create(room=room, author=actor, body=body)
        attachments_save(files=files, uploaded_by=actor, written=written, room_message=message)
        if mentioned:
            message.mentions.set(mentioned)
        # Writing reads everything before it.
        RoomMember.objects.filter(room=room, user=actor).update(last_read_id=message.pk)
        announce(
            room_message_posted,
            room_message_posted_committed,
            sender=RoomMessage,
            message=message,
            actor=actor,
            mentioned=[p.pk for p in mentioned],
        )
    return message


def room_message_edit(*, actor, message: RoomMessage, body: str) -> RoomMessage:
    """Its author changes a message's text (mentions are found again)."""
    if message.author_id != actor.pk:
        raise PermissionDenied(_("Only its author edits a message."))
    if message.deleted_at is not None:
        raise Conflict(_("The message was deleted."), code="room_message_deleted")
    if not selectors.can_post_in(user=actor):
        raise PermissionDenied(
            _("A guardian needs to give consent before you can write in rooms."),
            code="guardian_consent_required",
        )
    body = _clean_body(body)
    mentioned = selectors.mentioned_members(room=message.room, body=body, exclude_user_id=actor.pk)
    with transaction.atomic():
        message.body = body
        message.edited_at = timezone.now()
        message.save(update_fields=["body", "edited_at"])
        message.mentions.set(mentioned)
    return message


def room_message_delete(*, actor, message: RoomMessage) -> RoomMessage:
    """Its author, or a teacher of the room / an admin member, deletes a message: its text goes, its
    place in the history stays ("Message deleted")."""
    if message.author_id != actor.pk and not selectors.room_is_moderator(
        user=actor, room=message.room
    ):
        raise PermissionDenied(_("Only its author or the room's teachers delete a message."))
    if message.deleted_at is not None:
        raise NotFound()  # a repeated DELETE: gone, like any missing object
    with transaction.atomic():
        message.body = ""
        message.deleted_at = timezone.now()
        message.save(update_fields=["body", "deleted_at"])
        message.mentions.clear()
    return message


def room_mark_read(*, actor, room: Room, last_read_id: int | None = None) -> int:
    """Move `actor`'s read marker forward to `last_read_id` (default: the latest message); it never
    moves back nor past the latest message. Answers the marker (0 for an admin who reads the room
    without being a member: they have none)."""
    latest = _latest_id(room)
    target = latest if last_read_id is None else min(int(last_read_id), latest)
    member = selectors.room_membership_of(user=actor, room=room)
    if member is None:
        if selectors.rooms_readable_by(actor).filter(pk=room.pk).exists():
            return 0
        raise NotFound()
    # One conditional UPDATE whether or not it moves (the same cost read or unread, and a
    # concurrent reader never moves it back).
    with transaction.atomic():
        moved = RoomMember.objects.filter(pk=member.pk, last_read_id__lt=target).update(
            last_read_id=target
        )
        if moved:  # the person's badges elsewhere follow (inbox/live pushes the new counts)
            announce(
                room_read_moved, room_read_moved_committed, sender=RoomMember, room=room, user=actor
            )
    return max(target, member.last_read_id)
