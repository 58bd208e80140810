from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    # --- papers: PDFs of invoices and credit notes rendered after the commit that issues them
    def ready(self):
        from .papers import receivers  # noqa: F401
