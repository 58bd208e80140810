"""django-q2 entry point of the weekly summary (scheduled by dashboards' migration)."""

from .weekly import weekly_reports_send


def weekly_reports():
    return weekly_reports_send()
