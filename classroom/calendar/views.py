"""The calendar feed itself: /calendar/<token>.ics, fetched by calendar apps without a session."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cplatform.exceptions import NotFound

from . import selectors, services
from .ics import feed_calendar


@require_safe
def calendar_feed(request, token: str):
    """The owner's lessons as iCalendar. The token is the only credential: unknown or revoked → 404."""
    try:
        feed = selectors.calendar_feed_get_by_token(token=token)
    except NotFound as exc:
        raise Http404 from exc
    now = timezone.now()
    lessons = selectors.calendar_feed_lessons(user=feed.user, now=now)
    body = feed_calendar(
        owner=feed.user,
        lessons=lessons,
        window=(now - selectors.FEED_PAST, now + selectors.FEED_FUTURE),
    )
    services.calendar_feed_note_fetch(feed=feed, now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lessons.ics"'
    # The URL is a secret: no shared cache may keep it, and it must not leak through referrers.
    response["Cache-Control"] = "private, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
