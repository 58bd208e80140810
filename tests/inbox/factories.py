"""Rooms for tests: a course room built through the real enrolment services, and group rooms."""

import itertools

from courses.services import enrollment_create
from inbox.models import Room, RoomMessage
from inbox.rooms.services import course_room_sync, group_room_create
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory

_FIRST = ("Ana", "Ben", "Cleo", "Dario", "Elif", "Farid", "Greta", "Hugo")
_LAST = itertools.count(1)


def course_with_room(*, students: int = 2, teacher=None):
    """A free course of a teacher with `students` students enrolled through enrollment_create (so
    the courses signals put them in the room): (course, room, teacher, [students])."""
    teacher = teacher or TeacherFactory()
    course = CourseFactory(owner=teacher)
    # Members are mentioned by first or full name, and a name two members share mentions nobody:
    # Faker's random names collided once (CI: a student named like another member). Each student
    # gets a first name and a last name no other member of the room has.
    taken = {teacher.first_name.casefold()}
    learners = []
    for n in range(students):
        first = base = _FIRST[n % len(_FIRST)]
        for k in itertools.count(2):
            if first.casefold() not in taken:
                break
            first = f"{base}{k}"
        taken.add(first.casefold())
        learners.append(StudentFactory(first_name=first, last_name=f"Student{next(_LAST)}"))
    for learner in learners:
        enrollment_create(actor=learner, course=course)
    room = Room.objects.filter(course=course).first() or course_room_sync(course=course)
    return course, room, teacher, learners


def group_room(*, teacher, members, name: str = "Study group") -> Room:
    return group_room_create(actor=teacher, name=name, member_ids=[m.pk for m in members])


def bulk_messages(room: Room, author, n: int) -> None:
    RoomMessage.objects.bulk_create(
        [RoomMessage(room=room, author=author, body=f"Message {i}") for i in range(n)],
        batch_size=2000,
    )
