"""A room message as a socket sends it: JSON for API clients (the fields of the rooms API's message)
and the HTML fragment the room page appends, rendered for one viewer in their language and zone."""

from __future__ import annotations

import zoneinfo
from contextlib import contextmanager

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from inbox.models import RoomMessage
from inbox.rooms.selectors import room_is_moderator

# The room page's own markup for messages (each an element with `data-message-id`), given
# `messages_list`, `room`, `user` (the viewer) and `can_moderate` (their Delete links on others'
# messages): a socket appends exactly what the page and its poll show.
MESSAGE_TEMPLATE = "inbox/rooms/includes/messages.html"


@contextmanager
def as_viewer(user):
    """Render in `user`'s language and time zone (a socket has no request to take them from)."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    try:
        zone = zoneinfo.ZoneInfo(getattr(user, "timezone", "") or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with translation.override(language), timezone.override(zone):
        yield


def message_json(message: RoomMessage) -> dict:
    deleted = message.deleted_at is not None
    return {
        "id": message.pk,
        "room_id": message.room_id,
        "author": (
            {"id": message.author_id, "name": message.author.name}
            if message.author_id is not None
            else None
        ),
        "body": "" if deleted else message.body,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
    }


def message_html(message: RoomMessage, *, viewer, can_moderate: bool | None = None) -> str:
    """`can_moderate`: whether `viewer` deletes others' messages in the room (looked up if not
    given; a socket knows it from its membership)."""
    if can_moderate is None:
        can_moderate = room_is_moderator(user=viewer, room=message.room)
    with as_viewer(viewer):
        return render_to_string(
            MESSAGE_TEMPLATE,
            {
                "messages_list": [message],
                "room": message.room,
                "user": viewer,
                "can_moderate": can_moderate,
            },
        )
