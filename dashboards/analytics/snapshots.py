"""Snapshots: figures of *today* that cost too much to compute on every dashboard view at a real
school's scale, computed by a scheduled task every few minutes (`ANALYTICS_SNAPSHOT_MINUTES`, 10) and
read while fresh (twice that age); a missing or stale snapshot is computed live, as before.

Today's students at risk (school-wide, the admin's tile) is the one snapshot: the count is set-based
but still reads every student, lesson and sign-in of the last N days (~0.4 s on 50,000 people). The
snapshot is stored as a `DailyRollup` row of today (metric `at_risk`), its `computed_at` the time the
tile shows ("as of")."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import DailyRollup
from .periods import school_today
from .scope import ADMIN, Scope
from .selectors import _as_scope, count_students_at_risk

AT_RISK = "at_risk"


def snapshot_minutes() -> int:
    return int(getattr(settings, "ANALYTICS_SNAPSHOT_MINUTES", 10))


def at_risk_snapshot_take(*, today: date | None = None) -> int:
    """Count today's students at risk school-wide and keep the count. Returns it."""
    today = today or school_today()
    count = count_students_at_risk(viewer=Scope(ADMIN), today=today)
    DailyRollup.objects.update_or_create(
        day=today, metric=AT_RISK, key="", defaults={"value": count}
    )
    return count


def at_risk_count(*, viewer, today: date) -> tuple[int, datetime | None]:
    """(count, as of): the admin's count of today from a fresh snapshot (as of its time); any other
    viewer, day or a stale snapshot: computed now (as of None)."""
    if _as_scope(viewer).is_admin and today == school_today():
        fresh_since = timezone.now() - timedelta(minutes=2 * snapshot_minutes())
        row = (
            DailyRollup.objects.filter(
                day=today, metric=AT_RISK, key="", computed_at__gte=fresh_since
            )
            .values_list("value", "computed_at")
            .first()
        )
        if row is not None:
            return int(row[0]), row[1]
    return count_students_at_risk(viewer=viewer, today=today), None
