"""The figures on the role homes: a teacher's students' progress and attendance, their courses'
enrolments, their utilisation and their earnings per currency; a learner's progress per course,
attendance and credits left (each child's, on a parent's home).

The teacher's figures come from the analytics selectors (`dashboards/analytics/selectors.py`) with
the teacher's own scope. The learners' are read here, for every student of the home at once: five
queries whatever the number of children, courses or lessons (the analytics selectors fold a
parent's children together; a home shows each child apart). Each function narrows to what the
viewer may see (`analytics.scope`): ids outside it are dropped, never shown.

`sparkline` draws the small SVG charts (a bar per point), each with a text alternative."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from authentication.choices import Role
from authentication.models import User
from authentication.roles import is_admin, is_teacher
from authentication.selectors import child_ids_of
from billing.models import CreditEntry
from classroom.choices import AttendanceStatus
from classroom.models import Attendance, TeacherProfile
from courses.choices import EnrollmentStatus
from courses.models import Course, Enrollment
from cplatform.exceptions import NotFound, PermissionDenied

from .analytics.periods import Period, school_zone
from .analytics.scope import TEACHER, Scope, scope_for
from .analytics.selectors import (
    AtRiskStudent,
    AttendanceRow,
    CourseProgress,
    Earnings,
    Series,
    TeacherCapacity,
    capacity_summary,
    learning_summary,
    money_summary,
)

HOME_PERIOD_DAYS = 30
STUDENTS_SHOWN = 10  # a teacher's students by attendance on the home; the rest in reports


# --- learners ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseFigure:
    course_id: int
    title: str
    modules: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * min(self.done, self.modules) / self.modules) if self.modules else 0


@dataclass(frozen=True)
class CreditBalance:
    """Credits left with one teacher in one currency (never summed across teachers)."""

    teacher_name: str
    currency: str
    left: int


@dataclass
class LearnerFigures:
    student_id: int
    period: Period
    courses: list[CourseFigure] = field(default_factory=list)
    attendance: AttendanceRow | None = None
    # Lessons attended (present or late) per week of the period, oldest first.
    weekly_attended: list[tuple[date, int]] = field(default_factory=list)
    credits: list[CreditBalance] = field(default_factory=list)

    @property
    def attendance_rate(self) -> float | None:
        return self.attendance.rate if self.attendance else None


def _weeks(period: Period) -> list[tuple[date, date]]:
    """(first, last) day of each 7-day block of the period, counted back from its last day (the
    oldest block may be shorter), oldest first."""
    last = period.end
    blocks = []
    while last >= period.start:
        blocks.append((max(last - timedelta(days=6), period.start), last))
        last -= timedelta(days=7)
    return blocks[::-1]


def learner_figures(
    *, viewer, student_ids: list[int], period: Period | None = None
) -> dict[int, LearnerFigures]:
    """Each student's figures (keyed by student id), for the students among `student_ids` the viewer
    may see as a learner (themself, their linked children; an admin anyone). Five queries: the viewer's roles, their children, progress,
    attendance and credits."""
    period = period or Period.last_days(HOME_PERIOD_DAYS)
    if is_admin(viewer):
        allowed = list(dict.fromkeys(student_ids))
    else:
        # Themself and their linked children, whatever other role they hold (a teacher who is a
        # parent too sees their children's figures as a parent).
        own = {viewer.pk, *child_ids_of(guardian=viewer).values_list("child_id", flat=True)}
        allowed = [pk for pk in dict.fromkeys(student_ids) if pk in own]
    out = {pk: LearnerFigures(student_id=pk, period=period) for pk in allowed}
    if not allowed:
        return out

    # Progress per course: each active enrolment with its modules done and its course's modules.
    for row in (
        Enrollment.objects.filter(student_id__in=allowed, status=EnrollmentStatus.ACTIVE)
        .values("student_id", "course_id", "course__title")
        .annotate(
            done=Count("module_completions", distinct=True),
            modules=Count("course__modules", distinct=True),
        )
        .order_by("course__title", "course_id")
    ):
        out[row["student_id"]].courses.append(
            CourseFigure(row["course_id"], row["course__title"], row["modules"], row["done"])
        )

    # Attendance in the period, by status and school day (for the weekly chart).
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    attended_by_day: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        Attendance.objects.filter(
            student_id__in=allowed,
            lesson__start__gte=period.since,
            lesson__start__lt=period.until,
        )
        .annotate(day=TruncDate("lesson__start", tzinfo=school_zone()))
        .values("student_id", "status", "day")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["student_id"]][row["status"]] += row["n"]
        if row["status"] in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
            attended_by_day[row["student_id"]][row["day"]] += row["n"]
    weeks = _weeks(period)
    for pk, figures in out.items():
        c = counts.get(pk)
        if c:
            figures.attendance = AttendanceRow(
                id=pk,
                name="",
                present=c[AttendanceStatus.PRESENT],
                late=c[AttendanceStatus.LATE],
                absent=c[AttendanceStatus.ABSENT],
                excused=c[AttendanceStatus.EXCUSED],
            )
        days = attended_by_day.get(pk, {})
        figures.weekly_attended = [
            (first, sum(n for d, n in days.items() if first <= d <= last)) for first, last in weeks
        ]

    # Credits left: the ledger's balance per teacher and currency (only those with some left).
    for row in (
        CreditEntry.objects.filter(student_id__in=allowed)
        .values(
            "student_id",
            "teacher_id",
            "currency",
            "teacher__first_name",
            "teacher__last_name",
            "teacher__display_name",
            "teacher__email",
        )
        .annotate(left=Sum("delta"))
        .filter(left__gt=0)
        .order_by("teacher_id", "currency")
    ):
        name = row["teacher__display_name"] or (
            f"{row['teacher__first_name']} {row['teacher__last_name']}".strip()
            or row["teacher__email"]
        )
        out[row["student_id"]].credits.append(CreditBalance(name, row["currency"], row["left"]))
    return out


# --- teachers ---------------------------------------------------------------------------------------


@dataclass
class TeacherFigures:
    period: Period
    enrolments: Series
    enrolments_total: int
    courses: tuple[CourseProgress, ...]
    students: tuple[AttendanceRow, ...]  # attendance per student, the least attended first
    students_total: int
    at_risk: tuple[AtRiskStudent, ...]
    capacity: TeacherCapacity | None
    earnings: tuple[Earnings, ...]  # per currency
    homework_set: int = 0  # lessons with homework in the period
    homework_done: int = 0  # students' marks of homework done in the period

    @property
    def utilisation_percent(self) -> int | None:
        rate = self.capacity.utilisation if self.capacity else None
        return None if rate is None else round(100 * rate)


def teacher_figures(*, viewer, period: Period | None = None) -> TeacherFigures | None:
    """A teacher's own figures for the period (None for someone who is not a teacher): a fixed
    number of queries (the analytics selectors' own, with the teacher's scope)."""
    if isinstance(viewer, Scope):
        scope = viewer
    elif is_teacher(viewer):
        # Their own figures even when they are an admin too (whose analytics scope is the school).
        profile_id = TeacherProfile.objects.filter(user=viewer).values_list("pk", flat=True).first()
        scope = Scope(TEACHER, user_id=viewer.pk, teacher_profile_id=profile_id)
    else:
        return None
    if not scope.is_teacher or scope.teacher_profile_id is None:
        return None
    period = period or Period.last_days(HOME_PERIOD_DAYS)
    learning = learning_summary(viewer=scope, period=period)
    capacity = capacity_summary(viewer=scope, period=period)
    money = money_summary(viewer=scope, period=period)
    by_student = sorted(
        learning.attendance_by_student,
        key=lambda r: (r.rate if r.rate is not None else 2.0, r.name, r.id),
    )
    own = [t for t in capacity.teachers if t.teacher_id == scope.user_id]
    return TeacherFigures(
        period=period,
        enrolments=learning.enrolments,
        enrolments_total=sum(p.value for p in learning.enrolments.points),
        courses=learning.courses,
        students=tuple(by_student[:STUDENTS_SHOWN]),
        students_total=len(by_student),
        at_risk=learning.at_risk,
        capacity=own[0] if own else None,
        earnings=tuple(e for e in money.earnings if e.teacher_id == scope.user_id),
        homework_set=learning.homework_set,
        homework_done=learning.homework_done,
    )


# --- the small charts ---------------------------------------------------------------------------------


def sparkline(values: list[int | Decimal], *, label: str, width: int = 160, height: int = 36):
    """Bars for `values` as an inline SVG image named by `label` (its text alternative: say the
    figures in it, e.g. "Enrolments per day: 0, 1, 3"). Decorative details stay hidden."""
    if not values:
        return SafeString("")
    top = max(max(values), 1)
    gap = 1
    bar = max((width - gap * (len(values) - 1)) / len(values), 1)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" rx="1"></rect>',
        (
            (
                f"{i * (bar + gap):.1f}",
                f"{height - max(float(v) / float(top) * height, 1 if v else 0):.1f}",
                f"{bar:.1f}",
                f"{max(float(v) / float(top) * height, 1 if v else 0):.1f}",
            )
            for i, v in enumerate(values)
        ),
    )
    return format_html(
        '<svg class="sparkline" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" '
        'height="{}" preserveAspectRatio="none" focusable="false"><title>{}</title>'
        '<line x1="0" y1="{}" x2="{}" y2="{}" class="sparkline__base"></line>{}</svg>',
        label,
        width,
        height,
        width,
        height,
        label,
        height - 0.5,
        width,
        height - 0.5,
        bars,
    )


# --- the analytics API's access rule -----------------------------------------------------------------


def analytics_scope_for(*, viewer, course_id: int | None = None, teacher_id: int | None = None):
    """The scope the analytics API reads with, after checking who asks and the filters they name:
    admins any course and teacher; a teacher only their own courses and themself (another teacher's
    id, or a course not theirs, answers exactly like a missing one); anyone else is refused. Two
    to four queries."""
    scope = viewer if isinstance(viewer, Scope) else scope_for(viewer)
    if not (scope.is_admin or scope.is_teacher):
        raise PermissionDenied(_("Figures are for the school's administrators and its teachers."))
    if teacher_id is not None:
        if scope.is_teacher and teacher_id != scope.user_id:
            raise NotFound()
        if not User.objects.filter(pk=teacher_id, groups__name=Role.TEACHER).exists():
            raise NotFound()
    if course_id is not None:
        courses = Course.objects.filter(pk=course_id)
        if scope.is_teacher:
            courses = courses.filter(Q(owner_id=scope.user_id) | Q(teachers=scope.user_id))
        if not courses.exists():
            raise NotFound()
    return scope
