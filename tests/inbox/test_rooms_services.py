"""Course rooms follow enrolment (through the real courses services), group rooms, messages,
mentions, edits and deletes, unread counts and read markers."""

import pytest

from courses.models import Enrollment
from courses.services import enrollment_create, enrollment_remove, enrollment_withdraw
from cplatform.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from inbox.models import Room, RoomMember, RoomRole
from inbox.rooms import selectors, services
from inbox.rooms.signals import room_message_posted, room_message_posted_committed
from tests.authentication.consent import child
from tests.authentication.factories import (
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.courses.factories import CourseFactory
from tests.inbox.factories import course_with_room, group_room

pytestmark = pytest.mark.django_db


def members(room) -> dict[int, str]:
    return dict(RoomMember.objects.filter(room=room).values_list("user_id", "role"))


def test_the_first_activation_makes_the_course_room_with_its_teachers_and_the_student():
    owner, co_teacher = TeacherFactory(), TeacherFactory()
    course = CourseFactory(owner=owner, teachers=[co_teacher])
    learner = StudentFactory()
    assert not Room.objects.filter(course=course).exists()
    enrollment_create(actor=learner, course=course)
    room = Room.objects.get(course=course)
    assert members(room) == {
        owner.pk: RoomRole.TEACHER,
        co_teacher.pk: RoomRole.TEACHER,
        learner.pk: RoomRole.STUDENT,
    }


def test_withdrawing_or_being_removed_takes_the_student_out_of_the_room():
    course, room, teacher, (first, second) = course_with_room(students=2)
    assert {first.pk, second.pk} <= set(members(room))
    enrollment_withdraw(
        actor=first, enrollment=Enrollment.objects.get(course=course, student=first)
    )
    enrollment_remove(
        actor=teacher, enrollment=Enrollment.objects.get(course=course, student=second)
    )
    assert members(room) == {teacher.pk: RoomRole.TEACHER}


def test_an_enrolment_that_is_only_pending_or_waitlisted_does_not_join():
    course = CourseFactory(owner=TeacherFactory(), price=30)
    learner = StudentFactory()
    enrollment_create(actor=learner, course=course)  # pending payment
    assert not RoomMember.objects.filter(user=learner).exists()


def test_a_sync_brings_the_room_back_in_line():
    course, room, teacher, (learner,) = course_with_room(students=1)
    stranger = StudentFactory()
    RoomMember.objects.create(room=room, user=stranger, role=RoomRole.STUDENT)
    RoomMember.objects.filter(room=room, user=learner).delete()
    services.course_room_sync(course=course)
    assert members(room) == {teacher.pk: RoomRole.TEACHER, learner.pk: RoomRole.STUDENT}


def test_a_teacher_of_the_course_opens_its_room_and_nobody_else_does():
    teacher = TeacherFactory()
    course = CourseFactory(owner=teacher)
    room = services.course_room_open(actor=teacher, course=course)
    assert members(room) == {teacher.pk: RoomRole.TEACHER}
    with pytest.raises(NotFound):
        services.course_room_open(actor=TeacherFactory(), course=course)


def test_a_message_mentions_members_by_name_and_announces_itself():
    course, room, teacher, (ana, ben) = course_with_room(students=2)
    heard = []
    room_message_posted.connect(
        lambda **kw: heard.append(("now", kw)), weak=False, dispatch_uid="t1"
    )
    room_message_posted_committed.connect(
        lambda **kw: heard.append(("committed", kw)), weak=False, dispatch_uid="t2"
    )
    try:
        message = services.room_message_post(
            actor=teacher, room=room, body=f"@{ana.name} and @{ben.first_name}: page 12. @Nobody"
        )
    finally:
        room_message_posted.disconnect(dispatch_uid="t1")
        room_message_posted_committed.disconnect(dispatch_uid="t2")
    assert set(message.mentions.values_list("pk", flat=True)) == {ana.pk, ben.pk}
    assert [when for when, _ in heard] == ["now"]  # the test's transaction has not committed
    payload = heard[0][1]
    assert payload["message"] == message and payload["actor"] == teacher
    assert sorted(payload["mentioned"]) == sorted([ana.pk, ben.pk])


def test_a_non_member_cannot_post_and_a_held_student_reads_but_does_not_write():
    course, room, teacher, _ = course_with_room(students=1)
    with pytest.raises(NotFound):
        services.room_message_post(actor=StudentFactory(), room=room, body="Hi")
    kid, _parent = child(age=12, consent=False)
    RoomMember.objects.create(room=room, user=kid, role=RoomRole.STUDENT)
    assert not selectors.can_post_in(user=kid)
    with pytest.raises(PermissionDenied) as refusal:
        services.room_message_post(actor=kid, room=room, body="Hi")
    assert refusal.value.code == "guardian_consent_required"


def test_only_the_author_edits_and_the_room_teacher_deletes_anyones():
    course, room, teacher, (ana, ben) = course_with_room(students=2)
    message = services.room_message_post(actor=ana, room=room, body="Frist!")
    with pytest.raises(PermissionDenied):
        services.room_message_edit(actor=ben, message=message, body="mine now")
    with pytest.raises(PermissionDenied):
        services.room_message_edit(actor=teacher, message=message, body="edited by teacher")
    services.room_message_edit(actor=ana, message=message, body=f"First! @{ben.name}")
    message.refresh_from_db()
    assert message.body == f"First! @{ben.name}" and message.edited_at is not None
    assert list(message.mentions.all()) == [ben]
    with pytest.raises(PermissionDenied):
        services.room_message_delete(actor=ben, message=message)
    services.room_message_delete(actor=teacher, message=message)
    message.refresh_from_db()
    assert message.deleted_at is not None and message.body == ""
    with pytest.raises(Conflict):
        services.room_message_edit(actor=ana, message=message, body="back")


def test_unread_counts_others_messages_after_the_marker_and_reading_moves_it():
    course, room, teacher, (ana,) = course_with_room(students=1)
    first = services.room_message_post(actor=teacher, room=room, body="One")
    services.room_message_post(actor=teacher, room=room, body="Two")
    services.room_message_post(actor=ana, room=room, body="Mine")  # writing reads what came before
    last = services.room_message_post(actor=teacher, room=room, body="Three")
    assert selectors.room_get_for_user(user=ana, room_id=room.pk).unread_count == 1
    assert selectors.room_get_for_user(user=teacher, room_id=room.pk).unread_count == 0
    assert services.room_mark_read(actor=ana, room=room, last_read_id=first.pk) == last.pk - 1
    assert services.room_mark_read(actor=ana, room=room, last_read_id=10**12) == last.pk
    assert selectors.room_get_for_user(user=ana, room_id=room.pk).unread_count == 0
    assert selectors.room_unread_total_for_user(user=ana) == 0


def test_a_teacher_makes_a_group_room_of_people_they_may_write_to_only():
    course, _room, teacher, (ana,) = course_with_room(students=1)
    colleague = TeacherFactory()
    room = group_room(teacher=teacher, members=[ana, colleague])
    assert members(room) == {
        teacher.pk: RoomRole.TEACHER,
        ana.pk: RoomRole.MEMBER,
        colleague.pk: RoomRole.TEACHER,
    }
    with pytest.raises(ValidationFailed) as refusal:
        group_room(teacher=teacher, members=[StudentFactory()])  # not their student
    assert refusal.value.code == "room_member_not_allowed"
    with pytest.raises(PermissionDenied):
        services.group_room_create(actor=ana, name="Ours", member_ids=[])
    with pytest.raises(PermissionDenied):
        services.group_room_create(actor=ParentFactory(), name="Ours", member_ids=[])


def test_an_admin_puts_anyone_in_a_group_room_and_members_leave():
    admin = AdminFactory()
    someone, other = StudentFactory(), ParentFactory()
    room = services.group_room_create(actor=admin, name="Help", member_ids=[someone.pk, other.pk])
    services.room_leave(actor=someone, room=room)
    assert someone.pk not in members(room)
    services.group_room_update(actor=admin, room=room, name="Help desk")
    with pytest.raises(PermissionDenied):
        services.group_room_update(actor=other, room=room, name="Mine")
    services.group_room_delete(actor=admin, room=room)
    assert not Room.objects.filter(pk=room.pk).exists()


def test_a_course_room_is_not_changed_by_hand():
    course, room, teacher, (ana,) = course_with_room(students=1)
    room = selectors.room_get_for_user(user=teacher, room_id=room.pk)
    for attempt in (
        lambda: services.group_room_update(actor=teacher, room=room, name="x"),
        lambda: services.group_room_delete(actor=teacher, room=room),
        lambda: services.room_leave(actor=ana, room=room),
    ):
        with pytest.raises(Conflict) as refusal:
            attempt()
        assert refusal.value.code == "course_room_managed"
