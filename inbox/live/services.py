"""What a live socket writes: the read marker, moved as the person sees messages arrive (the page's
poll moved it over what it fetched; while the socket is open the poll stands down)."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Max

from inbox.models import RoomMember, RoomMessage

from .push import push_unread


def room_read_marker_move(*, user, room_id: int, last_read_id: int) -> int | None:
    """Move `user`'s read marker in the room forward to `last_read_id` (never back, never past the
    latest message); their badges hear the new counts. Answers the marker if it moved."""
    latest = RoomMessage.objects.filter(room_id=room_id).aggregate(latest=Max("id"))["latest"]
    target = min(last_read_id, latest or 0)
    with transaction.atomic():
        moved = RoomMember.objects.filter(
            room_id=room_id, user=user, last_read_id__lt=target
        ).update(last_read_id=target)
        if moved:
            transaction.on_commit(partial(push_unread, user_id=user.pk), robust=True)
    return target if moved else None
