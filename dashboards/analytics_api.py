"""`/api/v1/analytics/…`: the school's figures for admins (any scope) and teachers (their own only).

- `GET /analytics/kpis`: headline figures with the previous period's, and money per currency.
- `GET /analytics/series/{metric}`: one figure per school day (money: per day and currency).
- `GET /analytics/tables/{table}`: the rows of one report table.

Filters: `from` / `to` (school days, both included; default the last 30 days; at most 366 days),
`course_id`, `teacher_id` (a teacher's user id) and `currency` (money only). A teacher naming another
teacher or a course not theirs gets 404, as for one that does not exist; students, parents and people
without a role get 403. The operations only parse, call the analytics selectors with the checked
scope (`homes_figures.analytics_scope_for`) and shape the answer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from authentication.api_auth import auth_for
from catalog.choices import Currency
from cplatform.api_base import errors
from cplatform.exceptions import InvalidQuery, NotFound

from .analytics import selectors as analytics
from .analytics.periods import DEFAULT_PERIOD_DAYS, Period
from .homes_figures import analytics_scope_for

router = Router(tags=["analytics"])

MAX_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class AnalyticsFilter(Schema):
    from_: date | None = Field(
        None,
        alias="from",
        description=f"First school day (default: {DEFAULT_PERIOD_DAYS - 1} days before `to`).",
    )
    to: date | None = Field(None, description="Last school day, included (default: today).")
    course_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="Only this course (one of a teacher's own)."
    )
    teacher_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="Only this teacher (user id; a teacher: themself)."
    )
    currency: Currency | None = Field(None, description="Money in this currency only.")


def _period(filters: AnalyticsFilter) -> Period:
    """The filters' days, or 422 naming the field at fault."""
    problems: dict[str, list[str]] = {}
    for name, value in (("from", filters.from_), ("to", filters.to)):
        if value is not None and not EARLIEST <= value <= LATEST:
            problems[name] = [_("Give a day between 2000 and 2100.")]
    if problems:
        raise InvalidQuery(errors=problems)
    if filters.from_ is None and filters.to is None:
        return Period.last_days(DEFAULT_PERIOD_DAYS)
    if filters.from_ is None:
        return Period.last_days(DEFAULT_PERIOD_DAYS, today=filters.to)
    end = filters.to or Period.last_days(1).end
    if end < filters.from_:
        raise InvalidQuery(errors={"to": [_("The last day comes on or after the first (from).")]})
    period = Period(filters.from_, end)
    if period.days > MAX_DAYS:
        raise InvalidQuery(
            errors={"from": [_("Ask for at most %(days)d days at a time.") % {"days": MAX_DAYS}]}
        )
    return period


def _read(request, filters: AnalyticsFilter):
    scope = analytics_scope_for(
        viewer=request.auth, course_id=filters.course_id, teacher_id=filters.teacher_id
    )
    return scope, _period(filters)


def _named(names: type[StrEnum], value: str):
    """A metric or table by name; an unknown name answers 404, as any path naming nothing."""
    try:
        return names(value)
    except ValueError:
        raise NotFound() from None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _in_currency(rows, filters: AnalyticsFilter):
    return [r for r in rows if filters.currency is None or r.currency == filters.currency]


# --- KPIs -----------------------------------------------------------------------------------------


class KpiOut(Schema):
    key: str = Field(..., examples=["enrolments"])
    value: float | None
    previous: float | None = Field(..., description="The same figure over the previous period.")
    change: float | None = Field(..., description="Relative change (0.25 = +25 %); null: none.")


class MoneyTotalOut(Schema):
    currency: Currency
    gross: str = Field(..., examples=["120.00"], description="Decimal, in the currency.")
    refunds: str
    net: str
    previous_net: str = Field(..., description="Net over the previous period.")


class KpisOut(Schema):
    from_: date = Field(..., alias="from")
    to: date
    previous_from: date
    previous_to: date
    kpis: list[KpiOut]
    money: list[MoneyTotalOut] = Field(..., description="One row per currency, never summed.")
    utilisation: float | None = Field(
        ..., description="Booked / offered hours of the teachers in scope; null: none offered."
    )


def _kpi(kpi: analytics.Kpi) -> dict:
    def num(v):
        return None if v is None else float(v)

    return {
        "key": kpi.key,
        "value": num(kpi.value),
        "previous": num(kpi.previous),
        "change": kpi.change,
    }


@router.get(
    "/analytics/kpis",
    response={200: KpisOut, **errors(403, 404)},
    auth=auth_for(),
    by_alias=True,
)
def retrieve_analytics_kpis(request, filters: Query[AnalyticsFilter]):
    """Headline figures of the period with the previous period's: engagement (active people,
    lessons delivered, messages …), learning (enrolments, late cancellations, no-shows), money per
    currency and utilisation. Admins: the school (or the course / teacher filtered); a teacher: their
    own. A fixed number of queries whatever the data size."""
    scope, period = _read(request, filters)
    kw = {"course_id": filters.course_id, "teacher_id": filters.teacher_id}
    engagement = analytics.engagement_summary(viewer=scope, period=period)
    # The KPIs only: no learning tables, no money rows beyond the totals, no seats.
    learning = analytics.learning_summary(
        viewer=scope, period=period, include_at_risk=False, tables=False, **kw
    )
    money = analytics.money_summary(viewer=scope, period=period, details=False, **kw)
    capacity = analytics.capacity_summary(viewer=scope, period=period, courses=False, **kw)
    previous = {r.currency: r for r in money.previous_totals}
    offered = sum((t.offered_hours for t in capacity.teachers), start=Decimal(0))
    booked = sum((t.booked_hours for t in capacity.teachers), start=Decimal(0))
    return {
        "from": period.start,
        "to": period.end,
        "previous_from": period.previous().start,
        "previous_to": period.previous().end,
        "kpis": [_kpi(k) for k in (*engagement.kpis.values(), *learning.kpis.values())],
        "money": [
            {
                "currency": r.currency,
                "gross": _money(r.gross),
                "refunds": _money(r.refunds),
                "net": _money(r.net),
                "previous_net": _money(previous[r.currency].net if r.currency in previous else 0),
            }
            for r in _in_currency(money.totals, filters)
        ],
        "utilisation": float(booked / offered) if offered else None,
    }


# --- series ---------------------------------------------------------------------------------------


class SeriesMetric(StrEnum):
    ACTIVE = "active"
    LESSONS_DELIVERED = "lessons_delivered"
    MESSAGES_SENT = "messages_sent"
    ENROLMENTS = "enrolments"
    GROSS = "gross"
    REFUNDS = "refunds"
    NET = "net"


class PointOut(Schema):
    day: date
    value: float
    currency: Currency | None = Field(..., description="Money metrics: the point's currency.")


class SeriesOut(Schema):
    metric: SeriesMetric
    from_: date = Field(..., alias="from")
    to: date
    points: list[PointOut] = Field(
        ..., description="One per day (money: one per day and currency with money that day)."
    )


@router.get(
    "/analytics/series/{metric}",
    response={200: SeriesOut, **errors(403, 404)},
    auth=auth_for(),
    by_alias=True,
)
def retrieve_analytics_series(
    request,
    filters: Query[AnalyticsFilter],
    metric: str = Path(..., description="One of: " + ", ".join(f"`{m}`" for m in SeriesMetric)),
):
    """One figure per school day of the period. `active`, `lessons_delivered` and `messages_sent`
    are the scope's engagement (course and teacher filters do not narrow them); `enrolments` follows
    the filters; `gross`, `refunds` and `net` are money per day and currency."""
    scope, period = _read(request, filters)
    metric = _named(SeriesMetric, metric)
    kw = {"course_id": filters.course_id, "teacher_id": filters.teacher_id}
    if metric in (SeriesMetric.GROSS, SeriesMetric.REFUNDS, SeriesMetric.NET):
        rows = analytics.money_summary(viewer=scope, period=period, **kw).by_day
        points = [
            {"day": r.key, "value": float(getattr(r, metric.value)), "currency": r.currency}
            for r in _in_currency(rows, filters)
        ]
    else:
        if metric == SeriesMetric.ENROLMENTS:
            series = analytics.learning_summary(
                viewer=scope, period=period, include_at_risk=False, **kw
            ).enrolments
        else:
            series = getattr(
                analytics.engagement_summary(viewer=scope, period=period), metric.value
            )
        points = [{"day": p.day, "value": float(p.value), "currency": None} for p in series.points]
    return {"metric": metric, "from": period.start, "to": period.end, "points": points}


# --- tables ---------------------------------------------------------------------------------------


class TableName(StrEnum):
    ATTENDANCE_STUDENTS = "attendance_students"
    ATTENDANCE_COURSES = "attendance_courses"
    ATTENDANCE_TEACHERS = "attendance_teachers"
    COURSE_PROGRESS = "course_progress"
    AT_RISK = "at_risk"
    REVENUE_BY_DAY = "revenue_by_day"
    REVENUE_BY_MONTH = "revenue_by_month"
    REVENUE_BY_COURSE = "revenue_by_course"
    REVENUE_BY_TEACHER = "revenue_by_teacher"
    REVENUE_BY_METHOD = "revenue_by_method"
    EARNINGS = "earnings"
    OUTSTANDING_INVOICES = "outstanding_invoices"
    CREDITS = "credits"
    CAPACITY = "capacity"
    COURSE_SEATS = "course_seats"


class TableOut(Schema):
    table: TableName
    from_: date = Field(..., alias="from")
    to: date
    count: int
    items: list[dict[str, Any]] = Field(
        ...,
        description="The table's rows. Attendance: `id`, `name`, `present`, `late`, `absent`, "
        "`excused`, `rate`; progress: `id` (course), `title`, `enrolled`, `modules`, `completed`, "
        "`progress`; revenue: `currency`, `key`, `label`, `gross`, `refunds`, `net` (decimals as "
        "strings, one row per currency); earnings: `id` (teacher), `name`, `currency`, `earned`, "
        "`paid_out`, `balance`; capacity: `id` (teacher), `name`, `offered_hours`, "
        "`booked_hours`, `utilisation`; seats: `id` (course), `title`, `capacity`, `filled`.",
    )


def _attendance(r: analytics.AttendanceRow) -> dict:
    return {
        "id": r.id,
        "name": r.name,
        "present": r.present,
        "late": r.late,
        "absent": r.absent,
        "excused": r.excused,
        "rate": r.rate,
    }


def _revenue(r: analytics.MoneyRow) -> dict:
    key = r.key.isoformat() if isinstance(r.key, date) else r.key
    return {
        "currency": r.currency,
        "key": key,
        "label": r.label,
        "gross": _money(r.gross),
        "refunds": _money(r.refunds),
        "net": _money(r.net),
    }


def _table_rows(table: TableName, scope, period: Period, filters: AnalyticsFilter) -> list[dict]:
    kw = {"course_id": filters.course_id, "teacher_id": filters.teacher_id}
    if table.value.startswith("attendance_") or table in (
        TableName.COURSE_PROGRESS,
        TableName.AT_RISK,
    ):
        learning = analytics.learning_summary(
            viewer=scope, period=period, include_at_risk=table == TableName.AT_RISK, **kw
        )
        if table == TableName.COURSE_PROGRESS:
            return [
                {
                    "id": c.course_id,
                    "title": c.title,
                    "enrolled": c.enrolled,
                    "modules": c.modules,
                    "completed": c.completed,
                    "progress": c.progress,
                }
                for c in learning.courses
            ]
        if table == TableName.AT_RISK:
            return [
                {
                    "id": s.student_id,
                    "name": s.name,
                    "last_lesson": s.last_lesson.isoformat() if s.last_lesson else None,
                    "last_seen": s.last_seen.isoformat() if s.last_seen else None,
                    "inactive": s.inactive,
                    "falling_attendance": s.falling_attendance,
                }
                for s in learning.at_risk
            ]
        rows = getattr(learning, table.value.replace("attendance_", "attendance_by_")[:-1])
        return [_attendance(r) for r in rows]
    if table in (TableName.CAPACITY, TableName.COURSE_SEATS):
        capacity = analytics.capacity_summary(viewer=scope, period=period, **kw)
        if table == TableName.CAPACITY:
            return [
                {
                    "id": t.teacher_id,
                    "name": t.name,
                    "offered_hours": f"{t.offered_hours:.2f}",
                    "booked_hours": f"{t.booked_hours:.2f}",
                    "utilisation": t.utilisation,
                }
                for t in capacity.teachers
            ]
        return [
            {"id": c.course_id, "title": c.title, "capacity": c.capacity, "filled": c.filled}
            for c in capacity.courses
        ]
    money = analytics.money_summary(viewer=scope, period=period, **kw)
    if table == TableName.EARNINGS:
        return [
            {
                "id": e.teacher_id,
                "name": e.name,
                "currency": e.currency,
                "earned": _money(e.earned),
                "paid_out": _money(e.paid_out),
                "balance": _money(e.balance),
            }
            for e in _in_currency(money.earnings, filters)
        ]
    if table == TableName.OUTSTANDING_INVOICES:
        return [
            {"currency": o.currency, "count": o.count, "total": _money(o.total)}
            for o in _in_currency(money.outstanding, filters)
        ]
    if table == TableName.CREDITS:
        return [
            {"currency": c.currency, "sold": c.sold, "used": c.used}
            for c in _in_currency(money.credits, filters)
        ]
    rows = getattr(money, table.value.replace("revenue_", ""))
    return [_revenue(r) for r in _in_currency(rows, filters)]


@router.get(
    "/analytics/tables/{table}",
    response={200: TableOut, **errors(403, 404)},
    auth=auth_for(),
    by_alias=True,
)
def retrieve_analytics_table(
    request,
    filters: Query[AnalyticsFilter],
    table: str = Path(..., description="One of: " + ", ".join(f"`{t}`" for t in TableName)),
):
    """The rows of one report table for the period (the admin dashboard's reports, as JSON). Not
    paginated: a table has a row per student, course, teacher, currency or day of the period (at
    most 366 days), and is read in a fixed number of queries."""
    scope, period = _read(request, filters)
    table = _named(TableName, table)
    items = _table_rows(table, scope, period, filters)
    return {
        "table": table,
        "from": period.start,
        "to": period.end,
        "count": len(items),
        "items": items,
    }
