"""The analytics schedules (created by dashboards' migration; `analytics_schedule_ensure` recreates
them, e.g. after a test flushed the database)."""

from django.conf import settings

from cplatform.schedules import schedule_ensure, schedule_remove

FLUSH_SCHEDULE = "Analytics: flush page views"
ROLLUP_SCHEDULE = "Analytics: daily rollups"
SNAPSHOT_SCHEDULE = "Analytics: today's snapshots"


def analytics_schedule_ensure(Schedule) -> None:  # noqa: N803 (the model, historical or real)
    for name, func, kind, minutes in (
        (
            FLUSH_SCHEDULE,
            "dashboards.analytics.tasks.analytics_flush",
            "I",  # every `minutes` minutes
            getattr(settings, "ANALYTICS_FLUSH_MINUTES", 5),
        ),
        (ROLLUP_SCHEDULE, "dashboards.analytics.tasks.analytics_rollup", "H", None),
        (
            SNAPSHOT_SCHEDULE,
            "dashboards.analytics.tasks.analytics_snapshot",
            "I",
            getattr(settings, "ANALYTICS_SNAPSHOT_MINUTES", 10),
        ),
    ):
        schedule_ensure(Schedule, name=name, func=func, schedule_type=kind, minutes=minutes)


def analytics_schedule_remove(Schedule) -> None:  # noqa: N803
    schedule_remove(Schedule, FLUSH_SCHEDULE, ROLLUP_SCHEDULE, SNAPSHOT_SCHEDULE)
