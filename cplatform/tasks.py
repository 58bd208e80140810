"""Background jobs owned by the site package."""

from .mail import deliver


def email_deliver(message) -> int:
    return deliver(message)


def publish_scheduled_pages() -> None:
    """Publish pages and snippets whose go-live time has come, unpublish expired ones.

    Run every minute by the django-q2 schedule the cplatform data migration creates."""
    from django.core.management import call_command

    call_command("publish_scheduled", verbosity=0)


def purge_idempotency_keys() -> int:
    """Delete the Idempotency-Keys older than a day. Run every hour by the django-q2 schedule the
    cplatform migration 0002 creates."""
    from .idempotency import purge_expired

    return purge_expired()
