"""The admins' reports: one table per report, each built from the analytics selectors
(dashboards/analytics/selectors.py) for the dashboard's filters, so the screen, the CSV and the
XLSX show the same rows. A report is a title, its columns and a function giving its rows (plain
values: text, numbers, dates); the selectors aggregate in SQL, so a report runs a fixed number of
queries whatever the data size."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dashboards.analytics.selectors import (
    capacity_summary,
    learning_summary,
    money_summary,
    students_at_risk,
)

from .filters import Filters


def percent(rate: float | None) -> Decimal | None:
    """A rate as a percentage with one decimal (None stays empty)."""
    return None if rate is None else Decimal(str(round(rate * 100, 1)))


@dataclass(frozen=True)
class Report:
    slug: str
    title: Promise
    description: Promise
    columns: tuple[Promise, ...]
    rows: Callable[..., Iterable[tuple]]


def _money(dim: str):
    def rows(*, viewer, filters: Filters):
        money = money_summary(
            viewer=viewer,
            period=filters.period,
            course_id=filters.course_id,
            teacher_id=filters.teacher_id,
        )
        for row in getattr(money, dim):
            label = row.label or (row.key.isoformat() if hasattr(row.key, "isoformat") else "")
            yield (row.currency, label or "—", row.gross, row.refunds, row.net)

    return rows


def _outstanding(*, viewer, filters: Filters):
    money = money_summary(
        viewer=viewer,
        period=filters.period,
        course_id=filters.course_id,
        teacher_id=filters.teacher_id,
    )
    for row in money.outstanding:
        yield (row.currency, row.count, row.total)


def _attendance(dim: str):
    def rows(*, viewer, filters: Filters):
        learning = learning_summary(
            viewer=viewer,
            period=filters.period,
            course_id=filters.course_id,
            teacher_id=filters.teacher_id,
        )
        for row in getattr(learning, f"attendance_by_{dim}"):
            yield (
                row.name,
                row.present,
                row.late,
                row.absent,
                row.excused,
                row.recorded,
                percent(row.rate),
            )

    return rows


def _at_risk(*, viewer, filters: Filters):
    for row in students_at_risk(viewer=viewer, today=filters.period.end):
        yield (
            row.name,
            row.last_lesson.date() if row.last_lesson else None,
            row.last_seen,
            _("yes") if row.inactive else _("no"),
            _("yes") if row.falling_attendance else _("no"),
            percent(row.rate_recent),
            percent(row.rate_before),
        )


def _utilisation(*, viewer, filters: Filters):
    capacity = capacity_summary(
        viewer=viewer,
        period=filters.period,
        course_id=filters.course_id,
        teacher_id=filters.teacher_id,
    )
    for row in capacity.teachers:
        yield (row.name, row.offered_hours, row.booked_hours, percent(row.utilisation))


def _subscriptions(*, viewer, filters: Filters):
    money = money_summary(viewer=viewer, period=filters.period)
    subs = money.subscriptions
    if subs is not None:
        yield (
            subs.active,
            subs.paused,
            subs.past_due,
            subs.cancelled_in_period,
            subs.live_at_start,
            percent(subs.churn),
        )


_MONEY_COLUMNS = (_("Currency"), None, _("Gross"), _("Refunds"), _("Net"))
_ATTENDANCE = (_("Present"), _("Late"), _("Absent"), _("Excused"), _("Recorded"), _("Rate (%)"))


def _money_report(slug, title, description, first, dim) -> Report:
    columns = (_MONEY_COLUMNS[0], first, *_MONEY_COLUMNS[2:])
    return Report(slug, title, description, columns, _money(dim))


REPORTS: dict[str, Report] = {
    r.slug: r
    for r in (
        _money_report(
            "revenue-day",
            _("Revenue by day"),
            _("Money received and refunded per school day, in each currency."),
            _("Day"),
            "by_day",
        ),
        _money_report(
            "revenue-month",
            _("Revenue by month"),
            _("Money received and refunded per month, in each currency."),
            _("Month"),
            "by_month",
        ),
        _money_report(
            "revenue-course",
            _("Revenue by course"),
            _("Money received and refunded per course, in each currency."),
            _("Course"),
            "by_course",
        ),
        _money_report(
            "revenue-teacher",
            _("Revenue by teacher"),
            _("Money received and refunded per teacher, in each currency."),
            _("Teacher"),
            "by_teacher",
        ),
        _money_report(
            "revenue-method",
            _("Revenue by payment method"),
            _("Money received and refunded per payment method, in each currency."),
            _("Payment method"),
            "by_method",
        ),
        Report(
            "outstanding",
            _("Outstanding invoices"),
            _("Invoices issued and not yet paid, in each currency."),
            (_("Currency"), _("Invoices"), _("Total")),
            _outstanding,
        ),
        Report(
            "attendance-student",
            _("Attendance by student"),
            _("Attendance recorded for lessons in the period, per student."),
            (_("Student"), *_ATTENDANCE),
            _attendance("student"),
        ),
        Report(
            "attendance-course",
            _("Attendance by course"),
            _("Attendance recorded for lessons in the period, per course."),
            (_("Course"), *_ATTENDANCE),
            _attendance("course"),
        ),
        Report(
            "attendance-teacher",
            _("Attendance by teacher"),
            _("Attendance recorded for lessons in the period, per teacher."),
            (_("Teacher"), *_ATTENDANCE),
            _attendance("teacher"),
        ),
        Report(
            "at-risk",
            _("Students at risk"),
            _(
                "Students with no lesson and no sign-in for a while, or whose attendance is "
                "falling, as of the last day of the range."
            ),
            (
                _("Student"),
                _("Last lesson"),
                _("Last seen"),
                _("Inactive"),
                _("Falling attendance"),
                _("Recent rate (%)"),
                _("Earlier rate (%)"),
            ),
            _at_risk,
        ),
        Report(
            "utilisation",
            _("Teacher utilisation"),
            _("Hours each teacher offered against hours booked in the period."),
            (_("Teacher"), _("Offered hours"), _("Booked hours"), _("Utilisation (%)")),
            _utilisation,
        ),
        Report(
            "subscriptions",
            _("Subscriptions"),
            _("Subscriptions by state now, and those cancelled in the period (churn)."),
            (
                _("Active"),
                _("Paused"),
                _("Past due"),
                _("Cancelled in the period"),
                _("Live at the start"),
                _("Churn (%)"),
            ),
            _subscriptions,
        ),
    )
}
