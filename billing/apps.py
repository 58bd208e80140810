from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        # Each part connects its receivers.
        from . import receivers  # noqa: F401 - policy: settlement, package ledger and earnings
        from .papers import receivers as _papers  # noqa: F401 - PDFs rendered after commit
