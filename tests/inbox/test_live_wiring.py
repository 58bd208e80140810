"""The live layer wired to the rest of the inbox and to the courses: a student enrolled and then
un-enrolled through the courses services loses the course room's socket at once; the read marker
moves one way (the rooms service) whether a page, the API or a socket moved it, and the badges
follow each time; a socket sends the room page's own markup, rendered for its viewer (their
Edit / Delete links, the mentions marked). Real sockets through the project's ASGI application."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from courses.services import enrollment_create, enrollment_remove, enrollment_withdraw
from inbox.live.consumers import CLOSE_NOT_A_MEMBER
from inbox.models import Room, RoomMember
from inbox.rooms import services as rooms
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory
from tests.inbox.test_live import WAIT, run, socket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def course_room():
    """A free course with a student enrolled through the courses service: the rooms receivers put
    them both in the course's room."""
    teacher = TeacherFactory(first_name="Tina", last_name="Teach")
    student = StudentFactory(first_name="Sam", last_name="Study")
    course = CourseFactory(owner=teacher, title="Algebra basics")
    enrollment = enrollment_create(actor=student, course=course)
    room = Room.objects.get(course=course)
    assert set(RoomMember.objects.filter(room=room).values_list("user_id", flat=True)) == {
        teacher.pk,
        student.pk,
    }
    room.teacher, room.student, room.enrollment = teacher, student, enrollment
    return room


@pytest.mark.parametrize("how", ["the student withdraws", "the teacher removes them"])
def test_ending_an_enrolment_through_the_courses_service_closes_the_students_room_socket(
    course_room, how
):
    room = course_room

    def end_enrolment():
        if how == "the student withdraws":
            enrollment_withdraw(actor=room.student, enrollment=room.enrollment)
        else:
            enrollment_remove(actor=room.teacher, enrollment=room.enrollment)

    async def scenario():
        student = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        teacher = socket(f"/ws/rooms/{room.pk}/", user=room.teacher)
        assert (await student.connect())[0] and (await teacher.connect())[0]
        await database_sync_to_async(end_enrolment)()
        told = await student.receive_json_from(timeout=WAIT)
        # Their badge follows on the same socket before it closes, then the close itself.
        outputs = [await student.receive_output(timeout=WAIT) for _ in range(2)]
        teacher_silent = await teacher.receive_nothing(timeout=0.5)
        again = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        reconnected, _ = await again.connect()
        await teacher.disconnect()
        return told, outputs, teacher_silent, reconnected

    told, outputs, teacher_silent, reconnected = run(scenario)

    assert told == {"type": "room.removed", "room_id": room.pk}
    assert {"type": "websocket.close", "code": CLOSE_NOT_A_MEMBER} in outputs
    assert teacher_silent  # the teacher stays, and hears nothing about it
    assert reconnected is False  # and the student cannot come back in


def test_reading_the_room_page_moves_the_marker_through_the_rooms_service_and_the_badge_follows(
    course_room,
):
    room = course_room
    rooms.room_message_post(actor=room.teacher, room=room, body="Homework: page 12")
    client = Client()
    client.force_login(room.student)

    async def scenario():
        me = socket("/ws/me/", user=room.student)
        assert (await me.connect())[0]
        before = await me.receive_json_from(timeout=WAIT)
        page = await database_sync_to_async(client.get)(f"/rooms/{room.pk}/")
        after = await me.receive_json_from(timeout=WAIT)
        again = await database_sync_to_async(client.get)(f"/rooms/{room.pk}/")
        silent = await me.receive_nothing(timeout=0.5)  # nothing moved: nothing pushed
        await me.disconnect()
        return before, page, after, again, silent

    before, page, after, again, silent = run(scenario)

    assert before["rooms"] == 1
    assert page.status_code == 200 and again.status_code == 200
    assert after["rooms"] == 0 and after["by_room"] == {str(room.pk): 0}
    assert silent


def test_the_api_read_marker_and_a_sockets_read_frame_are_the_same_move(course_room):
    room = course_room
    first = rooms.room_message_post(actor=room.teacher, room=room, body="one")
    second = rooms.room_message_post(actor=room.teacher, room=room, body="two")
    api = Client()
    api.force_login(room.student)

    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "read", "last_read_id": first.pk})
        by_socket = await ws.receive_json_from(timeout=WAIT)
        response = await database_sync_to_async(api.post)(
            f"/api/v1/rooms/{room.pk}/read",
            {"last_read_id": second.pk},
            content_type="application/json",
        )
        by_api = await ws.receive_json_from(timeout=WAIT)
        await ws.disconnect()
        return by_socket, response, by_api

    by_socket, response, by_api = run(scenario)

    assert by_socket["by_room"] == {str(room.pk): 1}
    assert response.status_code in (200, 204), response.content
    assert by_api["by_room"] == {str(room.pk): 0}
    assert RoomMember.objects.get(room=room, user=room.student).last_read_id == second.pk


def test_a_socket_sends_the_room_pages_markup_with_the_viewers_own_links(course_room):
    room = course_room

    async def scenario():
        teacher = socket(f"/ws/rooms/{room.pk}/", user=room.teacher)
        student = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        assert (await teacher.connect())[0] and (await student.connect())[0]
        message = await database_sync_to_async(rooms.room_message_post)(
            actor=room.student, room=room, body="@Tina is the quiz on Friday?"
        )
        frames = {}
        for name, ws in (("teacher", teacher), ("student", student)):
            # Unread counts come too (the teacher's notification of the mention, their room badge).
            frame = await ws.receive_json_from(timeout=WAIT)
            while frame["type"] == "unread":
                frame = await ws.receive_json_from(timeout=WAIT)
            frames[name] = frame
        await teacher.disconnect()
        await student.disconnect()
        return message, frames

    message, frames = run(scenario)

    assert {frame["type"] for frame in frames.values()} == {"message.new"}
    edit = f"/rooms/{room.pk}/messages/{message.pk}/edit/"
    delete = f"/rooms/{room.pk}/messages/{message.pk}/delete/"
    # The author edits and deletes their own; the room's teacher (a moderator) deletes it too.
    assert edit in frames["student"]["html"] and delete in frames["student"]["html"]
    assert edit not in frames["teacher"]["html"] and delete in frames["teacher"]["html"]
    for frame in frames.values():
        assert '<mark class="mention">@Tina</mark>' in frame["html"]
        assert f'data-message-id="{message.pk}"' in frame["html"]

    # The same markup as the page's poll hands out.
    client = Client()
    client.force_login(room.teacher)
    fragment = client.get(f"/rooms/{room.pk}/messages/?after={message.pk - 1}")
    assert fragment.content.decode().strip() == frames["teacher"]["html"].strip()


def test_my_socket_hears_my_direct_message_and_notification_counts_as_they_change(course_room):
    from inbox.messaging.services import message_send
    from inbox.notifications.services import notifications_mark_read

    room = course_room

    def write():
        message_send(
            sender=room.teacher, recipient_id=room.student.pk, subject="Quiz", body="Friday?"
        )

    async def scenario():
        me = socket("/ws/me/", user=room.student)
        assert (await me.connect())[0]
        frames = [await me.receive_json_from(timeout=WAIT)]
        await database_sync_to_async(write)()
        frames += [await me.receive_json_from(timeout=WAIT)]
        while frames[-1]["notifications"] == frames[0]["notifications"]:  # both, in either order
            frames.append(await me.receive_json_from(timeout=WAIT))
        await database_sync_to_async(notifications_mark_read)(user=room.student, every=True)
        frames.append(await me.receive_json_from(timeout=WAIT))
        await me.disconnect()
        return frames

    frames = run(scenario)

    before = frames[0]["notifications"]  # (their enrolment was confirmed: one already)
    assert frames[0]["messages"] == 0
    assert (frames[-2]["messages"], frames[-2]["notifications"]) == (1, before + 1)
    assert (frames[-1]["messages"], frames[-1]["notifications"]) == (1, 0)
