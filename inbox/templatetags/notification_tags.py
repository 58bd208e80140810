"""{% unread_notifications as count %}: the signed-in person's unread notifications, for the badges
(from the cache: see selectors.unread_count_cached; kept on the request for the page)."""

from django import template

from inbox.notifications.selectors import unread_count_cached

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_count_cached(user=user)
    return request._unread_notifications
