"""Email that is never lost and never sent twice: the outbox.

`OutboxEmailBackend` (EMAIL_BACKEND) writes each message as an `OutboundEmail` row in the caller's
transaction, and enqueues the django-q2 task `cplatform.tasks.email_send` for it on commit: a
rolled-back event sends nothing, a committed one is sent after the commit. Outside a transaction
the row commits at once and the task is queued at once.

The task claims the row (`SELECT … FOR UPDATE SKIP LOCKED` on a pending row) and keeps the lock
while it sends with EMAIL_DELIVERY_BACKEND and marks it sent, in one transaction: a second task for
the same row, or a second worker, finds it locked or already sent and does nothing. A worker that
dies mid-send leaves the row pending (its transaction rolls back) for the sweep
(`cplatform.tasks.email_sweep`, every minute, and once when a worker process starts), which sends
what is pending past a short grace period (EMAIL_OUTBOX_GRACE_SECONDS). A failed delivery counts
an attempt, waits a growing backoff and, after EMAIL_OUTBOX_MAX_ATTEMPTS, is marked failed and
logged; the row keeps the message and the error.

The one window left: a process killed after the mail server accepted a message but before the
commit; the sweep then sends it again (at least once, never lost).
"""

import base64
import logging
import time
from datetime import timedelta
from email import message_from_bytes
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import DNS_NAME, make_msgid
from django.db import transaction
from django.utils import timezone

from .validators import single_line

logger = logging.getLogger(__name__)

ERROR_LIMIT = 2000  # characters of a delivery error kept on the row


def backoff(attempts: int) -> timedelta:
    """How long after its `attempts`-th failure a message is tried again: 1, 5, 25 minutes …"""
    return timedelta(seconds=min(60 * 5 ** (attempts - 1), 6 * 3600))


class OutboxEmailBackend(BaseEmailBackend):
    """Write each message to the outbox; `cplatform.tasks.email_send` sends it after the commit."""

    def send_messages(self, email_messages):
        from .models import OutboundEmail

        rows = [_row_from_message(message) for message in email_messages if message.recipients()]
        if not rows:
            return 0
        with transaction.atomic():
            OutboundEmail.objects.bulk_create(rows)
            ids = [row.pk for row in rows]
            # robust: a broker that cannot take the task (Redis down) neither turns the caller's
            # committed work into an error nor loses the email; the sweep sends the row.
            transaction.on_commit(lambda: enqueue(ids), robust=True)
        return len(rows)


def enqueue(ids: list[int]) -> None:
    from django_q.tasks import async_task

    for email_id in ids:
        async_task("cplatform.tasks.email_send", email_id, task_name="email_send")


def email_send(*, email_id: int, due_only: bool = False) -> bool:
    """Send one outbox row unless it is sent, failed, or being sent by someone else right now.
    `due_only` (the sweep) also leaves a row waiting for its backoff. True when this call sent it."""
    from .models import OutboundEmail

    with transaction.atomic():
        pending = OutboundEmail.objects.select_for_update(skip_locked=True).filter(
            pk=email_id, status=OutboundEmail.Status.PENDING
        )
        if due_only:
            pending = pending.filter(next_attempt_at__lte=timezone.now())
        row = pending.first()
        if row is None:
            return False
        row.attempts += 1
        try:
            with transaction.atomic():  # a backend that touches the database cannot spoil the mark
                deliver(message_from_row(row))
        except Exception as error:
            _record_failure(row, error)
            return False
        row.status = OutboundEmail.Status.SENT
        row.sent_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["status", "attempts", "sent_at", "last_error"])
        return True


def email_sweep(*, limit: int = 500, budget_seconds: float = 25) -> int:
    """Send the pending rows whose time has come (left by a dead worker, or due after a backoff),
    oldest first, within a time budget: the budget plus one stuck SMTP send (EMAIL_TIMEOUT, 30 s in
    production) stays under the task timeout (Q_CLUSTER, 60 s). Returns how many it sent."""
    from .models import OutboundEmail

    started = time.monotonic()
    due = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "pk")
    sent = 0
    for email_id in list(due.values_list("pk", flat=True)[:limit]):
        if time.monotonic() - started > budget_seconds:
            break  # the next sweep goes on
        sent += email_send(email_id=email_id, due_only=True)
    return sent


def sweep_on_worker_start(**kwargs) -> None:
    """A worker process starting (after a crash, a deploy) first queues a sweep, so what a dead
    worker left goes out now rather than at the next scheduled sweep (the scheduler first runs
    30 seconds after the cluster starts)."""
    from django_q.conf import Conf
    from django_q.tasks import async_task

    if Conf.SYNC:  # tasks run inline (the tests): every task "spawns" a worker; nothing to sweep
        return
    async_task("cplatform.tasks.email_sweep", task_name="email_sweep")


def deliver(message) -> int:
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    return connection.send_messages([message]) or 0


def _record_failure(row, error: Exception) -> None:
    from .models import OutboundEmail

    row.last_error = f"{type(error).__name__}: {error}"[:ERROR_LIMIT]
    if row.attempts >= settings.EMAIL_OUTBOX_MAX_ATTEMPTS:
        row.status = OutboundEmail.Status.FAILED
        logger.error(
            "Email %s to %s failed %s times, given up: %s",
            row.pk,
            row.to,
            row.attempts,
            row.last_error,
        )
    else:
        row.next_attempt_at = timezone.now() + backoff(row.attempts)
        logger.warning(
            "Email %s to %s failed (attempt %s), retried at %s: %s",
            row.pk,
            row.to,
            row.attempts,
            row.next_attempt_at.isoformat(),
            row.last_error,
        )
    row.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])


def _row_from_message(message):
    from .models import OutboundEmail

    headers = dict(message.extra_headers)
    # A stable id: a message sent again (after a crash) is recognisably the same message.
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = make_msgid(domain=DNS_NAME)
    now = timezone.now()
    return OutboundEmail(
        # A subject is one header line; it often carries stored text (a name, a title) that may
        # hold a line break, which Django refuses (BadHeaderError) and would lose the message.
        subject=single_line(str(message.subject)),
        from_email=str(message.from_email),
        to=[str(a) for a in message.to],
        cc=[str(a) for a in message.cc],
        bcc=[str(a) for a in message.bcc],
        reply_to=[str(a) for a in message.reply_to],
        body=str(message.body),
        content_subtype=message.content_subtype,
        alternatives=[
            [str(content), mimetype]
            for content, mimetype, *_ in getattr(message, "alternatives", [])
        ],
        attachments=[_attachment_to_json(a) for a in message.attachments],
        headers={str(k): str(v) for k, v in headers.items()},
        created_at=now,
        next_attempt_at=now + timedelta(seconds=settings.EMAIL_OUTBOX_GRACE_SECONDS),
    )


def message_from_row(row) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    message.content_subtype = row.content_subtype
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    for attachment in row.attachments:
        if "mime" in attachment:
            message.attach(_mime_part(base64.b64decode(attachment["mime"])))
        elif "base64" in attachment:
            content = base64.b64decode(attachment["base64"])
            message.attach(attachment["filename"], content, attachment["mimetype"])
        else:
            message.attach(attachment["filename"], attachment["text"], attachment["mimetype"])
    return message


def _attachment_to_json(attachment) -> dict:
    if isinstance(attachment, MIMEBase):  # a ready MIME part (message.attach(part))
        return {"mime": base64.b64encode(attachment.as_bytes()).decode("ascii")}
    filename, content, mimetype = attachment
    if isinstance(content, str):
        return {"filename": filename, "mimetype": mimetype, "text": content}
    return {
        "filename": filename,
        "mimetype": mimetype,
        "base64": base64.b64encode(content).decode("ascii"),
    }


def _mime_part(raw: bytes) -> MIMEBase:
    """A MIME part parsed back into the MIMEBase Django's message builder attaches as it is."""
    parsed = message_from_bytes(raw)
    part = MIMEBase(parsed.get_content_maintype(), parsed.get_content_subtype())
    for name in list(part.keys()):
        del part[name]
    for name, value in parsed.items():
        part[name] = value
    part.set_payload(parsed.get_payload())
    return part
