"""Teachers with availability, and DST dates found from the zone data rather than hard-coded years."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from classroom.scheduling.services import availability_replace
from tests.authentication.factories import StudentFactory
from tests.classroom.factories import listed_teacher

# Around the clock: an end of 00:00 is the midnight that ends the day, so any whole hour is bookable.
EVERY_DAY = [(day, time(0, 0), time(0, 0)) for day in range(7)]


def bookable_teacher(
    *,
    tz: str = "Europe/Madrid",
    rules=None,
    lesson_lengths=(30, 45, 60),
    buffer_minutes: int = 0,
    min_notice_minutes: int = 0,
    horizon_days: int = 366,
    cancellation_cutoff_hours: int = 24,
    free_cancellation_outcome: str = "refund",
    **user_kwargs,
):
    """A listed teacher in `tz` with weekly rules [(weekday, start, end)], set through the service."""
    teacher = listed_teacher(timezone=tz, **user_kwargs)
    availability_replace(
        teacher=teacher,
        rules=[
            {"weekday": d, "start_time": s, "end_time": e}
            for d, s, e in (rules if rules is not None else EVERY_DAY)
        ],
        settings={
            "lesson_lengths": list(lesson_lengths),
            "buffer_minutes": buffer_minutes,
            "min_notice_minutes": min_notice_minutes,
            "horizon_days": horizon_days,
            "cancellation_cutoff_hours": cancellation_cutoff_hours,
            "free_cancellation_outcome": free_cancellation_outcome,
        },
    )
    teacher.refresh_from_db()
    return teacher


def student(tz: str = "America/New_York", **kwargs):
    return StudentFactory(timezone=tz, **kwargs)


def next_transition(tz_name: str, month: int, after: date | None = None) -> date:
    """The next local date in `month` on which the zone's UTC offset changes (a DST switch)."""
    tz = zoneinfo.ZoneInfo(tz_name)
    day = (after or timezone.now().date()) + timedelta(days=1)
    for _ in range(800):
        if day.month == month:
            before = datetime.combine(day, time(0, 0), tzinfo=tz).utcoffset()
            later = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz).utcoffset()
            if before != later:
                return day
        day += timedelta(days=1)
    raise AssertionError(f"no DST change in month {month} for {tz_name}")


def at(day: date, hour: int, minute: int = 0, tz: str = "UTC") -> datetime:
    """An aware datetime of a wall-clock time in a zone, in UTC. The time must exist and happen once
    that day: a time in a DST gap or in the repeated hour raises, instead of quietly becoming an
    instant another test time also maps to (02:00 and 03:00 are both 01:00 UTC on Madrid's spring
    day). Tests that mean such a time build it themselves."""
    zone = zoneinfo.ZoneInfo(tz)
    local = datetime.combine(day, time(hour, minute), tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None) or (
        local.replace(fold=1).utcoffset() != local.utcoffset()
    ):
        raise ValueError(
            f"{local:%Y-%m-%d %H:%M} does not exist or happens twice in {tz} (a DST change): "
            "pick an hour that every day has"
        )
    return instant


def days_ahead(n: int, hour: int = 10, tz: str = "Europe/Madrid") -> datetime:
    """`hour` in `tz` on the date `n` days after today's UTC date. Day 1 before 04:00 local can be
    in the past: at 23:30 UTC in Madrid's summer, 01:00 "tomorrow" was half an hour ago. Book day 1
    from 04:00 on, or at least two days ahead."""
    return at(timezone.now().date() + timedelta(days=n), hour, tz=tz)


def weeks_later(start: datetime, weeks: int, tz: str = "Europe/Madrid") -> datetime:
    """The same wall-clock time in `tz` `weeks` later, in UTC: what a weekly series books. Across a
    DST change it is an hour more or less than `weeks` × 168 hours."""
    return (start.astimezone(zoneinfo.ZoneInfo(tz)) + timedelta(weeks=weeks)).astimezone(UTC)


def coming_dst_change(clock, tz_name: str, month: int, lead_days: int = 30) -> date:
    """The coming (or today's) DST change of `tz_name` in `month`, with the suite's clock moved to
    noon UTC `lead_days` before it: the weeks around the change are then ahead of now and inside any
    booking horizon, on whatever day the suite runs (on the change day itself, the next change is a
    year away, past a 366-day horizon)."""
    change = next_transition(tz_name, month, after=timezone.now().date() - timedelta(days=1))
    clock.move_to(datetime.combine(change - timedelta(days=lead_days), time(12), tzinfo=UTC))
    return change
