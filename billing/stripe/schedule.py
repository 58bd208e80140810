"""The django-q2 schedule that retries Stripe webhook triggers whose processing failed (Stripe got
its 200 when the trigger was stored, so it will not send the event again). Made by billing's
migration 0002_stripe and by the tests' base data after a flush."""

from django.utils import timezone

SCHEDULE = "Retry unprocessed Stripe events"
FUNC = "billing.stripe.tasks.retry_unprocessed_triggers"
EVERY_MINUTES = 10


def retry_schedule_ensure(schedule_model) -> None:
    fields = {"func": FUNC, "schedule_type": "I", "minutes": EVERY_MINUTES, "repeats": -1}
    schedule_model.objects.update_or_create(
        name=SCHEDULE, defaults=fields, create_defaults={**fields, "next_run": timezone.now()}
    )


def retry_schedule_remove(schedule_model) -> None:
    schedule_model.objects.filter(name=SCHEDULE).delete()
