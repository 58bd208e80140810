"""Writes for calendar feeds: create or regenerate a person's secret URL, revoke it, note fetches."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ..models import CalendarFeed

# A fetch is noted at most this often, so calendar apps polling every few minutes cause no writes.
FETCH_NOTE_INTERVAL = timedelta(hours=1)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_regenerate(*, user) -> CalendarFeed:
    """Give the person a feed with a fresh token. An existing feed keeps its row but its old token
    stops working at once (the old URL answers 404)."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            return CalendarFeed.objects.create(user=user, token=new_token())
        feed.token = new_token()
        feed.created_at = timezone.now()
        feed.last_fetched_at = None
        feed.save(update_fields=["token", "created_at", "last_fetched_at"])
        return feed


def calendar_feed_revoke(*, user) -> bool:
    """Delete the person's feed: its URL answers 404 from now on. True when there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_note_fetch(*, feed: CalendarFeed, now: datetime | None = None) -> bool:
    """Record that the feed was fetched, at most once per FETCH_NOTE_INTERVAL. True when written."""
    now = now or timezone.now()
    if feed.last_fetched_at is not None and now - feed.last_fetched_at < FETCH_NOTE_INTERVAL:
        return False
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)
    feed.last_fetched_at = now
    return True
