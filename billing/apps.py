from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        # --- stripe: send refunds to Stripe after commit
        from .stripe import receivers  # noqa: F401, PLC0415
