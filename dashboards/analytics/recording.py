"""Recording what nothing else records, cheaply: no database write per request on the hot path.

- People active per day: one `DailyActive` row per person and school day. A cache key (`add` is
  atomic in Redis and locmem) lets only the first request of the day through to the database; the
  unique constraint makes a race between processes harmless (`ignore_conflicts`).
- Material downloads per day: courses' `material_downloaded_committed` adds one to a `DailyCounter`
  (an upsert, after the download's commit).
- Public page views per day: counted in the cache (`incr`, atomic in Redis), flushed every few
  minutes to `DailyCounter` by a django-q2 schedule (`tasks.analytics_flush`)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.cache import cache
from django.db import connection, transaction

from ..models import DailyActive
from .periods import school_today

log = logging.getLogger(__name__)

ACTIVE_KEY = "analytics:active:{day}:{user}"
PAGEVIEW_CACHE_KEY = "analytics:pageviews:{day}"
DOWNLOAD = "download"
PAGEVIEW = "pageview"
# A cache key lives past its day, so a flush that runs late (or a worker that was down) still finds
# yesterday's count.
KEY_TTL = 3 * 24 * 3600


def activity_record(*, user, day: date | None = None) -> bool:
    """Note that `user` was active today; True when this wrote the day's row."""
    if user is None or not user.is_authenticated:
        return False
    day = day or school_today()
    if not cache.add(ACTIVE_KEY.format(day=day.isoformat(), user=user.pk), 1, timeout=KEY_TTL):
        return False
    DailyActive.objects.bulk_create([DailyActive(user_id=user.pk, day=day)], ignore_conflicts=True)
    return True


def counter_add(*, key: str, day: date, n: int = 1) -> None:
    """Add `n` to the day's counter in one statement (insert or add), safe under concurrency."""
    if n <= 0:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dashboards_dailycounter (day, key, value) VALUES (%s, %s, %s) "
            "ON CONFLICT (day, key) DO UPDATE "
            "SET value = dashboards_dailycounter.value + EXCLUDED.value",
            [day, key, n],
        )


def page_view_count(*, day: date | None = None) -> None:
    """Count one public page view in the cache (no database)."""
    key = PAGEVIEW_CACHE_KEY.format(day=(day or school_today()).isoformat())
    try:
        cache.incr(key)
    except ValueError:
        # The day's first view (or the key expired): create it; if another process won the race,
        # count on its key.
        if not cache.add(key, 1, timeout=KEY_TTL):
            cache.incr(key)


def page_views_pending(day: date) -> int:
    return int(cache.get(PAGEVIEW_CACHE_KEY.format(day=day.isoformat())) or 0)


def page_views_flush(*, today: date | None = None) -> int:
    """Move the cached page-view counts of today and the two days before into `DailyCounter`.
    Views counted while this runs stay in the cache for the next flush (the cache is decremented
    by what was read, not reset). Returns how many views were flushed."""
    today = today or school_today()
    flushed = 0
    for day in (today - timedelta(days=2), today - timedelta(days=1), today):
        key = PAGEVIEW_CACHE_KEY.format(day=day.isoformat())
        n = int(cache.get(key) or 0)
        if n <= 0:
            continue
        cache.decr(key, n)
        try:
            with transaction.atomic():
                counter_add(key=PAGEVIEW, day=day, n=n)
        except Exception:
            cache.incr(key, n)  # give the views back for the next flush
            raise
        flushed += n
    return flushed


def download_recorded(sender, *, material=None, user=None, **kwargs) -> None:
    """Receiver of courses' `material_downloaded_committed`."""
    counter_add(key=DOWNLOAD, day=school_today())
