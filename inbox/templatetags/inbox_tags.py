"""The header's unread-messages count: {% unread_messages as n %}."""

from django import template

from inbox.messaging.selectors import unread_count_for

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count_for(user=user, cached=True)
