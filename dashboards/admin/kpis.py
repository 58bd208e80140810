"""The dashboard's figures for a range: the four analytics summaries and the KPI tiles (engagement,
learning, money per currency, capacity), each with the previous period's figure. Used by the
dashboard page and by the weekly email, so both say the same. A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dashboards.analytics.selectors import (
    Capacity,
    Engagement,
    Learning,
    Money,
    capacity_summary,
    engagement_summary,
    learning_summary,
    money_summary,
)
from dashboards.analytics.snapshots import at_risk_count

from .filters import Filters

COUNT, PERCENT, MONEY, HOURS = "count", "percent", "money", "hours"


@dataclass(frozen=True)
class Tile:
    key: str
    group: Promise
    label: Promise
    value: int | Decimal | float | None
    previous: int | Decimal | float | None
    kind: str = COUNT
    currency: str = ""
    as_of: datetime | None = None  # a snapshot's time (the figure is not computed for this view)

    @property
    def change(self) -> float | None:
        if self.value is None or not self.previous:
            return None
        return float(self.value - self.previous) / float(self.previous)

    @property
    def change_percent(self) -> Decimal | None:
        change = self.change
        return None if change is None else Decimal(str(round(change * 100, 1)))

    @property
    def shown_value(self) -> str:
        return self.shown(self.value)

    @property
    def shown_previous(self) -> str:
        return self.shown(self.previous)

    def shown(self, value) -> str:
        """The value as the tile and the email show it."""
        if value is None:
            return "—"
        if self.kind == PERCENT:
            return f"{value * 100:.1f} %"
        if self.kind == MONEY:
            return f"{value:.2f} {self.currency}"
        if self.kind == HOURS:
            return f"{value:.1f} h"
        return str(value)


@dataclass(frozen=True)
class Figures:
    filters: Filters
    engagement: Engagement
    learning: Learning
    money: Money
    capacity: Capacity
    capacity_before: Capacity
    tiles: tuple[Tile, ...]


def _utilisation(capacity: Capacity) -> float | None:
    offered = sum((t.offered_hours for t in capacity.teachers), start=Decimal(0))
    booked = sum((t.booked_hours for t in capacity.teachers), start=Decimal(0))
    return float(booked / offered) if offered else None


def dashboard_figures(*, viewer, filters: Filters) -> Figures:
    scoped = {"course_id": filters.course_id, "teacher_id": filters.teacher_id}
    period = filters.period
    engagement = engagement_summary(viewer=viewer, period=period)
    # KPIs only: no progress / attendance tables; the at-risk tile is a count (set-based), not the list
    learning = learning_summary(
        viewer=viewer, period=period, include_at_risk=False, tables=False, **scoped
    )
    # School-wide today: the snapshot the schedule keeps (as of its time) while fresh.
    at_risk, at_risk_as_of = at_risk_count(viewer=viewer, today=period.end)
    # What the tiles and the dashboard's charts show: no per-teacher money, credits, subscriptions,
    # earnings or seats (the reports have them).
    money = money_summary(viewer=viewer, period=period, details=False, **scoped)
    capacity = capacity_summary(viewer=viewer, period=period, courses=False, **scoped)
    # The previous period gives the tiles' comparison only: its teachers' hours, no seats.
    capacity_before = capacity_summary(
        viewer=viewer, period=period.previous(), courses=False, **scoped
    )

    people, learn, cash, cap = _("Engagement"), _("Learning"), _("Money"), _("Capacity")
    e, lk = engagement.kpis, learning.kpis
    tiles = [
        Tile("signups", people, _("Sign-ups"), *_pair(e.get("signups"))),
        Tile("active", people, _("Active people (30 days)"), engagement.mau, None),
        Tile("lessons_delivered", people, _("Lessons delivered"), *_pair(e["lessons_delivered"])),
        Tile(
            "attendance_rate",
            people,
            _("Attendance rate"),
            *_pair(e["attendance_rate"]),
            kind=PERCENT,
        ),
        Tile("messages_sent", people, _("Messages sent"), *_pair(e["messages_sent"])),
        Tile("downloads", people, _("Downloads"), *_pair(e.get("downloads"))),
        Tile("page_views", people, _("Page views"), *_pair(e.get("page_views"))),
        Tile("enrolments", learn, _("Enrolments"), *_pair(lk["enrolments"])),
        Tile(
            "late_cancellations", learn, _("Late cancellations"), *_pair(lk["late_cancellations"])
        ),
        Tile("no_shows", learn, _("No-shows"), *_pair(lk["no_shows"])),
        Tile("homework_set", learn, _("Homework set"), *_pair(lk.get("homework_set"))),
        Tile("homework_done", learn, _("Homework done"), *_pair(lk.get("homework_done"))),
        Tile("at_risk", learn, _("Students at risk"), at_risk, None, as_of=at_risk_as_of),
    ]
    before = {row.currency: row for row in money.previous_totals}
    for row in money.totals:
        prev = before.get(row.currency)
        tiles.append(
            Tile(
                f"net_{row.currency}",
                cash,
                _("Net revenue"),
                row.net,
                prev.net if prev else None,
                kind=MONEY,
                currency=row.currency,
            )
        )
        tiles.append(
            Tile(
                f"refunds_{row.currency}",
                cash,
                _("Refunds"),
                row.refunds,
                prev.refunds if prev else None,
                kind=MONEY,
                currency=row.currency,
            )
        )
    for row in money.outstanding:
        tiles.append(
            Tile(
                f"outstanding_{row.currency}",
                cash,
                _("Outstanding invoices"),
                row.total,
                None,
                kind=MONEY,
                currency=row.currency,
            )
        )
    tiles.append(
        Tile(
            "utilisation",
            cap,
            _("Teacher utilisation"),
            _utilisation(capacity),
            _utilisation(capacity_before),
            kind=PERCENT,
        )
    )
    tiles.append(
        Tile(
            "booked_hours",
            cap,
            _("Booked hours"),
            sum((t.booked_hours for t in capacity.teachers), start=Decimal(0)),
            sum((t.booked_hours for t in capacity_before.teachers), start=Decimal(0)),
            kind=HOURS,
        )
    )
    return Figures(filters, engagement, learning, money, capacity, capacity_before, tuple(tiles))


def _pair(kpi) -> tuple:
    return (None, None) if kpi is None else (kpi.value, kpi.previous)


def tile_rows(figures: Figures):
    """The tiles as rows (group, figure, currency, value, previous, change %): the weekly email's
    CSV and the table under the tiles."""
    for tile in figures.tiles:
        yield (
            str(tile.group),
            str(tile.label),
            tile.currency,
            _plain(tile, tile.value),
            _plain(tile, tile.previous),
            tile.change_percent,
        )


def _plain(tile: Tile, value):
    if value is None:
        return None
    if tile.kind == PERCENT:
        return Decimal(str(round(value * 100, 1)))
    return value


TILE_COLUMNS = (
    _("Group"),
    _("Figure"),
    _("Currency"),
    _("This period"),
    _("Previous period"),
    _("Change (%)"),
)
