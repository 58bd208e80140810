"""The django-q2 schedule of the payment reminders of open manual invoices (hourly). Made by
billing's migration 0005_invoice_reminders (with its historical `Schedule`) and by the tests' base
data after a flush."""

from cplatform.schedules import schedule_ensure, schedule_remove

SCHEDULE = "Remind payers of open invoices"
FUNC = "billing.papers.tasks.send_invoice_reminders"
EVERY_MINUTES = 60


def invoice_reminder_schedule_ensure(schedule_model) -> None:
    schedule_ensure(schedule_model, name=SCHEDULE, func=FUNC, minutes=EVERY_MINUTES)


def invoice_reminder_schedule_remove(schedule_model) -> None:
    schedule_remove(schedule_model, SCHEDULE)
