"""Lesson reminders: one row per lesson, person, offset and start, written in the same transaction as
the reminder's notification, so "sent exactly once" is a fact the database holds (its unique
constraint), not a hope about the worker."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderOffset(models.IntegerChoices):
    """How many hours before a lesson's start a reminder is due."""

    DAY = 24, _("24 hours before")
    HOUR = 1, _("1 hour before")


class LessonReminder(models.Model):
    """`recipient` was reminded `hours_before` the lesson's start `lesson_start`. A lesson moved to
    another time has another start, so it gets its own reminders; the old start's are never due
    again (the lesson no longer starts then)."""

    lesson = models.ForeignKey("classroom.Lesson", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    hours_before = models.PositiveSmallIntegerField(choices=ReminderOffset.choices)
    lesson_start = models.DateTimeField(help_text=_("The start the reminder was for."))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "recipient", "hours_before", "lesson_start"],
                name="inbox_lesson_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours_before} h reminder of lesson {self.lesson_id} for {self.recipient_id}"
