from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        # policy: settlement, package ledger and earnings follow classroom's signals.
        from . import receivers  # noqa: F401
