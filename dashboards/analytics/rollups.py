"""Rollups: the admin's school-wide engagement figures per past day, stored in `DailyRollup` so the
dashboard reads days instead of scanning users, lessons and messages. The scheduled task recomputes
the last `ROLLUP_DAYS` days (late facts: a lesson marked completed days later); `backfill_analytics`
fills any range. Today is never rolled up: selectors compute it live."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from ..models import DailyRollup
from .periods import Period, school_today
from .scope import ADMIN, Scope
from .selectors import ROLLED_UP, engagement_counts

ROLLUP_DAYS = 7


def rollup_range(*, start: date, end: date) -> int:
    """Recompute the rollups of the days `start` … `end` (never today or later). Six queries plus the
    insert, whatever the range. Returns the number of rows stored."""
    end = min(end, school_today() - timedelta(days=1))
    if end < start:
        return 0
    counts = engagement_counts(Scope(ADMIN), Period(start, end))
    rows = [
        DailyRollup(day=day, metric=metric, key=key, value=value)
        for (metric, key), days in counts.items()
        for day, value in days.items()
        if value
    ]
    with transaction.atomic():
        DailyRollup.objects.filter(day__gte=start, day__lte=end, metric__in=ROLLED_UP).delete()
        DailyRollup.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def rollup_recent(*, today: date | None = None) -> int:
    today = today or school_today()
    return rollup_range(start=today - timedelta(days=ROLLUP_DAYS), end=today - timedelta(days=1))
