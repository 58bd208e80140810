from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        # policy: settlement, package ledger and earnings follow classroom's signals.
        from . import receivers  # noqa: F401

        # --- stripe: send refunds to Stripe after commit
        from .stripe import receivers as stripe_receivers  # noqa: F401, PLC0415
