from django.core.management.base import BaseCommand

from cplatform.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete the API's Idempotency-Keys older than a day (django-q2 runs it every hour)."

    def handle(self, *args, **options):
        deleted = purge_expired()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {deleted} expired Idempotency-Keys.")
