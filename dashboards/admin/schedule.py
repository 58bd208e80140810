"""The weekly summary's django-q2 schedule (created by dashboards' migration; Mondays at 07:00 UTC,
`weekly_schedule_ensure` recreates it, e.g. after a test flushed the database)."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from cplatform.schedules import schedule_ensure, schedule_remove

WEEKLY_SCHEDULE = "Dashboards: weekly summary email"
WEEKLY_FUNC = "dashboards.admin.tasks.weekly_reports"


def _next_monday_7() -> datetime:
    now = timezone.now().astimezone(UTC)
    monday = (now + timedelta(days=(7 - now.weekday()) % 7)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    return monday if monday > now else monday + timedelta(days=7)


def weekly_schedule_ensure(Schedule) -> None:  # noqa: N803 (the model, historical or real)
    schedule_ensure(
        Schedule,
        name=WEEKLY_SCHEDULE,
        func=WEEKLY_FUNC,
        schedule_type="W",
        first_run=_next_monday_7(),
    )


def weekly_schedule_remove(Schedule) -> None:  # noqa: N803
    schedule_remove(Schedule, WEEKLY_SCHEDULE)
