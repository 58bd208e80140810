"""Stripe webhooks. dj-stripe's endpoint verifies the signature and stores the raw trigger; its
`DJSTRIPE_WEBHOOK_EVENT_CALLBACK` (this module's `enqueue_event`) hands the trigger to a django-q2
task after commit, so the endpoint answers at once and a slow step never times Stripe out.

dj-stripe calls the callback inside its validating transaction and saves its own copy of the trigger
(valid, no error) only after that transaction: a task started before that save (inline in tests, or a
quick worker) would mark the trigger processed and then have dj-stripe's stale copy written over it
(processed=False, no event), so the retry schedule would process it again. The task therefore starts
after the commit of that save (`enqueue_saved_trigger`, billing/stripe/receivers.py)."""

from __future__ import annotations

import logging

from django.db import transaction
from django_q.tasks import async_task

logger = logging.getLogger(__name__)

# Set on the trigger by the callback; read (once) when dj-stripe saves that same trigger.
_ENQUEUE = "_billing_enqueue_after_save"


def enqueue_event(trigger, api_key=None, **kwargs) -> None:
    """dj-stripe calls this for a valid trigger in place of processing it inline: processing is
    enqueued once dj-stripe has saved the trigger."""
    setattr(trigger, _ENQUEUE, (api_key,))


def enqueue_saved_trigger(trigger) -> None:
    """After dj-stripe saved a trigger the callback was given: enqueue its processing after commit,
    unless dj-stripe recorded an error (its transaction, with what the callback did, rolled back)."""
    pending = trigger.__dict__.pop(_ENQUEUE, None)
    if pending is None or not trigger.valid or trigger.exception:
        return
    (api_key,) = pending
    trigger_id = trigger.pk
    transaction.on_commit(
        lambda: async_task("billing.stripe.tasks.process_trigger", trigger_id, api_key)
    )
