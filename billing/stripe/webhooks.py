"""Stripe webhooks. dj-stripe's endpoint verifies the signature and stores the raw trigger; its
`DJSTRIPE_WEBHOOK_EVENT_CALLBACK` (this module's `enqueue_event`) hands the trigger to a django-q2
task after commit, so the endpoint answers at once and a slow step never times Stripe out."""

from __future__ import annotations

import logging

from django.db import transaction
from django_q.tasks import async_task

logger = logging.getLogger(__name__)


def enqueue_event(trigger, api_key=None, **kwargs) -> None:
    """dj-stripe calls this for a valid, stored trigger in place of processing it inline."""
    trigger_id = trigger.pk
    transaction.on_commit(
        lambda: async_task("billing.stripe.tasks.process_trigger", trigger_id, api_key)
    )
