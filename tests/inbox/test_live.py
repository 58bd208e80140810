"""The live layer of the chat rooms: who may open a room's socket, and what it hears. Real sockets
through the project's ASGI application (channels' WebsocketCommunicator) on the in-memory channel
layer; messages are written as the rooms service writes them (a row, then the room_message_posted
pair announced inside the transaction), so the push really waits for the commit."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from cplatform.asgi import application
from cplatform.signals import announce
from inbox.live.auth import TOKEN_SUBPROTOCOL
from inbox.live.consumers import CLOSE_NOT_A_MEMBER
from inbox.models import Room, RoomKind, RoomMember, RoomMessage, RoomRole
from inbox.rooms.signals import room_message_posted, room_message_posted_committed
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.conftest import login_token

# Sockets are served in other threads' connections: the rows must be committed to be seen.
pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 3  # seconds a frame may take to arrive


@pytest.fixture
def room():
    teacher = TeacherFactory(first_name="Tina", last_name="Teach")
    student = StudentFactory(first_name="Sam", last_name="Study")
    room = Room.objects.create(kind=RoomKind.GROUP, name="Algebra club", created_by=teacher)
    RoomMember.objects.create(room=room, user=teacher, role=RoomRole.TEACHER)
    RoomMember.objects.create(room=room, user=student, role=RoomRole.STUDENT)
    room.teacher, room.student = teacher, student
    return room


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


def socket(path, *, user=None, origin="http://testserver", subprotocols=None):
    headers = []
    if origin:
        headers.append((b"origin", origin.encode()))
    if user is not None:
        headers.append((b"cookie", session_cookie(user)))
    return WebsocketCommunicator(application, path, headers=headers, subprotocols=subprotocols)


def post(room, author, body):
    """What the rooms service does: the row and the announcement, in one transaction."""
    with transaction.atomic():
        message = RoomMessage.objects.create(room=room, author=author, body=body)
        announce(
            room_message_posted,
            room_message_posted_committed,
            sender=RoomMessage,
            message=message,
            actor=author,
            mentioned=[],
        )
    return message


def run(scenario):
    return async_to_sync(scenario)()


def test_a_member_hears_a_posted_message_as_a_frame_with_its_fragment_and_its_fields(room):
    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        connected, _ = await ws.connect()
        assert connected
        message = await database_sync_to_async(post)(room, room.teacher, "Homework: page 12")
        frame = await ws.receive_json_from(timeout=WAIT)
        await ws.disconnect()
        return message, frame

    message, frame = run(scenario)

    assert frame["type"] == "message.new"
    assert frame["message"] == {
        "id": message.pk,
        "room_id": room.pk,
        "author": {"id": room.teacher.pk, "name": "Tina Teach"},
        "body": "Homework: page 12",
        "created_at": message.created_at.isoformat(),
        "edited_at": None,
        "deleted": False,
    }
    assert f'data-message-id="{message.pk}"' in frame["html"]
    assert "Homework: page 12" in frame["html"] and "Tina Teach" in frame["html"]


def test_nothing_is_pushed_for_a_message_whose_transaction_rolls_back(room):
    def post_then_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            post(room, room.teacher, "never sent")
            raise RuntimeError

    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        assert (await ws.connect())[0]
        await database_sync_to_async(post_then_fail)()
        silent = await ws.receive_nothing(timeout=1)
        await ws.disconnect()
        return silent

    assert run(scenario)
    assert not RoomMessage.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "non-member", "missing room"])
def test_a_socket_of_anyone_but_a_member_is_refused_before_it_opens(room, who):
    outsider = StudentFactory()
    room_id = room.pk + 1000 if who == "missing room" else room.pk
    user = None if who == "anonymous" else (room.student if who == "missing room" else outsider)

    async def scenario():
        ws = socket(f"/ws/rooms/{room_id}/", user=user)
        connected, code = await ws.connect()
        await ws.disconnect()
        return connected

    assert run(scenario) is False


def test_a_member_removed_from_the_room_is_told_and_disconnected_at_once(room):
    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        assert (await ws.connect())[0]
        await database_sync_to_async(
            RoomMember.objects.filter(room=room, user=room.student).delete
        )()
        frames = [await ws.receive_json_from(timeout=WAIT)]
        closed = await ws.receive_output(timeout=WAIT)
        return frames, closed

    frames, closed = run(scenario)

    assert frames == [{"type": "room.removed", "room_id": room.pk}]
    assert closed == {"type": "websocket.close", "code": CLOSE_NOT_A_MEMBER}


def test_the_other_members_hear_their_unread_count_and_the_author_does_not(room):
    async def scenario():
        student = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        teacher = socket(f"/ws/rooms/{room.pk}/", user=room.teacher)
        assert (await student.connect())[0] and (await teacher.connect())[0]
        student_frames = []
        for body in ("one", "two"):
            await database_sync_to_async(post)(room, room.teacher, body)
            student_frames += [await student.receive_json_from(timeout=WAIT) for _ in range(2)]
        teacher_frames = [await teacher.receive_json_from(timeout=WAIT) for _ in range(2)]
        teacher_silent = await teacher.receive_nothing(timeout=0.5)
        await student.disconnect()
        await teacher.disconnect()
        return student_frames, teacher_frames, teacher_silent

    student_frames, teacher_frames, teacher_silent = run(scenario)

    unread = [f for f in student_frames if f["type"] == "unread"]
    assert [f["rooms"] for f in unread] == [1, 2]
    assert unread[-1]["by_room"] == {str(room.pk): 2}
    assert [f["type"] for f in teacher_frames] == ["message.new", "message.new"]
    assert teacher_silent


def test_an_edit_and_a_deletion_are_pushed_and_a_deleted_message_loses_its_text(room):
    message = post(room, room.teacher, "Tpyo")

    def edit_then_delete():
        message.body, message.edited_at = "Typo", timezone.now()
        message.save()
        message.body, message.deleted_at = "", timezone.now()
        message.save()

    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        assert (await ws.connect())[0]
        await database_sync_to_async(edit_then_delete)()
        frames = [await ws.receive_json_from(timeout=WAIT) for _ in range(2)]
        await ws.disconnect()
        return frames

    edited, deleted = run(scenario)

    assert edited["type"] == "message.edited" and edited["message"]["id"] == message.pk
    assert deleted["type"] == "message.deleted"
    assert deleted["message"]["deleted"] is True and deleted["message"]["body"] == ""
    assert "Message deleted" in deleted["html"] and "Typo" not in deleted["html"]


def test_the_fragment_is_rendered_in_the_viewers_language(room):
    room.student.language = "es"
    room.student.save(update_fields=["language"])
    message = post(room, room.teacher, "Hola")

    def delete():
        message.deleted_at = timezone.now()
        message.save()

    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        assert (await ws.connect())[0]
        await database_sync_to_async(delete)()
        frame = await ws.receive_json_from(timeout=WAIT)
        await ws.disconnect()
        return frame

    assert "Mensaje eliminado" in run(scenario)["html"]


def test_an_app_connects_with_its_session_token_in_the_subprotocol_header(room):
    token = login_token(Client(), room.student.email)

    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", origin=None, subprotocols=[TOKEN_SUBPROTOCOL, token])
        connected, subprotocol = await ws.connect()
        message = await database_sync_to_async(post)(room, room.teacher, "to the app")
        frame = await ws.receive_json_from(timeout=WAIT)
        await ws.disconnect()
        return connected, subprotocol, frame, message

    connected, subprotocol, frame, message = run(scenario)

    assert connected and subprotocol == TOKEN_SUBPROTOCOL
    assert frame["message"]["id"] == message.pk


@pytest.mark.parametrize("token", ["", "not-a-session", None])
def test_a_bad_or_missing_token_is_refused_even_with_a_members_cookie(room, token):
    subprotocols = [TOKEN_SUBPROTOCOL] + ([token] if token is not None else [])

    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=room.student, subprotocols=subprotocols)
        connected, _ = await ws.connect()
        await ws.disconnect()
        return connected

    assert run(scenario) is False


@override_settings(ALLOWED_HOSTS=["testserver"])
@pytest.mark.parametrize("origin", ["https://evil.example", None])
def test_a_cookie_socket_from_another_site_or_without_origin_is_refused(room, origin):
    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=room.student, origin=origin)
        connected, _ = await ws.connect()
        await ws.disconnect()
        return connected

    assert run(scenario) is False


def test_my_socket_pushes_my_unread_counts_and_refuses_anonymous(room):
    async def scenario():
        anonymous = socket("/ws/me/")
        refused = not (await anonymous.connect())[0]
        mine = socket("/ws/me/", user=room.student)
        assert (await mine.connect())[0]
        first = await mine.receive_json_from(timeout=WAIT)
        await database_sync_to_async(post)(room, room.teacher, "hello")
        second = await mine.receive_json_from(timeout=WAIT)
        await mine.disconnect()
        return refused, first, second

    refused, first, second = run(scenario)

    assert refused
    quiet = {"messages": 0, "notifications": 0}
    assert first == {"type": "unread", "rooms": 0, "by_room": {str(room.pk): 0}, **quiet}
    assert second == {"type": "unread", "rooms": 1, "by_room": {str(room.pk): 1}, **quiet}


def test_a_read_frame_moves_the_marker_forward_only_and_the_badges_follow(room):
    first, second = post(room, room.teacher, "one"), post(room, room.teacher, "two")

    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        assert (await ws.connect())[0]
        await ws.send_json_to({"type": "read", "last_read_id": first.pk})
        after_first = await ws.receive_json_from(timeout=WAIT)
        await ws.send_json_to({"type": "read", "last_read_id": first.pk - 1})  # backwards
        backwards_silent = await ws.receive_nothing(timeout=0.5)
        await ws.send_json_to({"type": "read", "last_read_id": 10**12})  # past the latest
        after_all = await ws.receive_json_from(timeout=WAIT)
        await ws.disconnect()
        return after_first, backwards_silent, after_all

    after_first, backwards_silent, after_all = run(scenario)

    assert after_first["rooms"] == 1 and backwards_silent
    assert after_all["rooms"] == 0
    assert RoomMember.objects.get(room=room, user=room.student).last_read_id == second.pk


def test_what_a_client_sends_besides_a_read_frame_is_ignored_and_the_socket_stays_open(room):
    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=room.student)
        assert (await ws.connect())[0]
        await ws.send_to(text_data="not json {")
        await ws.send_to(bytes_data=b"\x00\x01")
        for frame in (
            [1, 2],
            {"type": "read", "last_read_id": "5"},
            {"type": "read", "last_read_id": -3},
            {"type": "read", "last_read_id": True},
            {"type": "post", "body": "sockets do not post"},
        ):
            await ws.send_json_to(frame)
        silent = await ws.receive_nothing(timeout=0.5)
        await database_sync_to_async(post)(room, room.teacher, "still listening")
        frame = await ws.receive_json_from(timeout=WAIT)
        await ws.disconnect()
        return silent, frame

    silent, frame = run(scenario)

    assert silent
    assert frame["message"]["body"] == "still listening"
    assert RoomMessage.objects.count() == 1
    assert RoomMember.objects.get(room=room, user=room.student).last_read_id == 0


def test_every_websocket_route_refuses_an_anonymous_socket(room):
    from inbox.live.routing import websocket_urlpatterns

    paths = [
        "/" + str(pattern.pattern).replace("<int:room_id>", str(room.pk))
        for pattern in websocket_urlpatterns
    ]

    async def scenario():
        answers = {}
        for path in paths:
            ws = socket(path)
            answers[path] = (await ws.connect())[0]
            await ws.disconnect()
        return answers

    answers = run(scenario)

    assert len(answers) == len(websocket_urlpatterns) >= 2
    assert not any(answers.values()), answers
