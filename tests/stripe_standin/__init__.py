"""A local Stripe stand-in for the tests (never imported by app code).

The real `stripe` client and dj-stripe talk HTTP to `StripeStandin` (server.py), which keeps state and
says no the way Stripe does; `signing.py` signs webhook bodies with Stripe's scheme; `fixtures.py`
holds the `stripe_standin` fixture (registered in tests/conftest.py).
"""

from tests.stripe_standin.server import StripeStandin

__all__ = ["StripeStandin"]
