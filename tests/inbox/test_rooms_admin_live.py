"""A room's WebSocket asks the same rule as its pages and API (`inbox.rules.rooms_readable_by`): an
admin who is not a member opens it and hears the room (with the Delete link a moderator gets); an
outsider is still refused, and a read frame from the admin moves no marker (they have none)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from inbox.models import RoomMember
from tests.authentication.factories import AdminFactory, StudentFactory
from tests.inbox.test_live import WAIT, post, run, socket
from tests.inbox.test_live import room as room  # noqa: F401, the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_who_is_not_a_member_opens_a_rooms_socket_and_hears_it(room):
    admin = AdminFactory()

    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=admin)
        connected, _ = await ws.connect()
        assert connected
        message = await database_sync_to_async(post)(room, room.student, "Rude words")
        frame = await ws.receive_json_from(timeout=WAIT * 5)
        await ws.send_json_to({"type": "read", "last_read_id": message.pk})
        quiet = await ws.receive_nothing(timeout=0.5)
        await ws.disconnect()
        return message, frame, quiet

    message, frame, quiet = run(scenario)
    assert frame["type"] == "message.new" and frame["message"]["id"] == message.pk
    assert f"/rooms/{room.pk}/messages/{message.pk}/delete/" in frame["html"]
    assert quiet
    assert not RoomMember.objects.filter(room=room, user=admin).exists()


def test_an_outsider_who_is_not_an_admin_is_still_refused(room):
    async def scenario():
        ws = socket(f"/ws/rooms/{room.pk}/", user=StudentFactory())
        connected, _ = await ws.connect()
        await ws.disconnect()
        return connected

    assert run(scenario) is False
