"""What a live socket writes: the read marker, moved as the person sees messages arrive, through the
rooms service the pages and the API use (`room_mark_read`; its after-commit signal pushes the new
badges, inbox/live/receivers.py)."""

from __future__ import annotations

from cplatform.exceptions import NotFound
from inbox.models import Room
from inbox.rooms.services import room_mark_read


def room_read_frame(*, user, room_id: int, last_read_id: int) -> int | None:
    """A room socket's `read` frame: `user`'s marker moves forward to `last_read_id` (never back,
    never past the latest message). None if they are no longer a member (or the room is gone)."""
    room = Room.objects.filter(pk=room_id).first()
    if room is None:
        return None
    try:
        return room_mark_read(actor=user, room=room, last_read_id=last_read_id)
    except NotFound:
        return None
