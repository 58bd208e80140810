"""The django-q2 schedule of the payment reminders of open manual invoices (hourly). Made by
billing's migration 0005_invoice_reminders (with its historical `Schedule`) and by the tests' base
data after a flush."""

from django.utils import timezone

SCHEDULE = "Remind payers of open invoices"
FUNC = "billing.papers.tasks.send_invoice_reminders"
EVERY_MINUTES = 60


def invoice_reminder_schedule_ensure(schedule_model) -> None:
    fields = {"func": FUNC, "schedule_type": "I", "minutes": EVERY_MINUTES, "repeats": -1}
    schedule_model.objects.update_or_create(
        name=SCHEDULE, defaults=fields, create_defaults={**fields, "next_run": timezone.now()}
    )


def invoice_reminder_schedule_remove(schedule_model) -> None:
    schedule_model.objects.filter(name=SCHEDULE).delete()
