"""Background jobs owned by the site package."""

from . import mail


def email_send(email_id: int) -> bool:
    """Send one outbox row (queued on commit by cplatform.mail.OutboxEmailBackend); safe to run
    twice, and beside another worker: the row is claimed, and a sent row is left alone."""
    return mail.email_send(email_id=email_id)


def email_sweep() -> int:
    """Send what the tasks did not: rows left pending by a dead worker, and retries whose backoff
    is over. Run every minute by the django-q2 schedule cplatform migration 0004 creates, and when
    a worker process starts."""
    return mail.email_sweep()


def email_deliver(message) -> int:
    """The task of the backend before the outbox: a message queued before the upgrade still goes."""
    return mail.deliver(message)


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
