"""Matrix rows: notifications. Everyone signed in has their own feed, count and settings; one
notification is its recipient's alone (anyone else, admins included, meets a missing one)."""

from tests.api.matrix.base import ALL_SIGNED_IN, SIGNED_IN, Call, expect

OWN_ONLY = expect({"anonymous": 401, **dict.fromkeys(SIGNED_IN, 404)}, student_a=200)
SIGNED = {"anonymous": 401, **ALL_SIGNED_IN}

ROWS: dict[str, Call] = {
    "GET /api/v1/notifications": Call(SIGNED),
    "GET /api/v1/notifications/unread-count": Call(SIGNED),
    "POST /api/v1/notifications/read": Call(SIGNED, json={"all": True}),
    "GET /api/v1/notifications/{notification_id}": Call(
        OWN_ONLY, path_params={"notification_id": "notification_id"}
    ),
    "GET /api/v1/notification-settings": Call(SIGNED),
    "PUT /api/v1/notification-settings": Call(
        SIGNED,
        json={
            "channels": [{"kind": "mention", "in_app": True, "email": False}],
            "daily_digest": True,
            "quiet_start": "22:00",
            "quiet_end": "07:00",
            "children_lesson_changes": True,
        },
    ),
}


def build(world) -> None:
    """Student A's notification from their teacher (with its own id N)."""
    from inbox.notifications.models import NotificationKind
    from inbox.notifications.services import notify

    world.make(
        "notification_id",
        "notification",
        lambda: notify(
            recipient=world.users["student_a"],
            kind=NotificationKind.MATERIAL_SHARED,
            actor=world.users["teacher"],
            url="/lessons/",
            data={"material_title": "Reading", "start": "2027-01-04T10:00:00+00:00"},
        ),
    )
