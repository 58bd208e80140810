from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        # policy: settlement, package ledger and earnings follow classroom's signals.
        from . import receivers  # noqa: F401

        # --- front: checkout (a coupon counts as used when its order is paid)
        from .checkout import receivers as checkout_receivers  # noqa: F401

        # --- papers: PDFs of invoices and credit notes rendered after the commit that issues them
        from .papers import receivers as papers_receivers  # noqa: F401

        # --- stripe: send refunds to Stripe after commit
        from .stripe import receivers as stripe_receivers  # noqa: F401
