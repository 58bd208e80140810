"""django-q2 tasks for Stripe: take ids, safe to run twice."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def process_trigger(trigger_id: int, api_key: str | None = None) -> None:
    """Process one stored webhook trigger: dj-stripe syncs the event and its object, then
    `billing.stripe.handlers` acts on it once (ProcessedStripeEvent)."""
    from djstripe.models import WebhookEventTrigger  # noqa: PLC0415

    from .handlers import handle_event  # noqa: PLC0415

    trigger = WebhookEventTrigger.objects.get(pk=trigger_id)
    event = trigger.process(save=True, api_key=api_key)
    if event is not None:
        handle_event(event)


def refund_send_task(refund_id: int) -> None:
    """Send a PENDING refund of a Stripe payment to Stripe (key `refund-<cause>`: once)."""
    from ..models import Refund  # noqa: PLC0415
    from .client import refund_send  # noqa: PLC0415

    refund = Refund.objects.filter(pk=refund_id).first()
    if refund is not None:
        refund_send(refund)


def subscription_action(subscription_id: int, action: str) -> None:
    """Tell Stripe a subscription was paused, resumed or cancelled (at period end or now)."""
    from ..models import Subscription  # noqa: PLC0415
    from . import client  # noqa: PLC0415

    subscription = Subscription.objects.get(pk=subscription_id)
    if action == "pause":
        client.subscription_pause(subscription)
    elif action == "resume":
        client.subscription_resume(subscription)
    elif action == "cancel":
        client.subscription_cancel(subscription, at_period_end=True)
    elif action == "cancel_now":
        client.subscription_cancel(subscription, at_period_end=False)
    else:
        raise ValueError(f"unknown subscription action {action!r}")


def retry_unprocessed_triggers(*, older_than_minutes: int = 5, limit: int = 100) -> int:
    """Process again the valid webhook triggers whose processing failed (dj-stripe's
    `processed=False`), from the last three days, a few minutes after they arrived. Each run is safe:
    dj-stripe finds an event it stored, and `handle_event` acts once per event id."""
    from datetime import timedelta  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415
    from djstripe.models import WebhookEventTrigger  # noqa: PLC0415

    now = timezone.now()
    due = WebhookEventTrigger.objects.filter(
        valid=True,
        processed=False,
        created__lte=now - timedelta(minutes=older_than_minutes),
        created__gte=now - timedelta(days=3),
    ).order_by("pk")[:limit]
    done = 0
    for trigger_id in list(due.values_list("pk", flat=True)):
        try:
            process_trigger(trigger_id)
            done += 1
        except Exception:
            logger.exception("Stripe webhook trigger %s failed again", trigger_id)
    return done
