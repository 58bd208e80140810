"""django-q2 entry point of the weekly summary (scheduled by dashboards' migration)."""

from .services import weekly_reports_send


def weekly_reports():
    return weekly_reports_send()
