"""The django-q2 schedule of manual subscription renewals (hourly: end the ones cancelled at period
end, issue next month's invoice a few days ahead, mark unpaid ones past due). Made by billing's
migration 0002_policy (with its historical `Schedule`) and by the tests' base data after a flush."""

from cplatform.schedules import schedule_ensure, schedule_remove

SCHEDULE = "Renew manual subscriptions"
FUNC = "billing.plans.tasks.renew_subscriptions"
EVERY_MINUTES = 60


def renewal_schedule_ensure(schedule_model) -> None:
    schedule_ensure(schedule_model, name=SCHEDULE, func=FUNC, minutes=EVERY_MINUTES)


def renewal_schedule_remove(schedule_model) -> None:
    schedule_remove(schedule_model, SCHEDULE)
