from django.core.management.base import BaseCommand, CommandError

from billing.conf import stripe_enabled
from billing.stripe.catalog import sync_catalog


class Command(BaseCommand):
    help = (
        "Create the Stripe products and prices for paid courses, packages and active plans "
        "(found again by lookup_key, so a rerun creates nothing) and report what it did."
    )

    def handle(self, *args, **options):
        if not stripe_enabled():
            raise CommandError("Stripe is off (no real secret key is set): nothing to sync.")
        report = sync_catalog()
        for line in report.lines():
            self.stdout.write(line)
