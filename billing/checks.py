"""Billing's system checks.

dj-stripe 2.11 warns on every `check` that `DJSTRIPE_WEBHOOK_EVENT_CALLBACK` is deprecated in favour of
its signals. Its signals fire around processing that still runs inside the webhook request (and calls
Stripe); the callback is the one hook that lets the endpoint store the event and answer at once while
a django-q2 task processes it, which is what we want. So billing replaces that warning (an id-less
check that cannot be silenced) with this check of the callback we rely on."""

from __future__ import annotations

import inspect

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

EXPECTED = "billing.stripe.webhooks.enqueue_event"


def webhook_callback_check(app_configs=None, **kwargs):
    path = getattr(settings, "DJSTRIPE_WEBHOOK_EVENT_CALLBACK", None)
    if path != EXPECTED:
        return [
            checks.Error(
                f"DJSTRIPE_WEBHOOK_EVENT_CALLBACK must be {EXPECTED!r}: Stripe events are processed "
                "by billing's django-q2 task, exactly once.",
                id="billing.E001",
            )
        ]
    params = list(inspect.signature(import_string(path)).parameters)
    if params[:2] != ["trigger", "api_key"]:
        return [checks.Error(f"{path} must take (trigger, api_key)", id="billing.E002")]
    return []


def replace_djstripe_deprecation_warning() -> None:
    from djstripe import checks as djstripe_checks  # noqa: PLC0415 - after apps are ready

    registry = checks.registry.registry
    registry.registered_checks.discard(djstripe_checks.check_webhook_event_callback_accepts_api_key)
    checks.register(webhook_callback_check, "billing")
