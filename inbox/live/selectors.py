"""What the live consumers read, each checked against who asks with the rooms' one rule
(`inbox.rules.rooms_readable_by`, as the pages and the API): a socket only ever sees a room its
person may read, a member's or, for an admin, any (a missing room and someone else's room look the
same: refused)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from inbox.attachments.selectors import attachments_prefetch
from inbox.messaging.selectors import unread_count_for as direct_unread_count
from inbox.models import RoomMember, RoomMessage
from inbox.notifications.selectors import unread_count as notification_unread_count
from inbox.rules import rooms_readable_by


def room_readable(*, user, room_id: int) -> bool:
    """Whether `user` may read the room (False: anonymous, inactive, no such room, not theirs)."""
    return rooms_readable_by(user).filter(pk=room_id).exists()


def room_message_get_for_member(*, user, room_id: int, message_id: int) -> RoomMessage | None:
    """A message of the room, if `user` may (still) read it: two queries (the message, its
    mentions for the fragment's marks)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    role = RoomMember.objects.filter(room_id=OuterRef("room_id"), user=user).values("role")[:1]
    message = (
        RoomMessage.objects.filter(pk=message_id, room_id=room_id, room__in=rooms_readable_by(user))
        .annotate(viewer_role=Subquery(role))
        .select_related("author", "room")
        .prefetch_related("mentions", attachments_prefetch())
        .first()
    )
    if message is not None:
        # The rooms selectors read the viewer's role from here (room_is_moderator: no query).
        message.room.my_role = message.viewer_role
    return message


def room_unread_counts(*, user) -> dict[int, int]:
    """Unread messages per room of `user` ({room_id: count}): messages after their read marker, not
    their own, not deleted. One query whatever the number of rooms."""
    unread = (
        RoomMessage.objects.filter(
            room=OuterRef("room_id"), id__gt=OuterRef("last_read_id"), deleted_at__isnull=True
        )
        .exclude(author=user)
        .order_by()
        .values("room")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = (
        RoomMember.objects.filter(user=user)
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
        .values_list("room_id", "unread")
    )
    return dict(rows)


def badge_counts(*, user) -> dict:
    """What the unread badges show, pushed on every socket of `user` when one changes: chat rooms
    (in all and per room), direct messages, notifications. Three queries."""
    by_room = room_unread_counts(user=user)
    return {
        "rooms": sum(by_room.values()),
        "by_room": {str(k): v for k, v in by_room.items()},
        "messages": direct_unread_count(user=user),
        "notifications": notification_unread_count(user=user),
    }
