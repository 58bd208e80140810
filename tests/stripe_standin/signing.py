"""Stripe's webhook signature scheme, for posting events to dj-stripe's endpoint in the tests.

`Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of f"{t}.{body}" keyed with the endpoint secret>`,
as `stripe.WebhookSignature` verifies it (with a 300-second tolerance).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

WEBHOOK_PATH = "/stripe/webhook/{uuid}/"


def sign(body: str, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header value for `body`, signed at `timestamp` (default: now)."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_url(endpoint) -> str:
    """dj-stripe's webhook URL for a `djstripe.models.WebhookEndpoint` row."""
    return WEBHOOK_PATH.format(uuid=endpoint.djstripe_uuid)


def post_event(
    client,
    endpoint,
    event: dict | str,
    *,
    secret: str | None = None,
    timestamp: int | None = None,
    signature: str | None = None,
    signed: bool = True,
):
    """POST `event` to dj-stripe's webhook view with the Django test `client`, signed with the
    endpoint's secret (or `secret`), as Stripe delivers it. `signature` overrides the header;
    `signed=False` sends none."""
    body = event if isinstance(event, str) else json.dumps(event)
    headers = {}
    if signed:
        headers["HTTP_STRIPE_SIGNATURE"] = signature or sign(
            body, secret or endpoint.secret, timestamp
        )
    return client.post(webhook_url(endpoint), data=body, content_type="application/json", **headers)
