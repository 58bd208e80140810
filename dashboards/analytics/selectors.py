"""Analytics reads: engagement, learning, money and capacity for a `Period`, narrowed to what the
viewer may see (`scope.py`). Each selector runs a fixed number of SQL queries whatever the data size:
aggregations happen in SQL, grouped by day in the school zone (`TruncDate(..., tzinfo=school_zone())`);
Python only folds the few grouped rows. Results are plain frozen dataclasses.

Money is ALWAYS per currency: no figure adds amounts of two currencies. Money is read from billing's
models (not its services): gross = payments received (card and transfer; credit payments move
credits, not money) on their day; refunds = refunds given back on their day; net = gross − refunds.

Past school days of the admin's engagement figures come from `DailyRollup` (kept by the rollup task);
today is computed live."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from postman.models import Message

from authentication.choices import Role
from authentication.models import User
from billing.choices import (
    InvoiceKind,
    InvoiceStatus,
    LedgerCause,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
    SubscriptionStatus,
)
from billing.models import CreditEntry, EarningEntry, Invoice, Payment, Payout, Refund, Subscription
from classroom.choices import AttendanceStatus, LessonStatus
from classroom.models import (
    Attendance,
    AvailabilityException,
    AvailabilityRule,
    HomeworkDone,
    Lesson,
    LessonSeat,
    TeacherProfile,
)
from classroom.scheduling.wallclock import local_dates, local_to_utc, zone
from courses.choices import SEAT_STATUSES, CourseStatus, EnrollmentStatus
from courses.models import Course, Enrollment
from inbox.models import RoomMessage

from ..models import DailyActive, DailyCounter, DailyRollup
from .periods import Period, day_start, school_today, school_zone
from .scope import ADMIN, Scope, scope_for

ZERO = Decimal("0.00")
DOWNLOAD_KEY = "download"
PAGEVIEW_KEY = "pageview"
# Statuses of a payment whose money came in (a later refund is a Refund row, not a status change
# that erases the income).
RECEIVED = (
    PaymentStatus.SUCCEEDED,
    PaymentStatus.REFUNDED,
    PaymentStatus.PARTIALLY_REFUNDED,
    PaymentStatus.DISPUTED,
)
MONEY_METHODS = (PaymentMethod.STRIPE, PaymentMethod.MANUAL)
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def at_risk_days() -> int:
    return int(getattr(settings, "ANALYTICS_AT_RISK_DAYS", 14))


# Results --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    day: date
    value: int | Decimal


@dataclass(frozen=True)
class Series:
    """One value per day of the period, every day present (zero when nothing happened)."""

    key: str
    points: tuple[Point, ...]

    @property
    def total(self):
        return sum((p.value for p in self.points), start=0)


@dataclass(frozen=True)
class Kpi:
    """A headline figure and the same figure over the previous period."""

    key: str
    value: int | Decimal | float | None
    previous: int | Decimal | float | None

    @property
    def change(self) -> float | None:
        """Relative change (0.25 = +25 %); None when there is nothing to compare with."""
        if self.value is None or not self.previous:
            return None
        return float(self.value - self.previous) / float(self.previous)


@dataclass(frozen=True)
class Engagement:
    period: Period
    signups: dict[str, Series]  # role → sign-ups per day (admins only; empty for others)
    active: Series  # people active per day
    dau: int  # active on the period's last day
    wau: int  # active in the 7 days up to its last day
    mau: int  # active in the 30 days up to its last day
    lessons_delivered: Series
    attendance_rate: float | None  # present or late / attendance recorded; None when none recorded
    messages_sent: Series  # direct messages + room messages
    downloads: Series | None  # school-wide counters: None for a non-admin
    page_views: Series | None
    kpis: dict[str, Kpi] = field(default_factory=dict)


@dataclass(frozen=True)
class CourseProgress:
    course_id: int
    title: str
    enrolled: int  # active enrolments
    modules: int
    completed: int  # active enrolments with every module done
    progress: float | None  # modules done / (enrolled × modules)

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.enrolled if self.enrolled else None


@dataclass(frozen=True)
class AttendanceRow:
    """Attendance recorded for lessons in the period, for one student, course or teacher (user id)."""

    id: int
    name: str
    present: int = 0
    late: int = 0
    absent: int = 0
    excused: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.late + self.absent + self.excused

    @property
    def rate(self) -> float | None:
        return (self.present + self.late) / self.recorded if self.recorded else None


@dataclass(frozen=True)
class AtRiskStudent:
    student_id: int
    name: str
    last_lesson: datetime | None
    last_seen: date | None
    inactive: bool  # no lesson and no sign-in for ANALYTICS_AT_RISK_DAYS days
    falling_attendance: bool  # attendance rate of the last N days well below the N days before
    rate_recent: float | None
    rate_before: float | None


@dataclass(frozen=True)
class Learning:
    period: Period
    enrolments: Series  # enrolments made per day
    courses: tuple[CourseProgress, ...]
    attendance_by_student: tuple[AttendanceRow, ...]
    attendance_by_course: tuple[AttendanceRow, ...]
    attendance_by_teacher: tuple[AttendanceRow, ...]
    late_cancellations: int
    no_shows: int
    cancellations: int
    homework_set: int
    homework_done: int  # students' "done" marks made in the period, on lessons in scope
    at_risk: tuple[AtRiskStudent, ...]
    kpis: dict[str, Kpi] = field(default_factory=dict)


@dataclass(frozen=True)
class MoneyRow:
    """Money in one currency for one key (a currency total, a day, a month, a course, a teacher or
    a payment method)."""

    currency: str
    key: str | int | date
    label: str
    gross: Decimal = ZERO
    refunds: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.gross - self.refunds


@dataclass(frozen=True)
class Outstanding:
    currency: str
    count: int
    total: Decimal


@dataclass(frozen=True)
class Credits:
    """Lesson credits in one currency over the period: bought or granted, and used on lessons (net of
    credits returned for cancelled lessons)."""

    currency: str
    sold: int
    used: int


@dataclass(frozen=True)
class Subscriptions:
    active: int
    paused: int
    past_due: int
    cancelled: int  # all cancelled ever
    cancelled_in_period: int
    live_at_start: int

    @property
    def churn(self) -> float | None:
        """Cancelled in the period / live at its start."""
        return self.cancelled_in_period / self.live_at_start if self.live_at_start else None


@dataclass(frozen=True)
class Earnings:
    """A teacher's earnings (net of commission, refunds included) and payouts in one currency over
    the period, and what is still owed overall."""

    teacher_id: int
    name: str
    currency: str
    earned: Decimal
    paid_out: Decimal
    balance: Decimal  # all earnings − all payouts, whatever the period


@dataclass(frozen=True)
class Money:
    period: Period
    totals: tuple[MoneyRow, ...]  # one per currency
    by_day: tuple[MoneyRow, ...]  # every day × currency seen in the period
    by_month: tuple[MoneyRow, ...]
    by_course: tuple[MoneyRow, ...]
    by_teacher: tuple[MoneyRow, ...]
    by_method: tuple[MoneyRow, ...]
    outstanding: tuple[Outstanding, ...]
    credits: tuple[Credits, ...]
    subscriptions: Subscriptions | None  # admins only
    earnings: tuple[Earnings, ...]
    previous_totals: tuple[MoneyRow, ...] = ()

    @property
    def currencies(self) -> list[str]:
        return sorted({row.currency for row in self.totals})


@dataclass(frozen=True)
class TeacherCapacity:
    teacher_id: int  # the teacher's user id
    name: str
    offered_hours: Decimal
    booked_hours: Decimal

    @property
    def utilisation(self) -> float | None:
        return float(self.booked_hours / self.offered_hours) if self.offered_hours else None


@dataclass(frozen=True)
class CourseSeats:
    course_id: int
    title: str
    capacity: int | None
    filled: int

    @property
    def fill_rate(self) -> float | None:
        return self.filled / self.capacity if self.capacity else None


@dataclass(frozen=True)
class Capacity:
    period: Period
    teachers: tuple[TeacherCapacity, ...]
    courses: tuple[CourseSeats, ...]


# Scope filters --------------------------------------------------------------------------------------

NOTHING = Q(pk__in=[])


def _as_scope(viewer) -> Scope:
    return viewer if isinstance(viewer, Scope) else scope_for(viewer)


def _teacher_courses(scope: Scope):
    return Course.objects.filter(
        Q(owner_id=scope.user_id)
        | Q(pk__in=Course.teachers.through.objects.filter(user_id=scope.user_id).values("course"))
    ).values("pk")


def _lesson_q(scope: Scope, prefix: str = "") -> Q:
    """Lessons the scope sees: all; the teacher's; the learners' (1:1 or a live seat)."""
    if scope.is_admin:
        return Q()
    if scope.is_teacher:
        return Q(**{f"{prefix}teacher_id": scope.teacher_profile_id})
    if scope.student_ids:
        seated = Lesson.objects.filter(
            seats__student_id__in=scope.student_ids, seats__cancelled_at__isnull=True
        ).values("pk")
        return Q(**{f"{prefix}student_id__in": scope.student_ids}) | Q(
            **{f"{prefix}pk__in": seated}
        )
    return NOTHING


def _attendance_q(scope: Scope) -> Q:
    """Attendance rows the scope sees: all; of the teacher's lessons; the learners' own."""
    if scope.is_admin or scope.is_teacher:
        return _lesson_q(scope, "lesson__")
    if scope.student_ids:
        return Q(student_id__in=scope.student_ids)
    return NOTHING


def _student_q(scope: Scope, field_name: str) -> Q:
    """People the scope sees, through `field_name` (a user foreign key or "pk")."""
    if scope.is_admin:
        return Q()
    if scope.is_teacher:
        # Three IN subqueries (each an index lookup), not one join of lessons x seats x enrolments
        # (a million rows on the large seed).
        tp = scope.teacher_profile_id
        return (
            Q(**{f"{field_name}__in": Lesson.objects.filter(teacher_id=tp).values("student_id")})
            | Q(
                **{
                    f"{field_name}__in": LessonSeat.objects.filter(lesson__teacher_id=tp).values(
                        "student_id"
                    )
                }
            )
            | Q(
                **{
                    f"{field_name}__in": Enrollment.objects.filter(
                        course__in=_teacher_courses(scope)
                    ).values("student_id")
                }
            )
        )
    if scope.student_ids:
        return Q(**{f"{field_name}__in": scope.student_ids})
    return NOTHING


def _scope_student_ids(scope: Scope) -> list[int]:
    """The ids of the students a teacher or a family sees (one query; none for an admin's scope,
    which sees everyone, or a scope that sees nobody)."""
    if scope.is_teacher:
        tp = scope.teacher_profile_id
        ids = (
            Lesson.objects.filter(teacher_id=tp, student_id__isnull=False)
            .values_list("student_id", flat=True)
            .union(
                LessonSeat.objects.filter(lesson__teacher_id=tp).values_list(
                    "student_id", flat=True
                ),
                Enrollment.objects.filter(course__in=_teacher_courses(scope)).values_list(
                    "student_id", flat=True
                ),
            )
        )
        return list(ids)
    return list(scope.student_ids or ())


def _course_q(scope: Scope, prefix: str = "") -> Q:
    if scope.is_admin:
        return Q()
    if scope.is_teacher:
        return Q(**{f"{prefix}pk__in": _teacher_courses(scope)})
    if scope.student_ids:
        enrolled = Enrollment.objects.filter(student_id__in=scope.student_ids).values("course")
        return Q(**{f"{prefix}pk__in": enrolled})
    return NOTHING


def _order_q(scope: Scope, prefix: str) -> Q:
    """Money the scope sees, through the order at `prefix` ("order__", "payment__order__")."""
    if scope.is_admin:
        return Q()
    if scope.is_teacher:
        return Q(**{f"{prefix}teacher_id": scope.user_id})
    if scope.user_id:
        return Q(**{f"{prefix}payer_id": scope.user_id}) | Q(
            **{f"{prefix}student_id__in": scope.student_ids}
        )
    return NOTHING


def _filters_q(prefix: str, *, course_id=None, teacher_id=None, teacher_field="teacher_id") -> Q:
    q = Q()
    if course_id is not None:
        q &= Q(**{f"{prefix}course_id": course_id})
    if teacher_id is not None:
        q &= Q(**{f"{prefix}{teacher_field}": teacher_id})
    return q


# Helpers --------------------------------------------------------------------------------------------


def _day(field_name: str):
    return TruncDate(field_name, tzinfo=school_zone())


def _series(key: str, period: Period, values: dict) -> Series:
    return Series(key, tuple(Point(d, values.get(d, 0)) for d in period.dates()))


def _span(period: Period) -> Period:
    """The period and the one before it, read in one query and split in Python."""
    return Period(period.previous().start, period.end)


def _daily(qs, field_name: str, span: Period, *extra: str, value=None, **more) -> list[dict]:
    """Rows {day, *extra, n, **more} of `qs` grouped by school day of `field_name` (and `extra`):
    `n` counts rows unless `value` says otherwise; `more` are further aggregates."""
    return list(
        qs.filter(**{f"{field_name}__gte": span.since, f"{field_name}__lt": span.until})
        .annotate(day=_day(field_name))
        .values("day", *extra)
        .annotate(n=value if value is not None else Count("pk"), **more)
        .order_by()
    )


def _sum_in(values: dict, period: Period):
    return sum((v for d, v in values.items() if period.contains(d)), start=0)


def _name(first: str, last: str, display: str, email: str) -> str:
    return display or f"{first} {last}".strip() or email


NAME_FIELDS = ("first_name", "last_name", "display_name", "email")


def _user_names(ids) -> dict[int, str]:
    return {
        row["pk"]: _name(*(row[f] for f in NAME_FIELDS))
        for row in User.objects.filter(pk__in=set(ids)).values("pk", *NAME_FIELDS)
    }


# Engagement -----------------------------------------------------------------------------------------

ROLLED_UP = ("signups", "lessons_delivered", "messages", "attendance")


def engagement_counts(scope: Scope, span: Period) -> dict[tuple[str, str], dict[date, int]]:
    """Per-day counts of the rolled-up engagement metrics over `span`, live from the raw tables:
    {(metric, key): {day: n}}; attendance as ("attendance", "recorded") and ("attendance",
    "attended"), on the lesson's day. The rollup task stores the admin's; other viewers always read
    live. Five queries."""
    out: dict[tuple[str, str], dict[date, int]] = defaultdict(dict)
    if scope.is_admin:
        for row in _daily(
            User.objects.filter(groups__name__in=Role.values),
            "date_joined",
            span,
            "groups__name",
            value=Count("pk", distinct=True),
        ):
            out[("signups", row["groups__name"])][row["day"]] = row["n"]
    lessons = Lesson.objects.filter(_lesson_q(scope), status=LessonStatus.COMPLETED)
    for row in _daily(lessons, "start", span):
        out[("lessons_delivered", "")][row["day"]] = row["n"]
    for row in _attendance_daily(scope, span):
        if row["recorded"]:
            out[("attendance", "recorded")][row["day"]] = row["recorded"]
            out[("attendance", "attended")][row["day"]] = row["n"] or 0
    senders = _student_q(scope, "sender_id") if not scope.is_teacher else Q(sender_id=scope.user_id)
    authors = _student_q(scope, "author_id") if not scope.is_teacher else Q(author_id=scope.user_id)
    for qs, name in (
        (Message.objects.filter(senders), "sent_at"),
        (RoomMessage.objects.filter(authors), "created_at"),
    ):
        for row in _daily(qs, name, span):
            bucket = out[("messages", "")]
            bucket[row["day"]] = bucket.get(row["day"], 0) + row["n"]
    return out


def _attendance_daily(scope: Scope, span: Period) -> list[dict]:
    """Rows {day, n: attended, recorded} of attendance by the school day of its lesson. The whole
    school's is read from the span's lessons, each counting its own rows through the (lesson,
    student) index: joining lessons to every attendance row made PostgreSQL scan all of them
    (400,000 in the large seed) for today's handful."""
    if not scope.is_admin:
        return _daily(
            Attendance.objects.filter(_attendance_q(scope)),
            "lesson__start",
            span,
            value=Count("pk", filter=Q(status__in=ATTENDED)),
            recorded=Count("pk"),
        )
    rows = Attendance.objects.filter(lesson=OuterRef("pk")).order_by().values("lesson")
    recorded = rows.annotate(c=Count("pk")).values("c")
    attended = rows.annotate(c=Count("pk", filter=Q(status__in=ATTENDED))).values("c")
    return _daily(
        Lesson.objects.annotate(
            rec=Subquery(recorded, output_field=IntegerField()),
            att=Subquery(attended, output_field=IntegerField()),
        ),
        "start",
        span,
        value=Sum("att"),
        recorded=Sum("rec"),
    )


# A DailyRollup row per day the rollups hold (value 1), data or not, keyed by the school zone the
# days were counted in: after a change of SCHOOL_TIME_ZONE the old days are computed live until
# `backfill_analytics` counts them again.
ROLLED_MARK = "rolled"


def _rolled(span: Period, metrics: tuple[str, ...]) -> tuple[dict, Period | None]:
    """The rollups of `metrics` over `span` ({(metric, key): {day: value}}, one query) and the days
    still to compute live: from the first day the rollups do not hold (today, or an earlier day
    never rolled up, as on a fresh install before `backfill_analytics`) to the span's end. A school
    without rollups gets the right figures, computed live; with them, the same figures fast."""
    today = school_today()
    zone_name = school_zone().key
    out: dict[tuple[str, str], dict[date, object]] = defaultdict(dict)
    marked: set[date] = set()
    if span.start < today:
        for metric, key, day, value in DailyRollup.objects.filter(
            day__gte=span.start,
            day__lte=min(span.end, today - timedelta(days=1)),
            metric__in=(*metrics, ROLLED_MARK),
        ).values_list("metric", "key", "day", "value"):
            if metric == ROLLED_MARK:
                if key == zone_name:
                    marked.add(day)
            else:
                out[(metric, key)][day] = value
    first_missing = next((d for d in span.dates() if d not in marked), None)
    if first_missing is None:
        return out, None
    live = Period(first_missing, span.end)
    for days in out.values():
        for day in [d for d in days if live.contains(d)]:
            del days[day]
    return out, live


def _engagement_rolled(scope: Scope, span: Period) -> dict[tuple[str, str], dict[date, int]]:
    if not scope.is_admin:
        return engagement_counts(scope, span)
    rolled, live = _rolled(span, ROLLED_UP)
    out: dict[tuple[str, str], dict[date, int]] = defaultdict(dict)
    for metric, days in rolled.items():
        out[metric].update({day: int(value) for day, value in days.items()})
    if live:
        for metric, days in engagement_counts(scope, live).items():
            out[metric].update(days)
    return out


def engagement_summary(*, viewer, period: Period) -> Engagement:
    """Sign-ups by role (admins), people active per day and DAU / WAU / MAU, lessons delivered,
    attendance rate, messages sent, downloads and page views (school-wide counters, admins), with
    the previous period's figures as KPIs."""
    scope = _as_scope(viewer)
    span = _span(period)
    previous = period.previous()
    counts = _engagement_rolled(scope, span)

    active_days = Period(min(span.start, period.end - timedelta(days=29)), period.end)
    people = DailyActive.objects.filter(
        _student_q(scope, "user_id"),
        day__gte=active_days.start,
        day__lte=active_days.end,
    )
    active = {
        row["day"]: row["n"] for row in people.values("day").annotate(n=Count("user_id")).order_by()
    }
    windows = people.aggregate(
        dau=Count("user_id", distinct=True, filter=Q(day=period.end)),
        wau=Count("user_id", distinct=True, filter=Q(day__gt=period.end - timedelta(days=7))),
        mau=Count("user_id", distinct=True, filter=Q(day__gt=period.end - timedelta(days=30))),
    )

    recorded = counts.get(("attendance", "recorded"), {})
    attended = counts.get(("attendance", "attended"), {})

    def attendance_rate(p: Period) -> float | None:
        total = _sum_in(recorded, p)
        return _sum_in(attended, p) / total if total else None

    rate, rate_before = attendance_rate(period), attendance_rate(previous)

    downloads = page_views = None
    counters: dict[str, dict[date, int]] = defaultdict(dict)
    if scope.is_admin:
        for day, key, value in DailyCounter.objects.filter(
            day__gte=span.start, day__lte=span.end, key__in=(DOWNLOAD_KEY, PAGEVIEW_KEY)
        ).values_list("day", "key", "value"):
            counters[key][day] = value
        downloads = _series(DOWNLOAD_KEY, period, counters[DOWNLOAD_KEY])
        page_views = _series(PAGEVIEW_KEY, period, counters[PAGEVIEW_KEY])

    signups = {
        role: _series(role, period, counts.get(("signups", role), {}))
        for role in (Role.values if scope.is_admin else ())
    }
    lessons = counts.get(("lessons_delivered", ""), {})
    messages = counts.get(("messages", ""), {})
    signup_all = defaultdict(int)
    for role in Role.values:
        for day, n in counts.get(("signups", role), {}).items():
            signup_all[day] += n

    kpis = {
        "lessons_delivered": Kpi(
            "lessons_delivered", _sum_in(lessons, period), _sum_in(lessons, previous)
        ),
        "messages_sent": Kpi(
            "messages_sent", _sum_in(messages, period), _sum_in(messages, previous)
        ),
        "attendance_rate": Kpi("attendance_rate", rate, rate_before),
    }
    if scope.is_admin:
        kpis["signups"] = Kpi("signups", _sum_in(signup_all, period), _sum_in(signup_all, previous))
        kpis["downloads"] = Kpi(
            "downloads",
            _sum_in(counters[DOWNLOAD_KEY], period),
            _sum_in(counters[DOWNLOAD_KEY], previous),
        )
        kpis["page_views"] = Kpi(
            "page_views",
            _sum_in(counters[PAGEVIEW_KEY], period),
            _sum_in(counters[PAGEVIEW_KEY], previous),
        )
    return Engagement(
        period=period,
        signups=signups,
        active=_series("active", period, active),
        dau=windows["dau"],
        wau=windows["wau"],
        mau=windows["mau"],
        lessons_delivered=_series("lessons_delivered", period, lessons),
        attendance_rate=rate,
        messages_sent=_series("messages_sent", period, messages),
        downloads=downloads,
        page_views=page_views,
        kpis=kpis,
    )


# Learning -------------------------------------------------------------------------------------------


def learning_summary(
    *,
    viewer,
    period: Period,
    course_id: int | None = None,
    teacher_id: int | None = None,
    include_at_risk: bool = True,
    tables: bool = True,
) -> Learning:
    """Enrolments, progress and completion per course, attendance per student / course / teacher,
    late cancellations and no-shows, homework set and done, and students at risk. `teacher_id` is the
    teacher's user id. A fixed number of queries; `include_at_risk=False` skips the at-risk list
    (the heaviest part at scale: it looks at every student); `tables=False` skips the per-course
    progress and the attendance tables (a row per active enrolment and per student at scale) for
    a caller that shows only the KPIs and the enrolment series (the admin dashboard)."""
    scope = _as_scope(viewer)
    span = _span(period)
    previous = period.previous()

    enrolments_qs = Enrollment.objects.filter(
        _course_q(scope, "course__"),
        _student_q(scope, "student_id") if not scope.is_teacher else Q(),
    )
    if course_id is not None:
        enrolments_qs = enrolments_qs.filter(course_id=course_id)
    if teacher_id is not None:
        enrolments_qs = enrolments_qs.filter(
            Q(course__owner_id=teacher_id) | Q(course__teachers=teacher_id)
        ).distinct()
    enrolled = {row["day"]: row["n"] for row in _daily(enrolments_qs, "created_at", span)}

    # Progress: one row per active enrolment (its course and modules done), one per course.
    done_rows = (
        list(
            enrolments_qs.filter(status=EnrollmentStatus.ACTIVE)
            .annotate(done=Count("module_completions", distinct=True))
            .values_list("course_id", "done")
            .order_by()
        )
        if tables
        else []
    )
    course_ids = {c for c, _ in done_rows}
    courses = (
        {
            row["pk"]: row
            for row in Course.objects.filter(pk__in=course_ids)
            .annotate(n_modules=Count("modules", distinct=True))
            .values("pk", "title", "n_modules")
        }
        if tables
        else {}
    )
    per_course: dict[int, list[int]] = defaultdict(list)
    for course, done in done_rows:
        per_course[course].append(done)
    progress = tuple(
        sorted(
            (
                CourseProgress(
                    course_id=cid,
                    title=courses[cid]["title"],
                    enrolled=len(dones),
                    modules=courses[cid]["n_modules"],
                    completed=sum(
                        1
                        for d in dones
                        if courses[cid]["n_modules"] and d >= courses[cid]["n_modules"]
                    ),
                    progress=(
                        sum(min(d, courses[cid]["n_modules"]) for d in dones)
                        / (len(dones) * courses[cid]["n_modules"])
                        if courses[cid]["n_modules"]
                        else None
                    ),
                )
                for cid, dones in per_course.items()
            ),
            key=lambda c: (c.title, c.course_id),
        )
    )

    # Attendance for lessons in the period, folded three ways.
    lesson_filter = _filters_q(
        "lesson__", course_id=course_id, teacher_id=teacher_id, teacher_field="teacher__user_id"
    )
    att_rows = (
        list(
            Attendance.objects.filter(
                _attendance_q(scope),
                lesson_filter,
                lesson__start__gte=period.since,
                lesson__start__lt=period.until,
            )
            .values("student_id", "lesson__course_id", "lesson__teacher__user_id", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if tables
        else []
    )
    folds: dict[str, dict[int, dict[str, int]]] = {
        "student": defaultdict(lambda: defaultdict(int)),
        "course": defaultdict(lambda: defaultdict(int)),
        "teacher": defaultdict(lambda: defaultdict(int)),
    }
    for row in att_rows:
        folds["student"][row["student_id"]][row["status"]] += row["n"]
        if row["lesson__course_id"] is not None:
            folds["course"][row["lesson__course_id"]][row["status"]] += row["n"]
        folds["teacher"][row["lesson__teacher__user_id"]][row["status"]] += row["n"]
    names = _user_names(set(folds["student"]) | set(folds["teacher"])) if tables else {}
    titles = (
        dict(Course.objects.filter(pk__in=set(folds["course"])).values_list("pk", "title"))
        if tables
        else {}
    )

    def rows(fold, labels):
        return tuple(
            sorted(
                (
                    AttendanceRow(
                        id=key,
                        name=labels.get(key, ""),
                        present=counts[AttendanceStatus.PRESENT],
                        late=counts[AttendanceStatus.LATE],
                        absent=counts[AttendanceStatus.ABSENT],
                        excused=counts[AttendanceStatus.EXCUSED],
                    )
                    for key, counts in fold.items()
                ),
                key=lambda r: (r.name, r.id),
            )
        )

    lessons = Lesson.objects.filter(
        _lesson_q(scope),
        _filters_q(
            "", course_id=course_id, teacher_id=teacher_id, teacher_field="teacher__user_id"
        ),
        start__gte=span.since,
        start__lt=span.until,
    )
    now = Q(start__gte=period.since)
    figures = lessons.aggregate(
        late=Count("pk", filter=now & Q(status=LessonStatus.CANCELLED, cancelled_late=True)),
        cancelled=Count("pk", filter=now & Q(status=LessonStatus.CANCELLED)),
        no_shows=Count("pk", filter=now & Q(status=LessonStatus.NO_SHOW)),
        no_shows_before=Count("pk", filter=~now & Q(status=LessonStatus.NO_SHOW)),
        # (not named "homework": a later filter on the field would read the aggregate instead)
        homework_now=Count("pk", filter=now & ~Q(homework="")),
        homework_before=Count("pk", filter=~now & ~Q(homework="")),
        late_before=Count(
            "pk", filter=~now & Q(status=LessonStatus.CANCELLED, cancelled_late=True)
        ),
    )
    # Homework the learners marked done in the period (whenever the lesson was), per student.
    done = HomeworkDone.objects.filter(
        _attendance_q(scope), lesson_filter, done_at__gte=span.since, done_at__lt=span.until
    ).aggregate(
        now=Count("pk", filter=Q(done_at__gte=period.since)),
        before=Count("pk", filter=Q(done_at__lt=period.since)),
    )
    return Learning(
        period=period,
        enrolments=_series("enrolments", period, enrolled),
        courses=progress,
        attendance_by_student=rows(folds["student"], names),
        attendance_by_course=rows(folds["course"], titles),
        attendance_by_teacher=rows(folds["teacher"], names),
        late_cancellations=figures["late"],
        no_shows=figures["no_shows"],
        cancellations=figures["cancelled"],
        homework_set=figures["homework_now"],
        homework_done=done["now"],
        at_risk=students_at_risk(viewer=scope, today=period.end) if include_at_risk else (),
        kpis={
            "enrolments": Kpi("enrolments", _sum_in(enrolled, period), _sum_in(enrolled, previous)),
            "late_cancellations": Kpi(
                "late_cancellations", figures["late"], figures["late_before"]
            ),
            "no_shows": Kpi("no_shows", figures["no_shows"], figures["no_shows_before"]),
            "homework_set": Kpi(
                "homework_set", figures["homework_now"], figures["homework_before"]
            ),
            "homework_done": Kpi("homework_done", done["now"], done["before"]),
        },
    )


FALLING_BY = 0.25  # a drop of 25 points of attendance rate counts as falling


def _at_risk_sets(scope: Scope, today: date):
    """Students at risk on `today`, set-based (no per-student lookup): the candidates (a live
    enrolment or a lesson in the last 2N days) as a pk subquery, the "no lesson and no sign-in for
    N days" test as a Q of anti-joins, and the attendance rates of the candidates possibly falling
    (one grouped query with HAVING). The HAVING bound is looser than the rule (24 points instead
    of 25, in integers) so that no student the float test `_falling` accepts is lost; `_falling`
    then decides on those few rows."""
    n = at_risk_days()
    end = Period(today, today).until
    cut = end - timedelta(days=n)
    cut2 = end - timedelta(days=2 * n)
    mine = None
    if not scope.is_admin:
        # A teacher's or a family's students are few: their ids first, so that every test below is
        # an index lookup per student instead of a pass over the whole school.
        mine = _scope_student_ids(scope)
    students = (
        User.objects.filter(
            Q() if mine is None else Q(pk__in=mine),
            groups__name=Role.STUDENT,
            is_active=True,
        )
        .filter(
            Q(
                pk__in=Enrollment.objects.filter(
                    Q() if mine is None else Q(student_id__in=mine),
                    status=EnrollmentStatus.ACTIVE,
                ).values("student_id")
            )
            | Exists(
                Lesson.objects.filter(student_id=OuterRef("pk"), start__gte=cut2, start__lt=end)
            )
            | Exists(
                Lesson.objects.filter(
                    seats__student_id=OuterRef("pk"), start__gte=cut2, start__lt=end
                )
            )
        )
        .values("pk")
    )
    if mine is not None:
        students = list(students.values_list("pk", flat=True)) if mine else []
    recent_done = Q(status=LessonStatus.COMPLETED, start__gte=cut, start__lt=end)
    inactive = (
        ~Exists(Lesson.objects.filter(recent_done, student_id=OuterRef("pk")))
        & ~Exists(
            Lesson.objects.filter(
                recent_done, seats__student_id=OuterRef("pk"), seats__cancelled_at__isnull=True
            )
        )
        & ~Exists(
            DailyActive.objects.filter(
                user_id=OuterRef("pk"), day__gt=today - timedelta(days=n), day__lte=today
            )
        )
        # the last sign-in's school day is N days ago or earlier
        & (Q(last_login__isnull=True) | Q(last_login__lt=day_start(today - timedelta(days=n - 1))))
    )
    maybe_falling = _attendance_rates(students, cut, cut2, end).filter(
        recent_all__gt=0,
        before_all__gt=0,
        slack__gte=24 * F("before_all") * F("recent_all"),
    )
    return students, inactive, maybe_falling


def _falling(counts) -> tuple[bool, float | None, float | None]:
    recent_all, before_all = counts.get("recent_all", 0), counts.get("before_all", 0)
    rate_recent = counts["recent_came"] / recent_all if recent_all else None
    rate_before = counts["before_came"] / before_all if before_all else None
    falling = (
        rate_recent is not None
        and rate_before is not None
        and rate_before - rate_recent >= FALLING_BY
    )
    return falling, rate_recent, rate_before


def _attendance_rates(students, cut: datetime, cut2: datetime, end: datetime):
    """Per student: attendance rows of the last N days and the N days before, and those attended
    (one grouped query)."""
    in_recent = Q(lesson__start__gte=cut)
    in_before = Q(lesson__start__lt=cut)
    came = Q(status__in=ATTENDED)
    return (
        Attendance.objects.filter(
            student_id__in=students, lesson__start__gte=cut2, lesson__start__lt=end
        )
        .values("student_id")
        .annotate(
            recent_all=Count("pk", filter=in_recent),
            recent_came=Count("pk", filter=in_recent & came),
            before_all=Count("pk", filter=in_before),
            before_came=Count("pk", filter=in_before & came),
        )
        .annotate(
            slack=100 * (F("before_came") * F("recent_all") - F("recent_came") * F("before_all"))
        )
        .order_by()
    )


def count_students_at_risk(*, viewer, today: date | None = None) -> int:
    """How many students `students_at_risk` lists, in at most three queries whatever the number of
    students (the few whose attendance may be falling; a COUNT of the inactive ones, as anti-joins;
    how many of the falling ones are also inactive): the dashboard's tile."""
    scope = _as_scope(viewer)
    today = today or school_today()
    students, idle, maybe_falling = _at_risk_sets(scope, today)
    falling = [
        row["student_id"]
        for row in maybe_falling.values(
            "student_id", "recent_all", "recent_came", "before_all", "before_came"
        )
        if _falling(row)[0]
    ]
    inactive = User.objects.filter(idle, pk__in=students)
    both = inactive.filter(pk__in=falling).count() if falling else 0
    return inactive.count() + len(falling) - both


def students_at_risk(*, viewer, today: date | None = None) -> tuple[AtRiskStudent, ...]:
    """Students (with a live enrolment or a lesson in the last 2N days) with no lesson and no
    activity for N days (`ANALYTICS_AT_RISK_DAYS`), or whose attendance over the last N days fell
    at least 25 points below the N days before. Two queries whatever the number of students,
    set-based (`_at_risk_sets`): the students at risk with their last lesson and last activity
    (looked up by index for those rows only), and the attendance rates grouped per student."""
    scope = _as_scope(viewer)
    today = today or school_today()
    n = at_risk_days()
    end = Period(today, today).until
    cut = end - timedelta(days=n)
    cut2 = end - timedelta(days=2 * n)
    students, idle, _ = _at_risk_sets(scope, today)
    rates = {
        row["student_id"]: row
        for row in _attendance_rates(students, cut, cut2, end).values(
            "student_id", "recent_all", "recent_came", "before_all", "before_came"
        )
    }
    falling_ids = [pk for pk, row in rates.items() if _falling(row)[0]]
    done = Q(status=LessonStatus.COMPLETED, start__lt=end)
    rows = (
        # the inactive ones as their own subquery, so that the NOT EXISTS stay anti-joins
        User.objects.filter(
            Q(pk__in=User.objects.filter(idle, pk__in=students).values("pk"))
            | Q(pk__in=falling_ids)
        )
        .annotate(
            last_private=Subquery(
                Lesson.objects.filter(done, student_id=OuterRef("pk"))
                .order_by("-start")
                .values("start")[:1]
            ),
            last_group=Subquery(
                Lesson.objects.filter(
                    done, seats__student_id=OuterRef("pk"), seats__cancelled_at__isnull=True
                )
                .order_by("-start")
                .values("start")[:1]
            ),
            last_seen=Subquery(
                DailyActive.objects.filter(user_id=OuterRef("pk"), day__lte=today)
                .order_by("-day")
                .values("day")[:1]
            ),
        )
        .values("pk", "last_login", "last_private", "last_group", "last_seen", *NAME_FIELDS)
        .order_by()
    )
    out = []
    for row in rows:
        last_login_day = (
            row["last_login"].astimezone(school_zone()).date() if row["last_login"] else None
        )
        seen = max((d for d in (row["last_seen"], last_login_day) if d), default=None)
        last = max((t for t in (row["last_private"], row["last_group"]) if t), default=None)
        recent_lesson = last is not None and last >= cut
        inactive = not recent_lesson and (seen is None or seen <= today - timedelta(days=n))
        falling, rate_recent, rate_before = _falling(rates.get(row["pk"], {}))
        if inactive or falling:
            out.append(
                AtRiskStudent(
                    student_id=row["pk"],
                    name=_name(*(row[f] for f in NAME_FIELDS)),
                    last_lesson=last,
                    last_seen=seen,
                    inactive=inactive,
                    falling_attendance=falling,
                    rate_recent=rate_recent,
                    rate_before=rate_before,
                )
            )
    return tuple(sorted(out, key=lambda s: (s.name, s.student_id)))


# Money ----------------------------------------------------------------------------------------------


MONEY_ROLLED_UP = ("gross", "refunds", "course_gross", "course_refunds")


def _course_key(course_id: int | None, currency: str) -> str:
    """A by-course rollup's key: the course id (empty: money not tied to a course) and currency."""
    return f"{course_id or ''}:{currency}"


def money_counts(span: Period) -> dict[tuple[str, str], dict[date, Decimal]]:
    """The school's money per day over `span`, live from the raw tables, as the rollups store it:
    ("gross" | "refunds", currency) and ("course_gross" | "course_refunds", "<course id>:<currency>")
    → {day: amount}. Four queries."""
    payments, refunds = _money_sources(Scope(ADMIN), None, None)
    out: dict[tuple[str, str], dict[date, Decimal]] = defaultdict(dict)
    for qs, field_name, metric, course in (
        (payments, "received_at", "gross", "order__course_id"),
        (refunds, "created_at", "refunds", "payment__order__course_id"),
    ):
        for row in _daily(qs, field_name, span, "currency", value=Sum("amount")):
            out[(metric, row["currency"])][row["day"]] = row["n"]
        for row in _daily(qs, field_name, span, course, "currency", value=Sum("amount")):
            key = _course_key(row[course], row["currency"])
            out[(f"course_{metric}", key)][row["day"]] = row["n"]
    return out


def _money_sources(scope: Scope, course_id, teacher_id):
    payments = Payment.objects.filter(
        _order_q(scope, "order__"),
        _filters_q("order__", course_id=course_id, teacher_id=teacher_id),
        status__in=RECEIVED,
        method__in=MONEY_METHODS,
    )
    refunds = Refund.objects.filter(
        _order_q(scope, "payment__order__"),
        _filters_q("payment__order__", course_id=course_id, teacher_id=teacher_id),
        status=RefundStatus.SUCCEEDED,
        payment__method__in=MONEY_METHODS,
    )
    return payments, refunds


def money_summary(
    *,
    viewer,
    period: Period,
    course_id: int | None = None,
    teacher_id: int | None = None,
    details: bool = True,
) -> Money:
    """Gross, refunds and net per currency by day, month, course, teacher and payment method;
    outstanding invoices; credits sold vs used; subscriptions (admins) and churn; teachers'
    earnings and payouts. A teacher sees the money of orders paying them and their own earnings
    only; a student or parent the payments they made or that were made for them. Thirteen queries.
    `details=False` (the dashboard): totals, days, months, courses and outstanding invoices only —
    no teacher or method rows, credits, subscriptions or earnings (seven queries)."""
    scope = _as_scope(viewer)
    span = _span(period)
    payments, refunds = _money_sources(scope, course_id, teacher_id)
    # The whole school's money (an admin, no course or teacher filter) is read from the rollups for
    # the past days and live for today; any narrower view is live.
    rolled = scope.is_admin and course_id is None and teacher_id is None
    live: Period | None = None
    live_counts: dict = {}

    # Per day and currency over this period and the one before (2 queries; from the rollups: one,
    # and four for the days they do not hold, today at least).
    day_gross: dict[tuple[date, str], Decimal] = defaultdict(lambda: ZERO)
    day_refunds: dict[tuple[date, str], Decimal] = defaultdict(lambda: ZERO)
    if rolled:
        by_metric = {"gross": day_gross, "refunds": day_refunds}
        counts, live = _rolled(span, tuple(by_metric))
        live_counts = money_counts(live) if live else {}
        for source in (counts, live_counts):
            for (metric, key), days in source.items():
                if metric in by_metric:
                    for day, value in days.items():
                        by_metric[metric][(day, key)] += value
    else:
        for row in _daily(payments, "received_at", span, "currency", value=Sum("amount")):
            day_gross[(row["day"], row["currency"])] += row["n"]
        for row in _daily(refunds, "created_at", span, "currency", value=Sum("amount")):
            day_refunds[(row["day"], row["currency"])] += row["n"]
    currencies = sorted({c for _, c in day_gross} | {c for _, c in day_refunds})

    def total(p: Period) -> tuple[MoneyRow, ...]:
        out = []
        for cur in currencies:
            gross = sum((v for (d, c), v in day_gross.items() if c == cur and p.contains(d)), ZERO)
            back = sum((v for (d, c), v in day_refunds.items() if c == cur and p.contains(d)), ZERO)
            if gross or back:
                out.append(MoneyRow(cur, cur, cur, gross, back))
        return tuple(out)

    totals = total(period)
    period_currencies = [row.currency for row in totals]
    by_day = tuple(
        MoneyRow(
            cur, d, d.isoformat(), day_gross.get((d, cur), ZERO), day_refunds.get((d, cur), ZERO)
        )
        for d in period.dates()
        for cur in period_currencies
    )
    months: dict[tuple[date, str], list[Decimal]] = {}
    for row in by_day:
        month = row.key.replace(day=1)
        acc = months.setdefault((month, row.currency), [ZERO, ZERO])
        acc[0] += row.gross
        acc[1] += row.refunds
    by_month = tuple(
        MoneyRow(cur, month, month.strftime("%Y-%m"), g, r)
        for (month, cur), (g, r) in sorted(months.items())
    )

    # By course, teacher and method in the period (2 queries), folded in Python.
    dims: dict[str, dict[tuple, list[Decimal]]] = {"course": {}, "teacher": {}, "method": {}}
    # Course titles come with the sums (a join), not from a second query naming every course id:
    # a list of thousands of ids costs more to send than the join.
    titles: dict[int, str] = {}

    def fold(rows, prefix, index):
        for row in rows:
            if row[f"{prefix}course_id"] is not None:
                titles[row[f"{prefix}course_id"]] = row[f"{prefix}course__title"]
            for dim, key in (
                ("course", row[f"{prefix}course_id"]),
                ("teacher", row.get(f"{prefix}teacher_id")),
                ("method", row.get("method")),
            ):
                if dim != "course" and not details:
                    continue
                acc = dims[dim].setdefault((key, row["currency"]), [ZERO, ZERO])
                acc[index] += row["n"]

    if rolled and not details:
        # The dashboard's courses: the rollups' sums over the period's past days, today's live
        # sums, then the titles of the courses that had money (2 queries).
        _courses_rolled(period, live, live_counts, dims["course"], titles)
    else:
        in_period = {"received_at__gte": period.since, "received_at__lt": period.until}
        paid_by = ("order__course_id", "order__course__title")
        if details:
            paid_by += ("order__teacher_id", "method")
        fold(
            payments.filter(**in_period)
            .values(*paid_by, "currency")
            .annotate(n=Sum("amount"))
            .order_by(),
            "order__",
            0,
        )
        refunded_by = ("payment__order__course_id", "payment__order__course__title")
        if details:
            refunded_by += ("payment__order__teacher_id", "method")
        fold(
            refunds.filter(created_at__gte=period.since, created_at__lt=period.until)
            .annotate(method=F("payment__method"))
            .values(*refunded_by, "currency")
            .annotate(n=Sum("amount"))
            .order_by(),
            "payment__order__",
            1,
        )

    # Outstanding invoices, credits, subscriptions, earnings and payouts.
    outstanding = tuple(
        Outstanding(row["currency"], row["n"], row["total"])
        for row in Invoice.objects.filter(
            _order_q(scope, "order__"),
            _filters_q("order__", course_id=course_id, teacher_id=teacher_id),
            kind=InvoiceKind.INVOICE,
            status=InvoiceStatus.OPEN,
        )
        .values("currency")
        .annotate(n=Count("pk"), total=Sum("total"))
        .order_by("currency")
    )
    if details:
        credits = _credits(scope, period, teacher_id)
        subscriptions = _subscriptions(period) if scope.is_admin else None
        earnings, earning_teachers = _earnings(scope, period, teacher_id)
    else:
        credits, subscriptions, earnings, earning_teachers = (), None, [], []

    names = _user_names({k for k, _ in dims["teacher"] if k is not None} | set(earning_teachers))
    method_labels = dict(PaymentMethod.choices)

    def rows(dim, labels) -> tuple[MoneyRow, ...]:
        return tuple(
            sorted(
                (
                    MoneyRow(cur, key, str(labels.get(key, "")) if key is not None else "", g, r)
                    for (key, cur), (g, r) in dims[dim].items()
                ),
                key=lambda m: (m.currency, m.label, str(m.key)),
            )
        )

    return Money(
        period=period,
        totals=totals,
        by_day=by_day,
        by_month=by_month,
        by_course=rows("course", titles),
        by_teacher=rows("teacher", names),
        by_method=rows("method", method_labels),
        outstanding=outstanding,
        credits=credits,
        subscriptions=subscriptions,
        earnings=tuple(
            Earnings(
                e.teacher_id,
                names.get(e.teacher_id, ""),
                e.currency,
                e.earned,
                e.paid_out,
                e.balance,
            )
            for e in earnings
        ),
        previous_totals=total(period.previous()),
    )


def _courses_rolled(period: Period, live: Period | None, live_counts, into: dict, titles: dict):
    """Fold the school's gross and refunds per (course, currency) over `period` into `into`
    ({(course_id, currency): [gross, refunds]}): the rollups' sums for the days before `live`,
    `live_counts` for the days from it; and the courses' titles into `titles`."""
    index = {"course_gross": 0, "course_refunds": 1}

    def add(metric: str, key: str, value) -> None:
        course, _sep, currency = key.partition(":")
        acc = into.setdefault((int(course) if course else None, currency), [ZERO, ZERO])
        acc[index[metric]] += value

    past_end = min(period.end, live.start - timedelta(days=1)) if live else period.end
    past = Period(period.start, past_end) if past_end >= period.start else None
    if past:
        for row in (
            DailyRollup.objects.filter(
                day__gte=past.start, day__lte=past.end, metric__in=tuple(index)
            )
            .values("metric", "key")
            .annotate(total=Sum("value"))
            .order_by()
        ):
            add(row["metric"], row["key"], row["total"])
    for (metric, key), days in live_counts.items():
        if metric in index:
            add(metric, key, sum((v for d, v in days.items() if period.contains(d)), ZERO))
    ids = {course for course, _cur in into if course is not None}
    if ids:
        titles.update(Course.objects.filter(pk__in=ids).values_list("pk", "title"))


SOLD = (LedgerCause.PACKAGE_BOUGHT, LedgerCause.SUBSCRIPTION_GRANT)
USED = (LedgerCause.LESSON_BOOKED, LedgerCause.LESSON_RETURNED)


def _credits(scope: Scope, period: Period, teacher_id) -> tuple[Credits, ...]:
    if scope.is_admin:
        q = Q()
    elif scope.is_teacher:
        q = Q(teacher_id=scope.user_id)
    else:
        q = Q(student_id__in=scope.student_ids) if scope.student_ids else NOTHING
    if teacher_id is not None:
        q &= Q(teacher_id=teacher_id)
    rows = (
        CreditEntry.objects.filter(q, created_at__gte=period.since, created_at__lt=period.until)
        .values("currency")
        .annotate(
            sold=Sum("delta", filter=Q(cause__in=SOLD), default=0),
            used=Sum("delta", filter=Q(cause__in=USED), default=0),
        )
        .order_by("currency")
    )
    return tuple(Credits(row["currency"], row["sold"], -row["used"]) for row in rows)


def _subscriptions(period: Period) -> Subscriptions:
    live_at_start = (
        Q(created_at__lt=period.since)
        & ~Q(status=SubscriptionStatus.INCOMPLETE)
        & (Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=period.since))
    )
    figures = Subscription.objects.aggregate(
        active=Count("pk", filter=Q(status=SubscriptionStatus.ACTIVE)),
        paused=Count("pk", filter=Q(status=SubscriptionStatus.PAUSED)),
        past_due=Count("pk", filter=Q(status=SubscriptionStatus.PAST_DUE)),
        cancelled=Count("pk", filter=Q(status=SubscriptionStatus.CANCELLED)),
        cancelled_in_period=Count(
            "pk",
            filter=Q(
                status=SubscriptionStatus.CANCELLED,
                cancelled_at__gte=period.since,
                cancelled_at__lt=period.until,
            ),
        ),
        live_at_start=Count("pk", filter=live_at_start),
    )
    return Subscriptions(**figures)


@dataclass
class _Earned:
    teacher_id: int
    currency: str
    earned: Decimal = ZERO
    paid_out: Decimal = ZERO
    earned_ever: Decimal = ZERO
    paid_ever: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.earned_ever - self.paid_ever


def _earnings(scope: Scope, period: Period, teacher_id) -> tuple[list[_Earned], list[int]]:
    if scope.is_admin:
        q = Q()
    elif scope.is_teacher:
        q = Q(teacher_id=scope.user_id)
    else:
        return [], []
    if teacher_id is not None:
        q &= Q(teacher_id=teacher_id)
    acc: dict[tuple[int, str], _Earned] = {}
    for row in (
        EarningEntry.objects.filter(q)
        .values("teacher_id", "currency")
        .annotate(
            now=Sum(
                "net",
                filter=Q(earned_at__gte=period.since, earned_at__lt=period.until),
                default=ZERO,
            ),
            ever=Sum("net", default=ZERO),
        )
        .order_by()
    ):
        item = acc.setdefault(
            (row["teacher_id"], row["currency"]), _Earned(row["teacher_id"], row["currency"])
        )
        item.earned, item.earned_ever = row["now"], row["ever"]
    for row in (
        Payout.objects.filter(q)
        .values("teacher_id", "currency")
        .annotate(
            now=Sum(
                "amount",
                filter=Q(paid_at__gte=period.since, paid_at__lt=period.until),
                default=ZERO,
            ),
            ever=Sum("amount", default=ZERO),
        )
        .order_by()
    ):
        item = acc.setdefault(
            (row["teacher_id"], row["currency"]), _Earned(row["teacher_id"], row["currency"])
        )
        item.paid_out, item.paid_ever = row["now"], row["ever"]
    items = sorted(acc.values(), key=lambda e: (e.teacher_id, e.currency))
    return items, [e.teacher_id for e in items]


# Capacity -------------------------------------------------------------------------------------------

HOUR = Decimal(3600)


def _merge(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    out: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


class _WallClock:
    """The period's local dates by weekday and the wall times' instants, per zone, computed once
    for all the teachers of one capacity summary (a thousand teachers share a few zones)."""

    def __init__(self, period: Period):
        self.period = period
        self._days: dict = {}
        self._instants: dict = {}

    def days(self, tz) -> dict[int, list[date]]:
        if tz not in self._days:
            by_weekday: dict[int, list[date]] = defaultdict(list)
            for day in local_dates(self.period.since, self.period.until, tz):
                by_weekday[day.weekday()].append(day)
            self._days[tz] = by_weekday
        return self._days[tz]

    def instant(self, day: date, at: time, tz, ambiguous: str) -> datetime:
        key = (day, at, tz, ambiguous)
        if key not in self._instants:
            self._instants[key] = local_to_utc(day, at, tz, ambiguous=ambiguous)
        return self._instants[key]


def _offered_seconds(rules, off, tz, period: Period, clock: _WallClock | None = None) -> int:
    """Seconds of the weekly windows (in the teacher's zone) inside the period, minus time off."""
    clock = clock or _WallClock(period)
    days = clock.days(tz)
    windows = []
    for weekday, start_time, end_time in rules:
        for day in days.get(weekday, ()):
            start = clock.instant(day, start_time, tz, "earliest")
            end = (
                clock.instant(day + timedelta(days=1), end_time, tz, "latest")
                if end_time == time(0, 0)
                else clock.instant(day, end_time, tz, "latest")
            )
            start, end = max(start, period.since), min(end, period.until)
            if end > start:
                windows.append((start, end))
    total = 0
    for start, end in _merge(windows):
        seconds = (end - start).total_seconds()
        for off_start, off_end in off:
            overlap = (min(end, off_end) - max(start, off_start)).total_seconds()
            if overlap > 0:
                seconds -= overlap
        total += max(0, int(seconds))
    return total


def capacity_summary(
    *,
    viewer,
    period: Period,
    course_id: int | None = None,
    teacher_id: int | None = None,
    courses: bool = True,
) -> Capacity:
    """Each teacher's offered hours (availability rules over the period in the teacher's own zone,
    less time off) against booked hours (lessons not cancelled that start in the period), and seats
    filled per course (`courses=False`: no seats, one query less). Admins see every teacher, a
    teacher themself; learners see neither. Five queries."""
    scope = _as_scope(viewer)
    if scope.is_admin:
        teacher_q = Q()
    elif scope.is_teacher:
        teacher_q = Q(pk=scope.teacher_profile_id)
    else:
        teacher_q = NOTHING
    if teacher_id is not None:
        teacher_q &= Q(user_id=teacher_id)
    teachers = list(
        TeacherProfile.objects.filter(teacher_q)
        .filter(
            # EXISTS per teacher through the (teacher, start) index, not a DISTINCT over a join of
            # rules x lessons, nor an IN over every lesson of the period (320 ms for a year)
            Exists(AvailabilityRule.objects.filter(teacher_id=OuterRef("pk")))
            | Exists(
                Lesson.objects.filter(
                    teacher_id=OuterRef("pk"), start__gte=period.since, start__lt=period.until
                )
            )
        )
        .values("pk", "user_id", "user__timezone", *(f"user__{f}" for f in NAME_FIELDS))
        .order_by("pk")
    )
    ids = [t["pk"] for t in teachers]
    # The whole school's teachers are every teacher with a rule or a lesson in the period: read
    # theirs without naming a thousand ids (a long IN list costs more to send than it saves).
    narrow = {} if scope.is_admin and teacher_id is None else {"teacher_id__in": ids}
    rules: dict[int, list] = defaultdict(list)
    for row in AvailabilityRule.objects.filter(**narrow).values_list(
        "teacher_id", "weekday", "start_time", "end_time"
    ):
        rules[row[0]].append(row[1:])
    off: dict[int, list] = defaultdict(list)
    for row in AvailabilityException.objects.filter(
        end__gt=period.since, start__lt=period.until, **narrow
    ).values_list("teacher_id", "start", "end"):
        off[row[0]].append(row[1:])
    clock = _WallClock(period)
    zones: dict[str, object] = {}
    booked = dict(
        Lesson.objects.filter(start__gte=period.since, start__lt=period.until, **narrow)
        .exclude(status=LessonStatus.CANCELLED)
        .values("teacher_id")
        .annotate(d=Sum(F("end") - F("start")))
        .values_list("teacher_id", "d")
        .order_by()
    )
    capacity = tuple(
        sorted(
            (
                TeacherCapacity(
                    teacher_id=t["user_id"],
                    name=_name(*(t[f"user__{f}"] for f in NAME_FIELDS)),
                    offered_hours=(
                        Decimal(
                            _offered_seconds(
                                rules[t["pk"]],
                                off[t["pk"]],
                                zones.setdefault(t["user__timezone"], zone(t["user__timezone"])),
                                period,
                                clock,
                            )
                        )
                        / HOUR
                    ).quantize(Decimal("0.01")),
                    booked_hours=(
                        Decimal(int(booked[t["pk"]].total_seconds())) / HOUR
                        if t["pk"] in booked
                        else Decimal(0)
                    ).quantize(Decimal("0.01")),
                )
                for t in teachers
            ),
            key=lambda c: (c.name, c.teacher_id),
        )
    )

    if not courses:
        return Capacity(period=period, teachers=capacity, courses=())
    course_q = _course_q(scope) if not scope.is_admin else Q()
    if not (scope.is_admin or scope.is_teacher):
        course_q = NOTHING
    if course_id is not None:
        course_q &= Q(pk=course_id)
    if teacher_id is not None:
        course_q &= Q(owner_id=teacher_id) | Q(
            pk__in=Course.teachers.through.objects.filter(user_id=teacher_id).values("course")
        )
    seats = tuple(
        CourseSeats(row["pk"], row["title"], row["capacity"], row["filled"])
        for row in Course.objects.filter(course_q)
        .exclude(status=CourseStatus.DRAFT)
        .annotate(filled=Count("enrollments", filter=Q(enrollments__status__in=SEAT_STATUSES)))
        .values("pk", "title", "capacity", "filled")
        .order_by("title", "pk")
    )
    return Capacity(period=period, teachers=capacity, courses=seats)
