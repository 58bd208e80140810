"""Demo chat rooms: the Algebra basics course room with a little history (Ana, Liam and Lucas, a
mention, an edited and a deleted message) and a group room Ana made for her exam students. Through
the services; idempotent (a room that already has messages is left as it is)."""

from authentication.models import User
from courses.models import Course
from inbox.models import Room, RoomKind
from inbox.rooms.services import (
    course_room_sync,
    group_room_create,
    room_mark_read,
    room_message_delete,
    room_message_edit,
    room_message_post,
)

COURSE_SLUG = "algebra-basics"
GROUP_ROOM = "Exam prep: maths and physics"


def _user(email: str) -> User:
    return User.objects.get(email=email)


def load_demo_rooms() -> None:
    course = Course.objects.filter(slug=COURSE_SLUG).first()
    if course is None:
        return
    ana = _user("ana.garcia@example.com")
    liam, lucas = _user("liam.johnson@example.com"), _user("lucas.lopez@example.com")
    room = course_room_sync(course=course)
    if not room.messages.exists():
        room_message_post(
            actor=ana,
            room=room,
            body="Welcome to Algebra basics! Ask here anything about the week's exercises.",
        )
        typo = room_message_post(actor=liam, room=room, body="Is exercise 4 due on Firday?")
        room_message_edit(actor=liam, message=typo, body="Is exercise 4 due on Friday?")
        room_message_post(
            actor=ana, room=room, body="@Liam yes, Friday. Show your steps, not only the answer."
        )
        oops = room_message_post(actor=lucas, room=room, body="(sent to the wrong room)")
        room_message_delete(actor=lucas, message=oops)
        room_message_post(
            actor=lucas, room=room, body="I get stuck when x is on both sides: 3x + 2 = x + 8."
        )
        room_message_post(
            actor=ana,
            room=room,
            body="@Lucas move the x terms to one side first: 3x − x = 8 − 2, so 2x = 6. What is x?",
        )
        room_mark_read(actor=ana, room=room)
    if not Room.objects.filter(kind=RoomKind.GROUP, name=GROUP_ROOM, created_by=ana).exists():
        sofia = _user("sofia.ruiz@example.com")
        group = group_room_create(actor=ana, name=GROUP_ROOM, member_ids=[liam.pk, sofia.pk])
        room_message_post(
            actor=ana,
            room=group,
            body="Past papers for this month are in the course materials. Mock exam on Saturday!",
        )
