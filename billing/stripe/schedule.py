"""The django-q2 schedule that retries Stripe webhook triggers whose processing failed (Stripe got
its 200 when the trigger was stored, so it will not send the event again). Made by billing's
migration 0003_stripe and by the tests' base data after a flush."""

from cplatform.schedules import schedule_ensure, schedule_remove

SCHEDULE = "Retry unprocessed Stripe events"
FUNC = "billing.stripe.tasks.retry_unprocessed_triggers"
EVERY_MINUTES = 10


def retry_schedule_ensure(schedule_model) -> None:
    schedule_ensure(schedule_model, name=SCHEDULE, func=FUNC, minutes=EVERY_MINUTES)


def retry_schedule_remove(schedule_model) -> None:
    schedule_remove(schedule_model, SCHEDULE)
