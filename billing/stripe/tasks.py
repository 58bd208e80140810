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
