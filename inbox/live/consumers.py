"""The WebSocket endpoints (routes in inbox/live/routing.py).

`ws/rooms/<room_id>/`: whoever may read the room (its members; admins, any room). Anyone else (anonymous, not a member, no such room) is
refused before the handshake completes: the socket is closed before it is accepted, which the ASGI
server answers with HTTP 403, so a refused client learns nothing about the room (the same answer as
a missing id, like the pages' 404). Once open, the server pushes JSON frames:

- `{"type": "message.new" | "message.edited" | "message.deleted", "message": {...}, "html": "<li…>"}`:
  the message as the rooms API shows it and the room page's fragment for it, rendered for this
  viewer (their language and zone); every event re-checks membership.
- `{"type": "unread", "rooms": n, "by_room": {"<room_id>": n}}`: the person's unread counts.
- `{"type": "room.removed", "room_id": id}`, then the socket closes with code 4403: the person is no
  longer a member (their enrolment ended, they left or were removed, the room was deleted).

`ws/me/`: any signed-in person; pushes the `unread` frames only.

A room's client sends one kind of frame, `{"type": "read", "last_read_id": id}`, as it shows the
messages it received: the read marker moves forward (never back), and the person's badges follow.
Anything else it sends is ignored (posting goes through the pages or the API).
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import render
from .auth import accepted_subprotocol
from .groups import room_group, user_group
from .selectors import badge_counts, room_message_get_for_member, room_readable
from .services import room_read_frame

# Closed after accepting because the person is no longer a member (4000-4999: the application's).
CLOSE_NOT_A_MEMBER = 4403


class _PersonConsumer(AsyncJsonWebsocketConsumer):
    """A signed-in person's socket, in their `user-<id>` group."""

    groups_joined: list[str]

    @property
    def user(self):
        return self.scope.get("user")

    async def join(self, *groups: str) -> None:
        self.groups_joined = list(groups)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept(subprotocol=accepted_subprotocol(self.scope))

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Text frames of JSON only; anything else (binary, malformed) is ignored, not a crash."""
        if text_data is None:
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        """`ws/me/` only listens; what its client sends is ignored."""

    async def unread_changed(self, event):
        counts = await database_sync_to_async(badge_counts)(user=self.user)
        await self.send_json({"type": "unread", **counts})

    async def room_removed(self, event):
        """Another room's membership ended: nothing to do for this socket."""


class RoomConsumer(_PersonConsumer):
    async def connect(self):
        self.room_id = self.scope["url_route"]["kwargs"]["room_id"]
        readable = await database_sync_to_async(room_readable)(user=self.user, room_id=self.room_id)
        if not readable:
            await self.close()  # before accept: the handshake is refused (HTTP 403)
            return
        await self.join(room_group(self.room_id), user_group(self.user.pk))

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or content.get("type") != "read":
            return
        last_read_id = content.get("last_read_id")
        if type(last_read_id) is not int or last_read_id < 1:
            return  # not a message id: nothing to move
        await database_sync_to_async(room_read_frame)(
            user=self.user, room_id=self.room_id, last_read_id=last_read_id
        )

    async def room_message(self, event):
        """A message of the room was posted, edited or deleted: send it as this viewer sees it."""
        payload = await database_sync_to_async(self._message_frame)(event)
        if payload is None:  # no longer a member (the removal may still be on its way)
            await self._removed()
            return
        await self.send_json(payload)

    def _message_frame(self, event) -> dict | None:
        message = room_message_get_for_member(
            user=self.user, room_id=self.room_id, message_id=event["message_id"]
        )
        if message is None:
            return None
        return {
            "type": f"message.{event['event']}",
            "message": render.message_json(message),
            "html": render.message_html(message, viewer=self.user),
        }

    async def room_removed(self, event):
        if event["room_id"] == self.room_id:
            await self._removed()

    async def _removed(self):
        if getattr(self, "removed", False):
            return  # told once (the removal and a message may both find it out)
        self.removed = True
        await self.send_json({"type": "room.removed", "room_id": self.room_id})
        await self.close(code=CLOSE_NOT_A_MEMBER)


class MeConsumer(_PersonConsumer):
    async def connect(self):
        user = self.user
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close()
            return
        await self.join(user_group(user.pk))
        await self.unread_changed({})
