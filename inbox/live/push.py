"""Pushes to the open sockets, through the channel layer. Called after commit only (receivers of the
`_committed` signals, or `transaction.on_commit`): a socket never shows what the database may still
roll back. With the in-memory layer (no REDIS_URL) only sockets served by this same process hear
them (`make run`: the web process; the worker's pushes go nowhere and the page's poll catches up)."""

from __future__ import annotations

import asyncio
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from inbox.models import RoomMember

from .groups import room_group, user_group


def _send(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(group, event)
        return
    # This thread runs an event loop (code called from async code, a test driving a browser):
    # async_to_sync may not block it, so the push goes from a short-lived thread of its own.
    sender = threading.Thread(target=async_to_sync(layer.group_send), args=(group, event))
    sender.start()
    sender.join()


def push_room_message(*, room_id: int, message_id: int, author_id: int | None, event: str) -> None:
    """A message was posted (`new`), `edited` or `deleted`: every socket of the room renders it for
    its person; a new message also changes the other members' unread counts."""
    _send(room_group(room_id), {"type": "room.message", "message_id": message_id, "event": event})
    if event == "new":
        members = (
            RoomMember.objects.filter(room_id=room_id)
            .exclude(user_id=author_id)
            .values_list("user_id", flat=True)
        )
        for user_id in members:
            _send(user_group(user_id), {"type": "unread.changed"})


def push_unread(*, user_id: int) -> None:
    """`user_id`'s unread counts changed (every socket of theirs sends the new ones)."""
    _send(user_group(user_id), {"type": "unread.changed"})


def push_membership_ended(*, room_id: int, user_id: int) -> None:
    """Close `user_id`'s sockets of the room at once, and update their badge."""
    _send(user_group(user_id), {"type": "room.removed", "room_id": room_id})
    _send(user_group(user_id), {"type": "unread.changed"})
