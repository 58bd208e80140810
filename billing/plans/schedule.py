"""The django-q2 schedule of manual subscription renewals (hourly: end the ones cancelled at period
end, issue next month's invoice a few days ahead, mark unpaid ones past due). Made by billing's
migration 0002_policy (with its historical `Schedule`) and by the tests' base data after a flush."""

from django.utils import timezone

SCHEDULE = "Renew manual subscriptions"
FUNC = "billing.plans.tasks.renew_subscriptions"
EVERY_MINUTES = 60


def renewal_schedule_ensure(schedule_model) -> None:
    fields = {"func": FUNC, "schedule_type": "I", "minutes": EVERY_MINUTES, "repeats": -1}
    schedule_model.objects.update_or_create(
        name=SCHEDULE, defaults=fields, create_defaults={**fields, "next_run": timezone.now()}
    )


def renewal_schedule_remove(schedule_model) -> None:
    schedule_model.objects.filter(name=SCHEDULE).delete()
