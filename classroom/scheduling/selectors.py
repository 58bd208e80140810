"""Reads for scheduling, each checking who asks. A lesson the person may not see answers 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings as django_settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from authentication.choices import Role
from authentication.models import User
from authentication.roles import has_role, is_admin
from authentication.selectors import acts_for_student, child_ids_of
from courses.choices import CourseFormat, EnrollmentStatus
from courses.models import Course
from cplatform.exceptions import InvalidQuery, NotFound, ValidationFailed

from ..choices import TIME_FREED, BillingOutcome, LessonKind, LessonMode, LessonStatus
from ..models import (
    AvailabilityException,
    AvailabilityRule,
    Lesson,
    LessonSeat,
    LessonSeries,
    TeacherProfile,
    TeacherSchedulingSettings,
)
from ..selectors import _listed
from .slots import Interval, Policy, WeeklyRule, free_slots
from .wallclock import zone

MAX_SLOT_DAYS = 31
MAX_SLOT_WINDOW = timedelta(days=MAX_SLOT_DAYS)


def scheduling_settings_of(*, teacher: TeacherProfile) -> TeacherSchedulingSettings:
    """The teacher's settings; an unsaved default object when they never set any (no write on read)."""
    try:
        return teacher.scheduling_settings
    except TeacherSchedulingSettings.DoesNotExist:
        return TeacherSchedulingSettings(teacher=teacher)


def policy_of(settings: TeacherSchedulingSettings) -> Policy:
    return Policy(
        lesson_lengths=tuple(int(n) for n in settings.lesson_lengths or ()),
        buffer=timedelta(minutes=settings.buffer_minutes),
        notice=timedelta(minutes=settings.min_notice_minutes),
        horizon=timedelta(days=settings.horizon_days),
    )


def lesson_lengths_of(*, teacher: TeacherProfile) -> tuple[int, ...]:
    """The lesson lengths (minutes) the teacher offers, shortest first."""
    return policy_of(scheduling_settings_of(teacher=teacher)).lesson_lengths


def default_lesson_length(*, teacher: TeacherProfile) -> int:
    """The length `/slots` and booking use when the client names none: the teacher's first."""
    lengths = lesson_lengths_of(teacher=teacher)
    return lengths[0] if lengths else 60


def teacher_get_bookable(*, teacher_id: int, viewer=None) -> TeacherProfile:
    """A teacher whose slots the viewer may see: listed teachers for everyone, and oneself."""
    qs = TeacherProfile.objects.select_related("user", "scheduling_settings")
    listed = _listed(qs)
    try:
        return listed.get(pk=teacher_id)
    except (TeacherProfile.DoesNotExist, ValueError, OverflowError):
        pass
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        teacher = qs.filter(pk=teacher_id, user=viewer).first()
        if teacher is not None:
            return teacher
    raise NotFound()


def availability_rules_of(*, teacher: TeacherProfile) -> list[AvailabilityRule]:
    return list(AvailabilityRule.objects.filter(teacher=teacher).order_by("weekday", "start_time"))


def time_off_of(
    *, teacher: TeacherProfile, start=None, end=None
) -> QuerySet[AvailabilityException]:
    qs = AvailabilityException.objects.filter(teacher=teacher).order_by("start", "pk")
    if start is not None and end is not None:
        qs = qs.filter(start__lt=end, end__gt=start)
    return qs


def time_off_get_for_teacher(*, user, exception_id: int) -> AvailabilityException:
    try:
        return AvailabilityException.objects.get(pk=exception_id, teacher__user=user)
    except (AvailabilityException.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def lessons_taking_time(*, now: datetime | None = None) -> QuerySet[Lesson]:
    """Lessons that hold their time (no other lesson of their teacher or student may overlap them):
    all but cancelled and expired ones, and a held one (awaiting payment) only until its hold runs
    out at `now` (the booking services expire such a hold before they take its slot)."""
    now = now or timezone.now()
    return Lesson.objects.exclude(status__in=TIME_FREED).exclude(
        status=LessonStatus.HELD, hold_expires_at__lte=now
    )


def busy_intervals(
    *,
    teacher: TeacherProfile,
    start: datetime,
    end: datetime,
    exclude_lesson_id: int | None = None,
    now: datetime | None = None,
) -> list[Interval]:
    """The teacher's lessons taking time (`lessons_taking_time`) touching [start, end): one query."""
    qs = lessons_taking_time(now=now).filter(teacher=teacher, start__lt=end, end__gt=start)
    if exclude_lesson_id is not None:
        qs = qs.exclude(pk=exclude_lesson_id)
    return list(qs.values_list("start", "end"))


@dataclass(frozen=True)
class SlotQuery:
    start: datetime
    end: datetime
    length: int | None = None  # None: the teacher's first offered length


def slots_for_teacher(
    *,
    teacher: TeacherProfile,
    query: SlotQuery,
    now: datetime | None = None,
    exclude_lesson_id: int | None = None,
    ignore_lessons: bool = False,
    offered_only: bool = False,
) -> tuple[int, list[Interval]]:
    """(length, bookable UTC slots) of a teacher: four queries however busy the teacher is. A window
    that ends before it starts or is wider than MAX_SLOT_WINDOW is refused (422); `offered_only`
    refuses a length the teacher does not offer too (422 `length_not_offered`) rather than answer no
    slots."""
    if query.end <= query.start:
        raise InvalidQuery(errors={"to": [_("`to` must be after `from`.")]})
    if query.end - query.start > MAX_SLOT_WINDOW:
        raise InvalidQuery(
            errors={"to": [_("Ask for at most %(days)d days at a time.") % {"days": MAX_SLOT_DAYS}]}
        )
    settings = scheduling_settings_of(teacher=teacher)
    policy = policy_of(settings)
    if offered_only and query.length is not None and query.length not in policy.lesson_lengths:
        raise InvalidQuery(
            errors={"length": [_("The teacher does not offer lessons of that length.")]},
            code="length_not_offered",
        )
    length = query.length or default_lesson_length(teacher=teacher)
    margin = policy.buffer + timedelta(minutes=length) + timedelta(days=1)
    rules = [
        WeeklyRule(r.weekday, r.start_time, r.end_time)
        for r in availability_rules_of(teacher=teacher)
    ]
    time_off = list(
        time_off_of(
            teacher=teacher, start=query.start - margin, end=query.end + margin
        ).values_list("start", "end")
    )
    busy = (
        []
        if ignore_lessons
        else busy_intervals(
            teacher=teacher,
            start=query.start - margin,
            end=query.end + margin,
            exclude_lesson_id=exclude_lesson_id,
            now=now,
        )
    )
    slots = free_slots(
        rules=rules,
        tz=zone(teacher.user.timezone),
        policy=policy,
        time_off=time_off,
        busy=busy,
        length=length,
        start=query.start,
        end=query.end,
        now=now or timezone.now(),
    )
    return length, slots


NEXT_FREE_DAYS = 14


def next_free_slots(
    *, teacher: TeacherProfile, count: int = 6, now: datetime | None = None
) -> tuple[int, list[Interval]]:
    """(length, the first `count` bookable UTC slots of the teacher's default length) within the
    next NEXT_FREE_DAYS days, for their public page: the four queries of `slots_for_teacher`."""
    start = now or timezone.now()
    length, slots = slots_for_teacher(
        teacher=teacher,
        query=SlotQuery(start=start, end=start + timedelta(days=NEXT_FREE_DAYS)),
        now=start,
    )
    return length, slots[:count]


# Each model's access rule is written for that model and returns that model's queryset: a `Q` built
# for lessons (its seat subquery matches `OuterRef("pk")` against a seat's lesson) once leaked
# series, whose ids it compared with lesson ids, to the seat holders of the lesson with that id.


def lessons_of(user) -> QuerySet[Lesson]:
    """The lessons in the user's own life, whatever roles they hold: those they teach, take (1:1, or a
    live seat in a group session) or, as a parent, their linked children take. Admins too: only
    their own (the calendar feed); `_lessons_visible_to` adds the whole school for them."""
    live_seats = LessonSeat.objects.filter(lesson=OuterRef("pk"), cancelled_at__isnull=True)
    children = child_ids_of(guardian=user)
    return Lesson.objects.filter(
        Q(teacher__user=user)
        | Q(student=user)
        | Q(Exists(live_seats.filter(student=user)))
        | Q(student__in=children)
        | Q(Exists(live_seats.filter(student__in=children)))
    )


def _lessons_visible_to(user) -> QuerySet[Lesson]:
    """`lessons_of` the user; every lesson for admins."""
    return Lesson.objects.all() if is_admin(user) else lessons_of(user)


def _series_visible_to(user) -> QuerySet[LessonSeries]:
    """A series (always 1:1) is its teacher's, its student's and the student's active guardians';
    every series for admins. Holding a seat in some lesson gives nothing here."""
    if is_admin(user):
        return LessonSeries.objects.all()
    return LessonSeries.objects.filter(
        Q(teacher__user=user) | Q(student=user) | Q(student__in=child_ids_of(guardian=user))
    )


def lesson_list_for_user(
    *, user, when: str | None = None, now: datetime | None = None
) -> QuerySet[Lesson]:
    """Admins: every lesson. Others: lessons they teach, take, or their linked children take.
    `when="upcoming"` (not yet ended, soonest first) or `"past"` (ended, latest first)."""
    now = now or timezone.now()
    qs = _lessons_visible_to(user).select_related(
        "teacher__user", "student", "booked_by", "cancelled_by"
    )
    if when == "upcoming":
        return qs.filter(end__gt=now).order_by("start", "pk")
    if when == "past":
        return qs.filter(end__lte=now).order_by("-start", "-pk")
    return qs.order_by("start", "pk")


def lesson_get_for_user(*, user, lesson_id: int) -> Lesson:
    try:
        return lesson_list_for_user(user=user).get(pk=lesson_id)
    except (Lesson.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def lesson_visible_to(*, user, lesson: Lesson) -> bool:
    """Whether `lesson_get_for_user` (which the lesson's write operations fetch it through) finds
    the lesson for the user: a service refusing them then answers 403 rather than 404."""
    return lesson_list_for_user(user=user).filter(pk=lesson.pk).exists()


def lesson_may_change(*, user, lesson: Lesson) -> bool:
    """Who may cancel or move a lesson: the teacher's side (its teacher, an admin), and for a 1:1
    lesson its student or an active guardian of theirs (a group session's seat holders give up
    their seat instead)."""
    if lesson.teacher.user_id == user.pk or is_admin(user):
        return True
    return lesson.kind == LessonKind.PRIVATE and acts_for_student(
        user=user, student_id=lesson.student_id
    )


def series_visible_to(*, user, series: LessonSeries) -> bool:
    """Whether `series_get_for_user` finds the series for the user (who are also the people who may
    cancel it)."""
    return _series_visible_to(user).filter(pk=series.pk).exists()


def series_get_for_user(*, user, series_id: int) -> LessonSeries:
    try:
        return _series_visible_to(user).select_related("teacher__user", "student").get(pk=series_id)
    except (LessonSeries.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def private_courses_for_booking(*, teacher: TeacherProfile, student_ids: list[int]) -> list[Course]:
    """The teacher's 1:1 courses in which one of `student_ids` (the booker, or their children) is
    actively enrolled: a 1:1 lesson can be booked under one of them."""
    if not student_ids:
        return []
    return list(
        Course.objects.filter(
            Q(owner_id=teacher.user_id) | Q(teachers__pk=teacher.user_id),
            format=CourseFormat.ONE_TO_ONE,
            enrollments__student_id__in=student_ids,
            enrollments__status=EnrollmentStatus.ACTIVE,
        )
        .distinct()
        .order_by("title", "pk")
        .only("pk", "title")
    )


@dataclass(frozen=True)
class CancellationPolicy:
    cutoff_hours: int
    free_outcome: str


def cancellation_policy_for(*, lesson: Lesson) -> CancellationPolicy:
    """The cut-off and free-cancellation outcome that govern a lesson: its course's own, where the
    course sets them, otherwise the teacher's scheduling settings."""
    return cancellation_policy_of(
        teacher=lesson.teacher, course=lesson.course if lesson.course_id else None
    )


def cancellation_policy_of(*, teacher: TeacherProfile, course: Course | None) -> CancellationPolicy:
    """The policy a lesson of `teacher` (under `course`, if any) is booked under."""
    settings = scheduling_settings_of(teacher=teacher)
    cutoff = settings.cancellation_cutoff_hours
    outcome = settings.free_cancellation_outcome
    if course is not None and course.cancellation_cutoff_hours is not None:
        cutoff = course.cancellation_cutoff_hours
    if course is not None and course.free_cancellation_outcome:
        outcome = course.free_cancellation_outcome
    return CancellationPolicy(cutoff_hours=cutoff, free_outcome=outcome)


def student_get_for_booking(*, user, student_id: int | None) -> User:
    """Whom `user` may book (or take a seat) for: themself (a student) or a linked child (a parent). Others: 404."""
    if student_id is None or student_id == user.pk:
        if not has_role(user, Role.STUDENT):
            raise ValidationFailed(
                errors={"student_id": [_("Name the child you are booking for.")]},
                code="student_required",
            )
        return user
    if not acts_for_student(user=user, student_id=student_id):
        raise NotFound()
    student = User.objects.filter(pk=student_id, is_active=True).first()
    if student is None or not has_role(student, Role.STUDENT):
        raise NotFound()
    return student


def package_lessons_used(*, course: Course, student: User) -> int:
    """Lessons of a 1:1 package the student has used: every lesson booked under the course except
    those cancelled for free (a late cancellation counts as taken) and expired ones (never paid); a
    held one (awaiting payment) counts while it is held."""
    return (
        Lesson.objects.filter(course=course, student=student)
        .exclude(status=LessonStatus.CANCELLED, cancelled_late=False)
        .exclude(status=LessonStatus.EXPIRED)
        .count()
    )


def lesson_payment_due(*, quote_or_lesson) -> bool:
    """Whether a booking must be paid before it is confirmed (one rule for the pages and the API).
    For a quote (`booking_quote`, before booking): it has a price above 0 (0: a course or package
    covers it; None: the teacher set no price, nothing is charged through the site) and
    `settings.LESSON_PAYMENT_REQUIRED` is on; such a booking is made held (`hold=True`). For a booked
    lesson: it is held, waiting for that payment."""
    if isinstance(quote_or_lesson, Lesson):
        return quote_or_lesson.status == LessonStatus.HELD
    price = quote_or_lesson.price
    required = getattr(django_settings, "LESSON_PAYMENT_REQUIRED", True)
    return bool(required) and price is not None and price > 0


def booking_payment_due(
    *, teacher: TeacherProfile, length: int, mode: str | None, course_id: int | None
) -> bool:
    """`lesson_payment_due` of a booking about to be made (the API's, which has no quote yet): a
    lesson under a course (`course_id`) is covered by it; otherwise the teacher's price now."""
    if course_id is not None:
        return False
    quote = booking_quote(teacher=teacher, length=length, mode=mode, course=None)
    return lesson_payment_due(quote_or_lesson=quote)


# What a booking costs and what a cancellation means, said before the person confirms. The services
# decide with the same functions, so the page never shows one thing and the service do another.

CENT = Decimal("0.01")


def modes_offered(*, teacher: TeacherProfile) -> tuple[str, ...]:
    """Where the teacher teaches: online first; a profile that ticks neither is taught online."""
    modes = tuple(
        mode
        for mode, offered in (
            (LessonMode.ONLINE, teacher.teaches_online),
            (LessonMode.IN_PERSON, teacher.teaches_in_person),
        )
        if offered
    )
    return modes or (LessonMode.ONLINE,)


@dataclass(frozen=True)
class BookingQuote:
    """A lesson as it would be booked: what it costs, where, and under which cancellation policy.
    `price` is None when the teacher has set no price (nothing is charged through the site); 0
    when a course the student is enrolled in covers the lesson."""

    length: int
    price: Decimal | None
    currency: str
    mode: str
    course: Course | None
    cutoff_hours: int
    free_outcome: str

    def cutoff_before(self, start: datetime) -> datetime:
        """The last moment a lesson starting at `start` can be cancelled or moved for free."""
        return start - timedelta(hours=self.cutoff_hours)

    def matches(self, *, price: Decimal | None, currency: str) -> bool:
        return self.price == price and (self.price is None or self.currency == currency)


def booking_quote(
    *, teacher: TeacherProfile, length: int, mode: str | None = None, course: Course | None = None
) -> BookingQuote:
    """The price (the teacher's hourly rate for `length` minutes, to the cent; 0 under a course) and
    the policy of a booking. A mode the teacher does not offer is refused (422 `mode_not_offered`)."""
    offered = modes_offered(teacher=teacher)
    if mode is None:
        mode = offered[0]
    elif mode not in offered:
        message = _("The teacher does not teach this way (online or in person).")
        raise ValidationFailed(message, errors={"mode": [message]}, code="mode_not_offered")
    if course is not None:
        price, currency = Decimal("0.00"), course.currency
    elif teacher.hourly_rate is None:
        price, currency = None, teacher.currency
    else:
        price = (teacher.hourly_rate * length / 60).quantize(CENT, rounding=ROUND_HALF_UP)
        currency = teacher.currency
    policy = cancellation_policy_of(teacher=teacher, course=course)
    return BookingQuote(
        length=length,
        price=price,
        currency=currency,
        mode=str(mode),
        course=course,
        cutoff_hours=policy.cutoff_hours,
        free_outcome=policy.free_outcome,
    )


@dataclass(frozen=True)
class CancellationConsequence:
    """What cancelling a lesson now would do, for the person asking: free (the policy's outcome) or
    late (counts as taken), and for a package lesson how many lessons remain after it."""

    teacher_side: bool
    late: bool
    cutoff: datetime
    outcome: str
    package_size: int | None
    package_left_after: int | None


def cancellation_consequence(
    *, lesson: Lesson, actor, now: datetime | None = None
) -> CancellationConsequence:
    """The teacher's side (the teacher or an admin) always cancels for free; the student's side for
    free until the cut-off, after it the lesson counts as taken (charged)."""
    now = now or timezone.now()
    policy = cancellation_policy_for(lesson=lesson)
    cutoff = lesson.start - timedelta(hours=policy.cutoff_hours)
    teacher_side = lesson.teacher.user_id == actor.pk or is_admin(actor)
    late = not teacher_side and now > cutoff
    size = left = None
    course = lesson.course if lesson.course_id else None
    if (
        course is not None
        and course.lessons_included is not None
        and lesson.kind == LessonKind.PRIVATE
    ):
        size = course.lessons_included
        used = package_lessons_used(course=course, student=lesson.student)
        # This lesson is among those used now; a free cancellation gives it back.
        left = size - used + (0 if late else 1)
    return CancellationConsequence(
        teacher_side=teacher_side,
        late=late,
        cutoff=cutoff,
        outcome=BillingOutcome.CHARGE if late else policy.free_outcome,
        package_size=size,
        package_left_after=left,
    )
