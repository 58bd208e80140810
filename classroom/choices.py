from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")
    HELD = "held", _("Awaiting payment")
    EXPIRED = "expired", _("Expired — not paid in time")


# Statuses of a lesson that takes no time: the slot is free again (for the teacher and the student),
# the lesson counts for nothing (no package lesson used, no progress, no busy time). A held lesson is
# NOT among them: while it waits for payment it blocks its slot and uses its package lesson.
TIME_FREED = (LessonStatus.CANCELLED, LessonStatus.EXPIRED)
# Statuses of a lesson that is not (or no longer) going to happen as booked: left out of calendar
# feeds, reminders and attendance. A held lesson is among them until it is paid.
NOT_CONFIRMED = (LessonStatus.CANCELLED, LessonStatus.EXPIRED, LessonStatus.HELD)


class LessonKind(models.TextChoices):
    PRIVATE = "private", _("1:1 lesson")
    GROUP = "group", _("Group session")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class BillingOutcome(models.TextChoices):
    """What billing must do about a lesson; recorded by scheduling, settled by billing later."""

    CHARGE = "charge", _("Charge")
    REFUND = "refund", _("Refund")
    CREDIT = "credit", _("Credit")


class LessonWhen(models.TextChoices):
    """Which lessons a list shows: `upcoming` (not yet ended, soonest first) or `past` (ended,
    latest first)."""

    UPCOMING = "upcoming", _("Upcoming")
    PAST = "past", _("Past")


class LessonMode(models.TextChoices):
    """Where a lesson happens, as shown and agreed when it was booked."""

    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
