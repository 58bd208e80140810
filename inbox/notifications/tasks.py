"""django-q2 tasks of the notifications (scheduled by migration `inbox/…_notify_data`). Each is safe
to run twice or at once in two workers: rows are claimed with SKIP LOCKED and marked sent."""

from .services import digest_send, held_send


def send_held_emails() -> int:
    """Emails held by quiet hours whose hours are over (every 5 minutes)."""
    return held_send()


def send_daily_digests() -> int:
    """Each person's one digest a day, at DIGEST_HOUR of their zone (hourly, so every zone's hour
    comes)."""
    return digest_send()
