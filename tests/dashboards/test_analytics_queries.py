"""Each analytics selector runs the same number of SQL queries however much data there is: the fixed
data set once, then four times over (more people, courses, lessons, payments, currencies' rows)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authentication.models import User
from dashboards.analytics.rollups import rollup_range
from dashboards.analytics.selectors import (
    capacity_summary,
    engagement_summary,
    learning_summary,
    money_summary,
    students_at_risk,
)
from tests.dashboards.analytics_data import NOVEMBER, build

pytestmark = pytest.mark.django_db

SELECTORS = {
    "engagement": lambda viewer: engagement_summary(viewer=viewer, period=NOVEMBER),
    "learning": lambda viewer: learning_summary(viewer=viewer, period=NOVEMBER),
    "money": lambda viewer: money_summary(viewer=viewer, period=NOVEMBER),
    "capacity": lambda viewer: capacity_summary(viewer=viewer, period=NOVEMBER),
    "at_risk": lambda viewer: students_at_risk(viewer=viewer, today=date(2026, 11, 30)),
}
# The most any selector may run for any viewer (the money summary is the largest).
BUDGET = 16


def counts(viewers) -> dict[tuple[str, str], int]:
    out = {}
    for role, pk in viewers.items():
        for name, selector in SELECTORS.items():
            viewer = User.objects.get(pk=pk)  # a fresh object: its roles are looked up again
            with CaptureQueriesContext(connection) as captured:
                selector(viewer)
            out[(role, name)] = len(captured.captured_queries)
    return out


def test_every_selector_runs_a_fixed_number_of_queries_whatever_the_data_size(settings):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    data = build()
    rollup_range(start=date(2026, 9, 1), end=date(2026, 11, 30))
    viewers = {
        "admin": data.admin.pk,
        "teacher": data.t1.pk,
        "student": data.s1.pk,
        "parent": data.parent.pk,
    }
    small = counts(viewers)
    grown = {}
    for _ in range(4):
        build()
    rollup_range(start=date(2026, 9, 1), end=date(2026, 11, 30))
    grown = counts(viewers)
    assert money_summary(viewer=data.admin, period=NOVEMBER).totals[0].gross > 130  # it did grow
    assert grown == small
    assert max(small.values()) <= BUDGET, small
