"""A person's lessons as an iCalendar (RFC 5545) document, written with the `icalendar` library.

Times are written in the feed owner's zone (DTSTART;TZID=…) with a VTIMEZONE for it, so calendar apps
show the lesson at the instant the database holds, across DST changes. Each lesson keeps one UID for
its whole life; SEQUENCE (bumped by every reschedule and cancellation) tells apps which copy is newer.
Summaries are in the owner's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from cplatform.api_http import absolute_url
from cplatform.validators import single_line

from ..choices import LessonStatus
from ..models import Lesson
from ..scheduling.wallclock import zone

PRODID = "-//cplatform//Lessons//EN"


def feed_host() -> str:
    """The host part of lesson UIDs: an identifier, not a link, so the configured address (a UID
    must not change with the address a calendar app fetched the feed at)."""
    return urlsplit(settings.SITE_URL).hostname or "cplatform"


def lesson_uid(lesson: Lesson) -> str:
    return f"lesson-{lesson.pk}@{feed_host()}"


@lru_cache(maxsize=64)
def _vtimezone(tz_name: str, first_year: int, last_year: int) -> Timezone:
    # Built from the zoneinfo data; cached because every fetch of a feed in this zone needs the same.
    return Timezone.from_tzid(
        tz_name, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


def _summary(lesson: Lesson, owner) -> str:
    # Names and titles are stored text: a row written before the validators (or around them) may
    # hold a line break or a control character, which a one-line property cannot carry.
    return single_line(_summary_text(lesson, owner))


def _summary_text(lesson: Lesson, owner) -> str:
    # Each feed has one owner: the summary names the other person, as the pages do.
    return lesson.title_for(owner)


def lesson_page_url(lesson: Lesson) -> str:
    """The lesson's page in the active language (English unprefixed, others under /<code>/), on the
    address the feed was fetched at."""
    return absolute_url(f"{reverse('lesson-list')}{lesson.pk}/")


def _in_zone(instant: datetime, tz) -> datetime:
    """The instant on the owner's wall clock; in UTC when that wall time happens twice and this is
    its second occurrence (RFC 5545 reads an ambiguous TZID time as the first one)."""
    local = instant.astimezone(tz)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local


def _event(lesson: Lesson, owner, tz) -> Event:
    event = Event()
    event.add("uid", lesson_uid(lesson))
    event.add("sequence", lesson.sequence)
    stamp = lesson.updated_at.astimezone(UTC)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("created", lesson.created_at.astimezone(UTC))
    event.add("dtstart", _in_zone(lesson.start, tz))
    event.add("dtend", _in_zone(lesson.end, tz))
    event.add("summary", _summary(lesson, owner))
    cancelled = lesson.status == LessonStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    page = lesson_page_url(lesson)
    lines = [_("Lesson page: %(url)s") % {"url": page}]
    video_call_url = single_line(lesson.video_call_url)
    if video_call_url:
        lines.append(_("Video call: %(url)s") % {"url": video_call_url})
        event.add("location", video_call_url)
        event.add("url", video_call_url)
    else:
        event.add("url", page)
    event.add("description", "\n".join(lines))
    return event


def feed_calendar(*, owner, lessons: Iterable[Lesson], window: tuple[datetime, datetime]) -> bytes:
    """The owner's feed as iCalendar bytes. `lessons` must come with teacher.user, student and course
    loaded (see `calendar_feed_lessons`): writing the feed runs no query."""
    tz_name = owner.timezone or "UTC"
    tz = zone(tz_name)
    if getattr(tz, "key", "UTC") != tz_name:
        tz_name = "UTC"
    language = owner.language or settings.LANGUAGE_CODE
    with translation.override(language):
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", single_line(_("Lessons of %(name)s") % {"name": owner.name}))
        cal.add("x-wr-timezone", tz_name)
        # Refresh hint for apps that honour it (Apple, Outlook; Google ignores it).
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
        if tz_name != "UTC":
            start, end = window
            cal.add_component(_vtimezone(tz_name, start.year - 1, end.year + 1))
        for lesson in lessons:
            cal.add_component(_event(lesson, owner, tz))
        return cal.to_ical()
