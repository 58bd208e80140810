"""django-q2 tasks of subscriptions; safe to run twice."""

from .services import subscriptions_renew_due


def renew_subscriptions() -> dict[str, int]:
    return subscriptions_renew_due()
