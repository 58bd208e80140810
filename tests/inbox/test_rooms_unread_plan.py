"""A room's unread count reads only the messages after the reader's marker, not the whole history.

`make bench` found the room page and `GET /api/v1/rooms/{id}/messages` at ~120x the bare view with a
10,000-message room: the query budget was constant (the same number of queries), but the unread
count's subquery compared every message of the room with a read marker looked up per message. Here
PostgreSQL's own account (EXPLAIN ANALYZE) of the query behind both must show that the history's
messages before the marker are never read, whatever the size of the history."""

import json

import pytest
from django.db import connection

from inbox.models import RoomMember, RoomMessage
from inbox.rooms import selectors
from tests.inbox.factories import bulk_messages, course_with_room

pytestmark = pytest.mark.django_db


def _message_rows_read(plan: dict) -> int:
    """Rows of inbox_roommessage that the plan's nodes produced or filtered away, over all loops."""
    read = 0
    if plan.get("Relation Name") == "inbox_roommessage":
        loops = plan.get("Actual Loops", 1)
        read += (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)) * loops
    for child in plan.get("Plans", []):
        read += _message_rows_read(child)
    return read


def test_the_unread_count_reads_only_the_messages_after_the_marker():
    history = 3_000
    _course, room, teacher, (student, _other) = course_with_room(students=2)
    bulk_messages(room, student, history)
    # The planner's statistics as a live table has them (a tiny or unanalysed table may be read
    # whole, which is cheap there): the plan is then the one a real history gets.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE inbox_roommessage")
        # With one room of 3,000 messages (a few dozen pages) a sequential scan may cost the planner
        # less than the index, and which one it picks moved between runs on the same code. What is
        # tested is the query's shape: that the marker is one value per room, so the (room, id)
        # index can bound the read. Scans that read every row are priced out for this transaction;
        # the pre-fix query (a marker looked up per message) still reads the whole history then.
        cursor.execute("SET LOCAL enable_seqscan = off")
    latest = RoomMessage.objects.filter(room=room).order_by("-pk").first()
    RoomMember.objects.filter(room=room, user=teacher).update(last_read_id=latest.pk - 3)

    rooms = selectors.room_list_for_user(user=teacher).filter(pk=room.pk)
    assert [r.unread_count for r in rooms] == [3]  # the answer first: three after the marker

    plan = json.loads(rooms.explain(format="json", analyze=True))[0]["Plan"]
    read = _message_rows_read(plan)
    # the three unread, the newest (last_message_id) and the index's boundary: a handful, never
    # the history (3,000 rows before the fix)
    assert read <= 10, (read, json.dumps(plan, indent=1))
