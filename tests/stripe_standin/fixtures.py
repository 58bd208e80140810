"""The `stripe_standin` fixture: the real `stripe` client and dj-stripe pointed at the local stand-in.

One server for the session (`stripe_standin_server`); each test that asks for `stripe_standin` gets it
with its state wiped, a test secret key that is not the all-zero dummy (so the platform sees Stripe as
on), `stripe.api_base` and `settings.STRIPE_API_HOST` at the stand-in, and dj-stripe's
`WebhookEndpoint` row with a known secret: `stripe_standin.deliver(client, event)` posts a signed event
to dj-stripe's webhook view. Everything is put back afterwards.
"""

from __future__ import annotations

import secrets

import pytest

from tests.stripe_standin import signing
from tests.stripe_standin.server import ALNUM, StripeStandin


class DjangoStripeStandin(StripeStandin):
    """The stand-in with what a Django test needs beside it: the webhook endpoint row and its secret."""

    endpoint = None
    webhook_secret: str = ""

    def deliver(self, client, event: dict | str, **kwargs):
        """POST `event` to dj-stripe's webhook URL, signed as Stripe signs it (signing.post_event)."""
        return signing.post_event(client, self.endpoint, event, **kwargs)

    def send_webhooks_to(self, base_url: str):
        """Have the hosted Checkout page (GET <session.url>) send its events over HTTP to dj-stripe's
        webhook view on `base_url` (pytest-django's `live_server.url`), as Stripe would."""
        self.webhook_target = base_url.rstrip("/") + signing.webhook_url(self.endpoint)


@pytest.fixture(scope="session")
def stripe_standin_server():
    from djstripe.settings import djstripe_settings

    key = "sk_test_standin" + "".join(secrets.choice(ALNUM) for _ in range(24))
    server = DjangoStripeStandin(
        api_key=key, api_version=djstripe_settings.STRIPE_API_VERSION
    ).start()
    yield server
    server.stop()


@pytest.fixture
def stripe_standin(stripe_standin_server, settings, db):
    import stripe
    from djstripe.models import WebhookEndpoint

    server = stripe_standin_server
    server.reset()
    saved = {name: getattr(stripe, name) for name in ("api_base", "api_key", "max_network_retries")}
    settings.STRIPE_LIVE_MODE = False
    settings.STRIPE_TEST_SECRET_KEY = server.api_key
    settings.STRIPE_PUBLIC_KEY = "pk_test_standin" + server.api_key[-24:]
    settings.STRIPE_API_HOST = server.url
    stripe.api_base = server.url
    stripe.api_key = server.api_key
    stripe.max_network_retries = 0  # a refusal is an answer, not a reason to ask again
    server.webhook_secret = "whsec_" + "".join(secrets.choice(ALNUM) for _ in range(32))
    server.endpoint = WebhookEndpoint.objects.create(
        id="we_standin" + "".join(secrets.choice(ALNUM) for _ in range(14)),
        livemode=False,
        enabled_events=["*"],
        secret=server.webhook_secret,
        status="enabled",
        url="http://testserver/stripe/webhook/",
        api_version=server.api_version,
    )
    try:
        yield server
    finally:
        for name, value in saved.items():
            setattr(stripe, name, value)
        server.endpoint = None
