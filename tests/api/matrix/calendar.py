"""Matrix rows: calendar feeds. Every signed-in person may have their own feed (it lists whatever
lessons they teach, take or their children take); nobody reaches anyone else's."""

from tests.api.matrix.base import ALL_SIGNED_IN, Call

ROWS: dict[str, Call] = {
    "GET /api/v1/calendar-feed": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "POST /api/v1/calendar-feed": Call({"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, 201)}),
    "DELETE /api/v1/calendar-feed": Call({"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, 204)}),
}


def build(world) -> None:
    """Student A already has a feed, so DELETE revokes a real one for them (and is a no-op for
    the others: revoking is idempotent)."""
    from classroom.calendar.services import calendar_feed_regenerate

    calendar_feed_regenerate(user=world.users["student_a"])
