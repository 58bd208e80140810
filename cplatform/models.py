"""Rows the site package keeps for every app."""

from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from .validators import validate_multiline_text, validate_single_line


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key`, kept 24 hours per caller, so that a
    retry replays it instead of writing a second time (cplatform.idempotency)."""

    # The caller's user id; not a foreign key: the site package sits below `authentication`, and a
    # row outlives nobody by more than a day (the purge drops it).
    user_id = models.BigIntegerField()
    key = models.CharField(max_length=255, validators=[validate_single_line])
    # sha256 of the method, path, query and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64, validators=[validate_single_line])
    # Null while the first request runs.
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.BinaryField(default=b"")
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_id", "key"], name="idempotency_key_per_caller")
        ]

    def __str__(self):
        return f"{self.user_id}:{self.key}"


class OutboundEmail(models.Model):
    """One email on its way out (cplatform.mail): written in the sender's transaction, so a rolled-back
    event sends nothing, and sent once by a django-q2 task after the commit, or by the sweep when the
    worker that should have sent it died. Holds the message in a form `cplatform.mail` rebuilds
    exactly: body, alternatives (HTML), attachments, every header."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outbound email", "Pending")
        SENT = "sent", pgettext_lazy("outbound email", "Sent")
        FAILED = "failed", pgettext_lazy("outbound email", "Failed")

    subject = models.TextField(
        pgettext_lazy("outbound email", "Subject"), validators=[validate_single_line]
    )
    from_email = models.TextField(
        pgettext_lazy("outbound email", "From"), validators=[validate_single_line]
    )
    to = models.JSONField(pgettext_lazy("outbound email", "To"), default=list)
    cc = models.JSONField(pgettext_lazy("outbound email", "Cc"), default=list)
    bcc = models.JSONField(pgettext_lazy("outbound email", "Bcc"), default=list)
    reply_to = models.JSONField(pgettext_lazy("outbound email", "Reply to"), default=list)
    body = models.TextField(
        pgettext_lazy("outbound email", "Text"), blank=True, validators=[validate_multiline_text]
    )
    # "plain" or "html": the MIME subtype of the body (EmailMessage.content_subtype).
    content_subtype = models.CharField(
        max_length=30, default="plain", validators=[validate_single_line]
    )
    alternatives = models.JSONField(default=list)  # [[content, mimetype], ...]
    attachments = models.JSONField(default=list)  # see cplatform.mail._attachment_to_json
    headers = models.JSONField(default=dict)  # Message-ID included: a resend carries the same id
    status = models.CharField(
        pgettext_lazy("outbound email", "Status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(
        pgettext_lazy("outbound email", "Attempts"), default=0
    )
    created_at = models.DateTimeField(
        pgettext_lazy("outbound email", "Written"), default=timezone.now
    )
    # When the sweep may (re)send it: a short grace after creation (the task usually sends first),
    # then the backoff after each failure.
    next_attempt_at = models.DateTimeField(
        pgettext_lazy("outbound email", "Next attempt"), default=timezone.now
    )
    sent_at = models.DateTimeField(
        pgettext_lazy("outbound email", "Sent at"), null=True, blank=True
    )
    last_error = models.TextField(
        pgettext_lazy("outbound email", "Last error"),
        blank=True,
        validators=[validate_multiline_text],
    )

    class Meta:
        verbose_name = pgettext_lazy("outbound email", "outgoing email")
        verbose_name_plural = pgettext_lazy("outbound email", "outgoing emails")
        indexes = [
            # The sweep: pending rows whose time has come, oldest first.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbound_email_due",
            ),
            models.Index(fields=["-created_at"], name="outbound_email_recent"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
