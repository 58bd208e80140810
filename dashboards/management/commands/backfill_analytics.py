"""Fill (or recompute) the analytics rollups of past days: after installing analytics on a school
with history, or after correcting old data."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from dashboards.analytics.periods import school_today
from dashboards.analytics.rollups import rollup_range

CHUNK_DAYS = 31


class Command(BaseCommand):
    help = "Recompute the analytics rollups for past days (default: the last 365 days)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="First day, YYYY-MM-DD (default: 365 days ago).")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD (default: yesterday).")

    def handle(self, *args, since=None, until=None, **options):
        today = school_today()
        try:
            end = date.fromisoformat(until) if until else today - timedelta(days=1)
            start = date.fromisoformat(since) if since else today - timedelta(days=365)
        except ValueError as exc:
            raise CommandError(f"Dates are YYYY-MM-DD: {exc}") from exc
        end = min(end, today - timedelta(days=1))
        if end < start:
            raise CommandError("--since must be on or before --until (and before today).")
        rows = 0
        chunk = start
        while chunk <= end:
            last = min(chunk + timedelta(days=CHUNK_DAYS - 1), end)
            rows += rollup_range(start=chunk, end=last)
            chunk = last + timedelta(days=1)
        self.stdout.write(f"Rolled up {start} to {end}: {rows} rows.")
