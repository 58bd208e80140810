"""`{{ notification.data|reminder_start }}`: the start a lesson reminder was for, as an aware datetime
(the notification's data keeps it as an ISO string), so templates show it in the reader's zone."""

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def reminder_start(data):
    try:
        return parse_datetime(data.get("start") or "")
    except (AttributeError, TypeError, ValueError):
        return None
