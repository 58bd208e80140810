from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        # --- papers: PDFs of invoices and credit notes rendered after the commit that issues them
        # --- front: checkout (a coupon counts as used when its order is paid)
        from .checkout import receivers as checkout_receivers  # noqa: F401
        from .papers import receivers  # noqa: F401
