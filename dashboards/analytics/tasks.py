"""django-q2 tasks of analytics, run by the schedules in dashboards' migration (schedule.py)."""

from .recording import page_views_flush
from .rollups import rollup_recent
from .snapshots import at_risk_snapshot_take


def analytics_flush() -> int:
    """Move the page views counted in the cache into the database."""
    return page_views_flush()


def analytics_rollup() -> int:
    """Recompute the recent days' rollups."""
    return rollup_recent()


def analytics_snapshot() -> int:
    """Take today's snapshots (students at risk)."""
    return at_risk_snapshot_take()
