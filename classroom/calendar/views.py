"""Calendars: the feed itself (/calendar/<token>.ics, fetched by calendar apps without a session), the
person's feed page (/lessons/calendar/) and the teacher's week (/lessons/week/)."""

import hashlib
from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from authentication.choices import Role
from authentication.roles import role_required
from cplatform.confirm import Confirmation, confirm_page

from ..scheduling.wallclock import zone
from ..services import teacher_profile_ensure
from . import selectors, services
from .ics import feed_calendar
from .selectors import teacher_week, week_monday, week_teacher_for


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


@role_required(Role.TEACHER, Role.ADMIN)
def week_schedule(request):
    """The teacher's week in their own zone: availability, time off and lessons (1:1 and group).
    An admin may look at any teacher's week with `?teacher=<profile id>`."""
    teacher = week_teacher_for(viewer=request.user, teacher_id=request.GET.get("teacher"))
    if teacher is None:
        teacher = teacher_profile_ensure(user=request.user)
        teacher.user = request.user
    tz = zone(teacher.user.timezone)
    today = timezone.now().astimezone(tz).date()
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = today
    if not date(2000, 1, 10) <= day <= date(2100, 12, 20):
        day = today
    show_cancelled = request.GET.get("cancelled") == "1"
    week = teacher_week(teacher=teacher, day=day, include_cancelled=show_cancelled)
    others = teacher.user_id != request.user.pk
    return render(
        request,
        "classroom/schedule/week.html",
        {
            "week": week,
            "teacher": teacher,
            "others": others,
            "teacher_query": f"&teacher={teacher.pk}" if others else "",
            "tz": tz,
            "hours": range(week.first_hour, week.last_hour),
            "previous": week.monday - timedelta(days=7),
            "next": week.monday + timedelta(days=7),
            "this_week": week_monday(today),
            "show_cancelled": show_cancelled,
            "offset": -60 * week.first_hour,
        },
    )


@role_required()
def calendar_feed_page(request):
    """The person's calendar feed: subscribe (webcal), copy the address; create one here, and make
    a new address or turn it off on their confirmation pages."""
    if request.method == "POST":
        if request.POST.get("action") == "create":
            if selectors.calendar_feed_of(user=request.user) is None:
                services.calendar_feed_regenerate(user=request.user)
            messages.success(request, _("Your calendar feed is ready."))
        return redirect("calendar-feed-page")
    feed = selectors.calendar_feed_of(user=request.user)
    return render(
        request,
        "classroom/schedule/calendar_feed.html",
        {"feed": selectors.calendar_feed_urls(feed, request), "has_feed": feed},
    )


_FEED_STOPS = gettext_lazy(
    "Calendars subscribed to the current address stop updating: lessons already in them stay, "
    "but new, moved and cancelled lessons no longer show."
)


@require_http_methods(["GET", "POST"])
@role_required()
def calendar_feed_regenerate_view(request):
    """GET asks (the old address stops working), POST gives the feed a new address."""
    if selectors.calendar_feed_of(user=request.user) is None:
        return redirect("calendar-feed-page")
    if request.method == "POST":
        services.calendar_feed_regenerate(user=request.user)
        messages.success(
            request,
            _(
                "Your calendar feed has a new address; the old one no longer works. Subscribe "
                "again with the new one."
            ),
        )
        return redirect("calendar-feed-page")
    return confirm_page(
        request,
        Confirmation(
            title=_("Make a new address for your calendar feed?"),
            consequences=[
                _("The current address stops working at once."),
                _FEED_STOPS,
                _("You then subscribe again with the new address."),
            ],
            confirm_label=_("Make a new address"),
            cancel_url=reverse("calendar-feed-page"),
        ),
    )


@require_http_methods(["GET", "POST"])
@role_required()
def calendar_feed_turn_off_view(request):
    """GET asks (the address stops working), POST deletes the feed."""
    if selectors.calendar_feed_of(user=request.user) is None:
        return redirect("calendar-feed-page")
    if request.method == "POST":
        services.calendar_feed_revoke(user=request.user)
        messages.success(
            request, _("Your calendar feed is turned off: its address no longer works.")
        )
        return redirect("calendar-feed-page")
    return confirm_page(
        request,
        Confirmation(
            title=_("Turn off your calendar feed?"),
            consequences=[
                _("Its address stops working at once."),
                _FEED_STOPS,
                _("You can create a new feed later; it gets a new address."),
            ],
            confirm_label=_("Turn off the feed"),
            cancel_url=reverse("calendar-feed-page"),
        ),
    )
