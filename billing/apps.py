from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        # front: checkout (a coupon counts as used when its order is paid)
        from .checkout import receivers as checkout_receivers  # noqa: F401
