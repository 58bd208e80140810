"""The only code that talks to Stripe: `client.py` makes outgoing calls (one seam, idempotency keys
from our own objects), `webhooks.py` turns stored dj-stripe events into billing services."""
