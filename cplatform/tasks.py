"""Background jobs owned by the site package."""

from .mail import deliver


def email_deliver(message) -> int:
    return deliver(message)
