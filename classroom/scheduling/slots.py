"""Bookable slots, computed in memory from what the selectors loaded (no queries here).

slots = weekly windows on each local date (teacher's zone) − time off − (lessons ± buffer)
        − starts sooner than the minimum notice − starts beyond the horizon.
Candidate starts step by the lesson length from each window's start.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .wallclock import local_dates, local_to_utc

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class WeeklyRule:
    weekday: int
    start_time: time
    end_time: time


@dataclass(frozen=True)
class Policy:
    lesson_lengths: tuple[int, ...]
    buffer: timedelta
    notice: timedelta
    horizon: timedelta


def windows(
    rules: Iterable[WeeklyRule], tz: zoneinfo.ZoneInfo, start: datetime, end: datetime
) -> list[Interval]:
    """The UTC intervals of the weekly rules on every local date around [start, end), sorted."""
    rules = list(rules)
    found: list[Interval] = []
    for day in local_dates(start, end, tz):
        for rule in rules:
            if rule.weekday != day.weekday():
                continue
            begins = local_to_utc(day, rule.start_time, tz, ambiguous="earliest")
            if rule.end_time == time(0, 0):  # until midnight: the start of the next local date
                ends = local_to_utc(day + timedelta(days=1), time(0, 0), tz, ambiguous="latest")
            else:
                ends = local_to_utc(day, rule.end_time, tz, ambiguous="latest")
            if ends > begins:
                found.append((begins, ends))
    found.sort()
    return found


def _overlaps(start: datetime, end: datetime, intervals: Sequence[Interval]) -> bool:
    return any(s < end and start < e for s, e in intervals)


def free_slots(
    *,
    rules: Iterable[WeeklyRule],
    tz: zoneinfo.ZoneInfo,
    policy: Policy,
    time_off: Sequence[Interval],
    busy: Sequence[Interval],
    length: int,
    start: datetime,
    end: datetime,
    now: datetime,
) -> list[Interval]:
    """Bookable (start, end) UTC pairs of `length` minutes that start within [start, end)."""
    if length not in policy.lesson_lengths:
        return []
    duration = timedelta(minutes=length)
    earliest = max(start, now + policy.notice)
    latest = min(end, now + policy.horizon)  # a slot may start no later than the horizon
    if latest < earliest:
        return []
    padded = sorted((s - policy.buffer, e + policy.buffer) for s, e in busy)
    result: list[Interval] = []
    seen: set[datetime] = set()
    for begins, ends in windows(rules, tz, earliest, latest):
        candidate = begins
        while candidate + duration <= ends:
            finish = candidate + duration
            if (
                earliest <= candidate <= latest
                and candidate < end
                and candidate not in seen
                and not _overlaps(candidate, finish, time_off)
                and not _overlaps(candidate, finish, padded)
            ):
                seen.add(candidate)
                result.append((candidate, finish))
            candidate = finish
    result.sort()
    return result
