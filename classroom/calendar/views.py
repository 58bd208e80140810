"""The calendar feed itself: /calendar/<token>.ics, fetched by calendar apps without a session."""

import hashlib

from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import selectors, services
from .ics import feed_calendar


@require_safe
def calendar_feed(request, token: str):
    """The owner's lessons as iCalendar. The token is the only credential: unknown or revoked → 404."""
    feed = selectors.calendar_feed_get_by_token(token=token)
    now = timezone.now()
    lessons = selectors.calendar_feed_lessons(user=feed.user, now=now)
    body = feed_calendar(
        owner=feed.user,
        lessons=lessons,
        window=(now - selectors.FEED_PAST, now + selectors.FEED_FUTURE),
    )
    services.calendar_feed_note_fetch(feed=feed, now=now)
    # Apps poll often and the feed rarely changes: answer 304 when they already hold this version.
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="lessons.ics"'
    response["ETag"] = etag
    # The URL is a secret: no shared cache may keep it, and it must not leak through referrers.
    response["Cache-Control"] = "private, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
