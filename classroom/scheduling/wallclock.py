"""Wall-clock times in a zone → UTC instants, with DST gaps and overlaps handled on purpose.

A rule says "17:00 in Europe/Madrid"; each date gets its own offset, so the lesson stays at 17:00 Madrid
when the clocks move and its UTC instant shifts by an hour instead.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone by IANA name; UTC for an empty or unknown name."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def is_valid_zone(name: str) -> bool:
    return name in zoneinfo.available_timezones()


def local_to_utc(
    day: date, at: time, tz: zoneinfo.ZoneInfo, *, ambiguous: Literal["earliest", "latest"]
) -> datetime:
    """The UTC instant of `at` on `day` in `tz`.

    - A time that does not exist (the spring-forward gap, e.g. 02:30 in Madrid on the last Sunday of
      March) moves forward by the gap: 02:30 → 03:30 local, the instant the clock shows after the jump.
    - A time that happens twice (the autumn fall-back, e.g. 02:30 on the last Sunday of October) takes
      the first occurrence for `ambiguous="earliest"` (window starts, lessons) and the second for
      `"latest"` (window ends), so a window never shrinks by the repeated hour.
    """
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    first_utc, second_utc = first.astimezone(UTC), second.astimezone(UTC)
    if first_utc == second_utc:
        return first_utc
    exists = first_utc.astimezone(tz).replace(tzinfo=None) == naive
    if not exists:
        # fold=0 reads the wall time with the offset before the jump: the instant after the gap.
        return max(first_utc, second_utc)
    return min(first_utc, second_utc) if ambiguous == "earliest" else max(first_utc, second_utc)


def local_dates(start: datetime, end: datetime, tz: zoneinfo.ZoneInfo) -> list[date]:
    """Every local date in `tz` that [start, end) touches, with a day of margin on each side."""
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
