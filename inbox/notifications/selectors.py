"""Reading notifications: always the asker's own (another person's id answers like a missing one)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from cplatform.exceptions import NotFound

from .models import DEFAULT_CHANNELS, Notification, NotificationKind, NotificationPreference
from .services import settings_of


def notification_list_for_user(*, user, unread: bool = False) -> QuerySet[Notification]:
    """The person's feed, newest first, with what a row shows loaded (no query per row)."""
    qs = (
        Notification.objects.filter(recipient=user, in_app=True)
        .select_related("actor", "child", "recipient")
        .order_by("-id")
    )
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs


def notification_get_for_user(*, user, notification_id: int) -> Notification:
    found = notification_list_for_user(user=user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound()
    return found


def unread_count(*, user) -> int:
    """One COUNT on the partial index of unread in-app rows."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()


UNREAD_CACHE_SECONDS = 60


def unread_cache_key(user_id: int) -> str:
    return f"inbox:notifications:unread:{user_id}"


def unread_count_cached(*, user) -> int:
    """The header's badge: the count from the cache (dropped whenever the person's unread
    notifications change: `services.forget_unread`), so most pages make no query for it; at
    worst a minute stale for rows written behind the services' back."""
    if user is None or not user.is_authenticated:
        return 0
    key = unread_cache_key(user.pk)
    found = cache.get(key)
    if found is None:
        found = unread_count(user=user)
        cache.set(key, found, UNREAD_CACHE_SECONDS)
    return found


def channel_choices_for(*, user) -> dict[str, tuple[bool, bool]]:
    """(in-app, email) of every kind for the person: their choices over the defaults."""
    chosen = {
        kind: (in_app, email)
        for kind, in_app, email in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "in_app", "email"
        )
    }
    return {kind: chosen.get(kind, DEFAULT_CHANNELS[kind]) for kind in NotificationKind.values}


def notification_settings_for(*, user) -> dict:
    """Everything the settings page and `GET /notification-settings` show."""
    settings = settings_of(user)
    return {
        "channels": channel_choices_for(user=user),
        "daily_digest": settings.daily_digest,
        "quiet_start": settings.quiet_start,
        "quiet_end": settings.quiet_end,
        "children_lesson_changes": settings.children_lesson_changes,
    }
