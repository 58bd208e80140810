"""Rollups: the admin's school-wide engagement and money figures per past day, stored in
`DailyRollup` so the dashboard reads days instead of scanning users, lessons, messages, payments
and refunds (money per currency, and per course and currency). The scheduled task recomputes
the last `ROLLUP_DAYS` days (late facts: a lesson marked completed days later); `backfill_analytics`
fills any range. Today is never rolled up: selectors compute it live."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from ..models import DailyRollup
from .periods import Period, school_today, school_zone
from .scope import ADMIN, Scope
from .selectors import (
    MONEY_ROLLED_UP,
    ROLLED_MARK,
    ROLLED_UP,
    engagement_counts,
    money_counts,
)

ROLLUP_DAYS = 7


def rollup_range(*, start: date, end: date) -> int:
    """Recompute the rollups of the days `start` … `end` (never today or later). Ten queries plus the
    insert, whatever the range. Returns the number of rows stored."""
    end = min(end, school_today() - timedelta(days=1))
    if end < start:
        return 0
    span = Period(start, end)
    counts = {**engagement_counts(Scope(ADMIN), span), **money_counts(span)}
    rows = [
        DailyRollup(day=day, metric=metric, key=key, value=value)
        for (metric, key), days in counts.items()
        for day, value in days.items()
        if value
    ]
    # Which days the rollups hold, data or not: the selectors compute any other day live.
    zone_name = school_zone().key
    rows += [
        DailyRollup(day=day, metric=ROLLED_MARK, key=zone_name, value=1) for day in span.dates()
    ]
    with transaction.atomic():
        DailyRollup.objects.filter(
            day__gte=start, day__lte=end, metric__in=(*ROLLED_UP, *MONEY_ROLLED_UP, ROLLED_MARK)
        ).delete()
        DailyRollup.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def rollup_recent(*, today: date | None = None) -> int:
    today = today or school_today()
    return rollup_range(start=today - timedelta(days=ROLLUP_DAYS), end=today - timedelta(days=1))
