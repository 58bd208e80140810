"""Calendar feeds: each person's secret, revocable ICS URL with their lessons."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from authentication.api_auth import auth_for
from cplatform.api_base import errors
from cplatform.api_http import location

from . import selectors, services

router = Router(tags=["calendar"])


class CalendarFeedOut(Schema):
    url: str | None = Field(
        ...,
        description="The feed's secret address (https in production); null when you have no feed.",
        examples=["https://example.com/calendar/6bV0m…Qk.ics"],
    )
    webcal_url: str | None = Field(
        ...,
        description="The same address as webcal://, which calendar apps open as a subscription.",
        examples=["webcal://example.com/calendar/6bV0m…Qk.ics"],
    )
    created_at: datetime | None = None
    last_fetched_at: datetime | None = Field(
        None, description="When a calendar app last fetched it (noted at most once an hour)."
    )


@router.get("/calendar-feed", response={200: CalendarFeedOut, **errors(401)}, auth=auth_for())
def retrieve_my_calendar_feed(request):
    """Your calendar feed. Without one (never created, or revoked) every field is null: create it
    with POST."""
    return selectors.calendar_feed_urls(selectors.calendar_feed_of(user=request.auth), request)


@router.post("/calendar-feed", response={201: CalendarFeedOut, **errors(401)}, auth=auth_for())
@location("api:retrieve_my_calendar_feed")
def create_my_calendar_feed(request):
    """Create your calendar feed, or regenerate it: a new secret address; the old one answers 404
    at once. Teachers get the lessons they teach, students theirs (1:1 and group seats), parents their
    linked children's; a person with several roles gets all of them."""
    return Status(
        201,
        selectors.calendar_feed_urls(services.calendar_feed_regenerate(user=request.auth), request),
    )


@router.delete("/calendar-feed", response={204: None, **errors(401)}, auth=auth_for())
def revoke_my_calendar_feed(request):
    """Revoke your calendar feed: its address answers 404 from now on. Idempotent (204 without one)."""
    services.calendar_feed_revoke(user=request.auth)
    return Status(204, None)
