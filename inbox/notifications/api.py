"""Notifications: the caller's own feed, marking read, the unread count and their settings.
Operations parse, call one selector or service, answer."""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from cplatform.api_base import LimitOffset, errors, sort_field, sorted_by
from cplatform.exceptions import ValidationFailed

from . import selectors, services
from .schemas import (
    NotificationOut,
    NotificationReadIn,
    NotificationSettingsIn,
    NotificationSettingsOut,
    NotificationSort,
    UnreadCountOut,
)

router = Router(tags=["notifications"])


class NotificationFilter(Schema):
    unread: bool = Field(False, description="Only unread notifications")
    sort: NotificationSort = sort_field(NotificationSort, "-created")


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **errors(401, 422)},
    auth=auth_for(),
)
@paginate(LimitOffset)
def list_notifications(request, filters: Query[NotificationFilter]):
    """Your notifications (shown on the site), newest first by default."""
    qs = selectors.notification_list_for_user(user=request.auth, unread=filters.unread)
    return sorted_by(qs, filters.sort)


@router.get(
    "/notifications/unread-count",
    response={200: UnreadCountOut, **errors(401)},
    auth=auth_for(),
)
def retrieve_unread_notification_count(request):
    """How many of your notifications are unread (the badge)."""
    return {"unread": selectors.unread_count(user=request.auth)}


@router.post(
    "/notifications/read",
    response={200: UnreadCountOut, **errors(400, 401)},
    auth=auth_for(),
)
def mark_notifications_read(request, payload: NotificationReadIn):
    """Mark some (`ids`) or all (`all: true`) of your notifications read; answers the unread count.
    Marking again changes nothing."""
    services.notifications_mark_read(user=request.auth, ids=payload.ids, every=payload.all)
    return {"unread": selectors.unread_count(user=request.auth)}


@router.get(
    "/notifications/{notification_id}",
    response={200: NotificationOut, **errors(401, 404)},
    auth=auth_for(),
)
def retrieve_notification(request, notification_id: int):
    """One of your notifications (another person's answers 404 like a missing one)."""
    return selectors.notification_get_for_user(user=request.auth, notification_id=notification_id)


def _settings_out(user) -> dict:
    found = selectors.notification_settings_for(user=user)
    found["channels"] = [
        {"kind": kind, "in_app": in_app, "email": email}
        for kind, (in_app, email) in found["channels"].items()
    ]
    return found


@router.get(
    "/notification-settings",
    response={200: NotificationSettingsOut, **errors(401)},
    auth=auth_for(),
)
def retrieve_notification_settings(request):
    """Your settings: each kind's channels, the daily digest, quiet hours and (parents) whether
    your children's lesson changes come to you too."""
    return _settings_out(request.auth)


@router.put(
    "/notification-settings",
    response={200: NotificationSettingsOut, **errors(400, 401)},
    auth=auth_for(),
)
def replace_notification_settings(request, payload: NotificationSettingsIn):
    """Replace your settings (kinds left out go back to their defaults)."""
    channels = {}
    for choice in payload.channels:
        if choice.kind in channels:
            raise ValidationFailed(errors={"channels": [_("Each kind at most once.")]})
        channels[str(choice.kind)] = {"in_app": choice.in_app, "email": choice.email}
    services.notification_settings_replace(
        user=request.auth,
        channels=channels,
        daily_digest=payload.daily_digest,
        quiet_start=payload.quiet_start,
        quiet_end=payload.quiet_end,
        children_lesson_changes=payload.children_lesson_changes,
    )
    return _settings_out(request.auth)
