"""Reading what people were told, for the notification tests."""

from inbox.notifications.models import Notification


def told(kind: str) -> dict[int, Notification]:
    """recipient id → their notification of `kind` (each person told at most once)."""
    rows = list(Notification.objects.filter(kind=kind).select_related("recipient", "child"))
    by_person = {n.recipient_id: n for n in rows}
    assert len(by_person) == len(rows), "someone was told twice"
    return by_person
