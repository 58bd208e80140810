"""Days are counted in the school's time zone (`SCHOOL_TIME_ZONE`, default UTC): a lesson at 23:30 in
Madrid belongs to the Madrid day when the school is in Madrid, whatever UTC says."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cplatform.exceptions import ValidationFailed

DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 731  # two years: a wider range is a backfill, not a screen


def school_zone() -> zoneinfo.ZoneInfo:
    """The zone the school counts its days in (an unknown name falls back to UTC)."""
    try:
        return zoneinfo.ZoneInfo(getattr(settings, "SCHOOL_TIME_ZONE", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def school_today(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(school_zone()).date()


def day_start(day: date) -> datetime:
    """The instant a school day starts (aware, in the school zone; compares fine with UTC values)."""
    return datetime.combine(day, time.min, tzinfo=school_zone())


@dataclass(frozen=True)
class Period:
    """The days `start` … `end`, both included, in the school zone."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period ends on or after its first day.")

    @classmethod
    def last_days(cls, days: int = DEFAULT_PERIOD_DAYS, *, today: date | None = None) -> Period:
        """The default: the last `days` days up to and including today."""
        end = today or school_today()
        return cls(end - timedelta(days=days - 1), end)

    @classmethod
    def parse(
        cls, start: str | date | None, end: str | date | None, *, today: date | None = None
    ) -> Period:
        """A period from request input (`YYYY-MM-DD` strings or dates; either may be missing):
        no end → today; no start → 30 days up to the end. Bad input → ValidationFailed with the
        field's message (422), never a 500."""
        errors: dict[str, list[str]] = {}
        values = {}
        for name, value in (("start", start), ("end", end)):
            if value in (None, ""):
                values[name] = None
            elif isinstance(value, date):
                values[name] = value
            else:
                try:
                    values[name] = date.fromisoformat(str(value))
                except ValueError:
                    errors[name] = [_("Enter a date as YYYY-MM-DD.")]
        if errors:
            raise ValidationFailed(errors=errors)
        last = values["end"] or today or school_today()
        first = values["start"] or last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if last < first:
            raise ValidationFailed(
                errors={"end": [_("The end date must be on or after the start date.")]}
            )
        if (last - first).days + 1 > MAX_PERIOD_DAYS:
            raise ValidationFailed(
                errors={
                    "start": [
                        _("A period can be at most %(days)s days long.") % {"days": MAX_PERIOD_DAYS}
                    ]
                }
            )
        return cls(first, last)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one (for comparisons)."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    @property
    def since(self) -> datetime:
        """First instant (included)."""
        return day_start(self.start)

    @property
    def until(self) -> datetime:
        """The instant after the last day (excluded)."""
        return day_start(self.end + timedelta(days=1))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end
