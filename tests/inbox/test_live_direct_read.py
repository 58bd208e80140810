"""Reading a direct message pushes the reader's new unread count over ws/me, as a new one does:
opening the thread's page, and the API's mark-read, each change the badge at once."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from inbox.messaging.services import message_send
from tests.conftest import login_token
from tests.inbox.test_live import WAIT, run, socket
from tests.inbox.test_live_wiring import course_room as course_room  # noqa: F401, the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def _read_on_the_page(room, message):
    client = Client()
    client.force_login(room.student)
    assert client.get(f"/messages/threads/{message.thread_id or message.pk}/").status_code == 200


def _read_through_the_api(room, message):
    client = Client()
    token = login_token(client, room.student.email)
    response = client.post(f"/api/v1/messages/{message.pk}/read", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("read", [_read_on_the_page, _read_through_the_api], ids=["page", "api"])
def test_reading_a_direct_message_pushes_the_new_unread_count(course_room, read):
    room = course_room
    message = message_send(
        sender=room.teacher, recipient_id=room.student.pk, subject="Quiz", body="Friday?"
    )

    async def scenario():
        me = socket("/ws/me/", user=room.student)
        assert (await me.connect())[0]
        first = await me.receive_json_from(timeout=WAIT * 5)
        await database_sync_to_async(read)(room, message)
        frame = await me.receive_json_from(timeout=WAIT * 5)
        while frame["messages"] == first["messages"]:  # another badge's frame first
            frame = await me.receive_json_from(timeout=WAIT * 5)
        await me.disconnect()
        return first, frame

    first, after = run(scenario)
    assert first["messages"] == 1
    assert after["messages"] == 0
