from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self):
        # Each part connects its receivers.
        from . import receivers  # noqa: F401 - policy: settlement, package ledger and earnings
        from .checkout import receivers as _checkout  # noqa: F401 - coupons counted once paid
        from .checks import replace_djstripe_deprecation_warning
        from .papers import receivers as _papers  # noqa: F401 - PDFs rendered after commit
        from .stripe import receivers as _stripe  # noqa: F401 - refunds sent to Stripe after commit

        replace_djstripe_deprecation_warning()
