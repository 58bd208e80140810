"""Safety records of the inbox: reports of direct messages to the admins (the moderation queue in
the Wagtail admin) and suspensions of a person's messaging. Imported at the end of inbox/models.py,
so they belong to the `inbox` app."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cplatform.validators import validate_multiline_text

REPORT_TEXT_MAX_LENGTH = 2000
REPORT_NOTE_MAX_LENGTH = 2000


class ReportReason(models.TextChoices):
    HARASSMENT = "harassment", _("Harassment or bullying")
    INAPPROPRIATE = "inappropriate", _("Inappropriate content")
    SPAM = "spam", _("Spam")
    SAFEGUARDING = "safeguarding", _("A safeguarding concern")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISMISSED = "dismissed", _("Dismissed")
    ACTIONED = "actioned", _("Actioned")


class ReportAction(models.TextChoices):
    NONE = "", _("None")
    REMOVE_MESSAGE = "remove_message", _("Message removed")
    BLOCK_SENDER = "block_sender", _("Sender blocked from messaging the reporter")
    SUSPEND_SENDER = "suspend_sender", _("Sender's messaging suspended")


class MessageReport(models.Model):
    """A reader's report of a direct message (postman `Message`) to the admins. Open until an admin
    dismisses it or acts on it; who handled it, when, what they did and why stay on the row. One
    open report per reporter and message (a database constraint)."""

    message = models.ForeignKey("postman.Message", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_reports"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices)
    text = models.TextField(
        _("what happened"),
        max_length=REPORT_TEXT_MAX_LENGTH,
        blank=True,
        validators=[validate_multiline_text],
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="message_reports_handled",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    action = models.CharField(max_length=16, choices=ReportAction.choices, blank=True)
    note = models.TextField(
        _("note"),
        max_length=REPORT_NOTE_MAX_LENGTH,
        blank=True,
        validators=[validate_multiline_text],
    )
    # The message's text as it was when an admin removed it (the message itself is blanked).
    removed_body = models.TextField(blank=True, validators=[validate_multiline_text])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"],
                condition=models.Q(status="open"),
                name="inbox_report_one_open_per_reporter",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="inbox_report_queue")]

    def __str__(self) -> str:
        return f"report {self.pk} of message {self.message_id}"


class MessagingSuspensionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(lifted_at__isnull=True)


class MessagingSuspension(models.Model):
    """While a current row (not lifted) exists, `user` may write direct messages to admins only
    (inbox/rules.py). Made by an admin from the moderation queue; an admin lifts it from
    *Messaging suspensions* (who and when are kept on the row: the history stays)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_suspensions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="messaging_suspensions_made",
    )
    created_at = models.DateTimeField(default=timezone.now)
    report = models.ForeignKey(
        MessageReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True, validators=[validate_multiline_text])
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messaging_suspensions_lifted",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = MessagingSuspensionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(lifted_at__isnull=True),
                name="inbox_one_current_suspension_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"messaging of {self.user_id} suspended"
