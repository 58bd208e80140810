"""Filters for a lesson reminder's words, read from the notification's data alone (the feed shows many
notifications without loading their lessons):

- `{{ notification.data|reminder_start }}`: the start the reminder was for, an aware datetime (kept
  as an ISO string), so templates show it in the reader's zone;
- `{{ notification.data|reminder_title }}`: the lesson's name from the recipient's side, in the
  active language (the reminder keeps it in each of the site's languages).
"""

from datetime import datetime

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def reminder_start(data):
    """The start, whether the data still holds it as text or the notification's rendering already
    made it a datetime (inbox.notifications.services.INSTANT_KEYS)."""
    try:
        start = data.get("start")
    except AttributeError:
        return None
    if isinstance(start, datetime):
        return start
    try:
        return parse_datetime(start or "")
    except (TypeError, ValueError):
        return None


@register.filter
def reminder_title(data) -> str:
    titles = data.get("titles") if isinstance(data, dict) else None
    if not isinstance(titles, dict):
        return ""
    return titles.get(translation.get_language()) or titles.get(settings.LANGUAGE_CODE) or ""
