"""Notifications: one row per person and event, read in the feed and sent by email through the
outbox (cplatform/mail.py) in the same transaction as the event."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cplatform.validators import validate_single_line


class NotificationKind(models.TextChoices):
    DIRECT_MESSAGE = "direct_message", _("New direct message")
    MENTION = "mention", _("Mention in a chat room")
    LESSON_BOOKED = "lesson_booked", _("Lesson booked")
    LESSON_RESCHEDULED = "lesson_rescheduled", _("Lesson moved")
    LESSON_CANCELLED = "lesson_cancelled", _("Lesson cancelled")
    LESSON_REMINDER = "lesson_reminder", _("Lesson reminder")
    ATTENDANCE_RECORDED = "attendance_recorded", _("Attendance recorded")
    LESSON_NOTES = "lesson_notes", _("Lesson notes posted")
    HOMEWORK_SET = "homework_set", _("Homework set")
    MATERIAL_SHARED = "material_shared", _("Material shared")
    ENROLLMENT_CONFIRMED = "enrollment_confirmed", _("Enrolment confirmed")
    ENROLLMENT_WAITLISTED = "enrollment_waitlisted", _("Put on a waitlist")
    GUARDIAN_REQUEST = "guardian_request", _("Family link request")
    PAYMENT_RECEIVED = "payment_received", _("Payment received")
    PAYMENT_FAILED = "payment_failed", _("Payment failed")
    LESSON_HOLD_EXPIRED = "lesson_hold_expired", _("Booking expired unpaid")
    ENROLLMENT_EXPIRED = "enrollment_expired", _("Enrolment released unpaid")
    REFUND_ISSUED = "refund_issued", _("Refund issued")
    PAYMENT_REMINDER = "payment_reminder", _("Payment reminder")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("On the site")
    EMAIL = "email", _("By email")


# (in-app, email) for a kind nobody has set: what a person would not want to miss comes by email too.
DEFAULT_CHANNELS: dict[str, tuple[bool, bool]] = {
    NotificationKind.DIRECT_MESSAGE: (True, True),
    NotificationKind.MENTION: (True, True),
    NotificationKind.LESSON_BOOKED: (True, True),
    NotificationKind.LESSON_RESCHEDULED: (True, True),
    NotificationKind.LESSON_CANCELLED: (True, True),
    NotificationKind.LESSON_REMINDER: (True, True),
    NotificationKind.ATTENDANCE_RECORDED: (True, False),
    NotificationKind.LESSON_NOTES: (True, False),
    NotificationKind.HOMEWORK_SET: (True, True),
    NotificationKind.MATERIAL_SHARED: (True, False),
    NotificationKind.ENROLLMENT_CONFIRMED: (True, True),
    NotificationKind.ENROLLMENT_WAITLISTED: (True, True),
    NotificationKind.GUARDIAN_REQUEST: (True, True),
    NotificationKind.PAYMENT_RECEIVED: (True, True),
    NotificationKind.PAYMENT_FAILED: (True, True),
    NotificationKind.LESSON_HOLD_EXPIRED: (True, True),
    NotificationKind.ENROLLMENT_EXPIRED: (True, True),
    NotificationKind.REFUND_ISSUED: (True, True),
    # Billing mails the reminder itself (with the bank details): the feed only.
    NotificationKind.PAYMENT_REMINDER: (True, False),
}


class EmailState(models.TextChoices):
    NONE = "none", _("No email")
    SENT = "sent", _("Sent")
    HELD = "held", _("Held for the end of quiet hours")
    DIGEST = "digest", _("Waiting for the daily digest")


class Notification(models.Model):
    """Something happened that `recipient` should know. The words are made when shown, in the
    reader's language, from `kind` and `data`; `url` is a path of the site (language-neutral)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who did it (none when the system did)."),
    )
    child = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a guardian's copy: the child it is about."),
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.CharField(max_length=500, blank=True, validators=[validate_single_line])
    data = models.JSONField(default=dict, blank=True)
    in_app = models.BooleanField(
        default=True, help_text=_("Shown in the feed (the person's setting when it was made).")
    )
    email_state = models.CharField(
        max_length=8, choices=EmailState.choices, default=EmailState.NONE
    )
    email_due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-id"], name="inbox_notif_feed"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True, in_app=True),
                name="inbox_notif_unread",
            ),
            models.Index(
                fields=["email_state", "email_due_at"],
                condition=models.Q(email_state__in=["held", "digest"]),
                name="inbox_notif_email_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationPreference(models.Model):
    """A person's choice for one kind; a kind without a row uses DEFAULT_CHANNELS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="inbox_pref_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class NotificationSettings(models.Model):
    """How a person's emails are sent: at once or in a daily digest, quiet hours in their own zone,
    and (guardians) whether their children's lesson changes come to them too."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("One email a day with everything, instead of an email for each notification."),
    )
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    children_lesson_changes = models.BooleanField(
        _("my children's lesson changes"),
        default=True,
        help_text=_("Lessons booked, moved or cancelled for a linked child come to you too."),
    )

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"
