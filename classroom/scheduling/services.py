"""Writes for scheduling: availability, time off, booking, series, cancellation and rescheduling.

No double booking, ever: every write that places a lesson runs inside `transaction.atomic`, locks the
teacher's profile row and the student's user row (always in that order), checks for overlaps and then
writes; on PostgreSQL the exclusion constraints of migration 0006 back the check, and their
IntegrityError becomes a Conflict (409). On SQLite (dev) IMMEDIATE transactions serialise writers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from authentication.choices import Role
from authentication.models import User
from authentication.roles import has_role, is_admin
from authentication.selectors import guardian_consent_require
from courses.choices import CourseFormat, EnrollmentStatus
from courses.models import Course
from cplatform.exceptions import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    refused,
)
from cplatform.signals import announce
from cplatform.validators import model_field_errors

from ..choices import BillingOutcome, LessonKind, LessonStatus
from ..models import (
    AvailabilityException,
    AvailabilityRule,
    Lesson,
    LessonSeries,
    TeacherProfile,
    TeacherSchedulingSettings,
    minutes_of_day,
)
from ..signals import (
    lesson_booked,
    lesson_booked_committed,
    lesson_cancelled,
    lesson_cancelled_committed,
    lesson_held,
    lesson_held_committed,
    lesson_hold_expired,
    lesson_hold_expired_committed,
    lesson_rescheduled,
    lesson_rescheduled_committed,
)
from .selectors import (
    BookingQuote,
    SlotQuery,
    booking_quote,
    cancellation_consequence,
    cancellation_policy_for,
    lesson_may_change,
    lesson_visible_to,
    lessons_taking_time,
    package_lessons_used,
    policy_of,
    scheduling_settings_of,
    series_visible_to,
    slots_for_teacher,
    student_get_for_booking,
)
from .wallclock import local_to_utc, zone

logger = logging.getLogger(__name__)

MIN_LENGTH, MAX_LENGTH = 15, 240
MAX_SERIES_OCCURRENCES = 52
MAX_TIME_OFF = timedelta(days=366)
SETTINGS_FIELDS = (
    "lesson_lengths",
    "buffer_minutes",
    "min_notice_minutes",
    "horizon_days",
    "cancellation_cutoff_hours",
    "free_cancellation_outcome",
)


def booking_lock_enabled() -> bool:
    """The row locks that serialise bookings. Only the race-control test turns them off (and drops the
    constraints) to show that the overlap check alone loses races."""
    return getattr(django_settings, "SCHEDULING_BOOKING_LOCK", True)


# Availability


def availability_replace(
    *, teacher: TeacherProfile, rules: Iterable[dict], settings: dict
) -> TeacherSchedulingSettings:
    """Replace the teacher's weekly rules and scheduling settings at once."""
    rules = [dict(r) for r in rules]
    problems: list[str] = []
    for n, rule in enumerate(rules, start=1):
        if not 0 <= rule["weekday"] <= 6:
            problems.append(
                _("Rule %(n)d: the weekday must be 0 (Monday) to 6 (Sunday).") % {"n": n}
            )
        if minutes_of_day(rule["end_time"], end=True) <= minutes_of_day(rule["start_time"]):
            problems.append(_("Rule %(n)d: the end must be after the start.") % {"n": n})
    by_day: dict[int, list[dict]] = {}
    for rule in rules:
        by_day.setdefault(rule["weekday"], []).append(rule)
    for day_rules in by_day.values():
        day_rules.sort(key=lambda r: r["start_time"])
        for before, after in zip(day_rules, day_rules[1:], strict=False):
            if minutes_of_day(after["start_time"]) < minutes_of_day(before["end_time"], end=True):
                problems.append(_("Two rules of the same weekday overlap."))
                break
    lengths = sorted(set(settings.get("lesson_lengths") or []))
    errors: dict[str, list[str]] = {}
    if problems:
        errors["rules"] = problems
    if not lengths or any(not MIN_LENGTH <= n <= MAX_LENGTH for n in lengths):
        errors["lesson_lengths"] = [
            _("Offer at least one length between %(min)d and %(max)d minutes.")
            % {"min": MIN_LENGTH, "max": MAX_LENGTH}
        ]
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        teacher = TeacherProfile.objects.select_for_update().get(pk=teacher.pk)
        current, _created = TeacherSchedulingSettings.objects.get_or_create(teacher=teacher)
        for field in SETTINGS_FIELDS:
            if field in settings:
                setattr(current, field, settings[field])
        current.lesson_lengths = lengths
        current.save()
        AvailabilityRule.objects.filter(teacher=teacher).delete()
        AvailabilityRule.objects.bulk_create(
            AvailabilityRule(
                teacher=teacher,
                weekday=r["weekday"],
                start_time=r["start_time"],
                end_time=r["end_time"],
            )
            for r in rules
        )
    return current


def time_off_add(
    *, teacher: TeacherProfile, start: datetime, end: datetime, reason: str = ""
) -> AvailabilityException:
    if end <= start:
        raise ValidationFailed(errors={"end": [_("The end must be after the start.")]})
    if end - start > MAX_TIME_OFF:
        raise ValidationFailed(errors={"end": [_("Time off can last at most a year.")]})
    if errors := model_field_errors(AvailabilityException, reason=reason.strip()):
        raise ValidationFailed(errors=errors)
    return AvailabilityException.objects.create(
        teacher=teacher, start=start, end=end, reason=reason.strip()
    )


def time_off_delete(*, actor: User, exception: AvailabilityException) -> None:
    """The teacher removes their own time off; to anyone else it does not exist."""
    if exception.teacher.user_id != actor.pk:
        raise NotFound()
    exception.delete()


# Booking


def _lock(teacher: TeacherProfile, student: User) -> None:
    TeacherProfile.objects.select_for_update().filter(pk=teacher.pk).first()
    User.objects.select_for_update().filter(pk=student.pk).first()


def _quote_now(
    *,
    teacher: TeacherProfile,
    length: int,
    mode: str | None,
    course: Course | None,
    expected: tuple[Decimal | None, str] | None,
) -> BookingQuote:
    """The booking's price and mode from the teacher's profile as it is now (read inside the booking's
    transaction, after the teacher's row lock). `expected`, the (price, currency) the booker was
    shown: a different price now refuses the booking (409 `price_changed`) rather than charging
    another amount than the one shown."""
    current = TeacherProfile.objects.select_related("user").get(pk=teacher.pk)
    quote = booking_quote(teacher=current, length=length, mode=mode, course=course)
    if expected is not None and not quote.matches(price=expected[0], currency=expected[1]):
        if quote.price is None:
            message = _("The price has changed: the teacher no longer sets a price.")
        else:
            message = _("The price has changed: this lesson now costs %(price)s %(currency)s.") % {
                "price": number_format(quote.price, 2),
                "currency": quote.currency,
            }
        raise Conflict(message, errors={"expected_price": [message]}, code="price_changed")
    return quote


def _overlap_problem(
    *, teacher: TeacherProfile, student: User, start, end, exclude_pk=None, now=None
) -> tuple[int, str, str] | None:
    """(409, message, code) when the teacher or the student already has a lesson in [start, end)
    (one taking time: see `lessons_taking_time`)."""
    live = lessons_taking_time(now=now).filter(start__lt=end, end__gt=start)
    if exclude_pk is not None:
        live = live.exclude(pk=exclude_pk)
    if live.filter(teacher=teacher).exists():
        return 409, _("The teacher already has a lesson at that time."), "slot_taken"
    if student is None:  # a group session: its seat holders are checked when seats are taken
        return None
    if live.filter(student=student).exists():
        return 409, _("The student already has a lesson at that time."), "student_busy"
    # A seat in a group session counts as the student's lesson (callers hold the student's row lock,
    # which seat_take takes too).
    if live.filter(seats__student=student, seats__cancelled_at__isnull=True).exists():
        return 409, _("The student already has a group session at that time."), "student_busy"
    return None


def _slot_problem(
    *,
    teacher: TeacherProfile,
    start: datetime,
    length: int,
    now: datetime,
    exclude_pk=None,
    enforce_horizon: bool = True,
) -> tuple[int, str, str] | None:
    """(status, message, code) when [start, start + length) is not a bookable slot of the teacher."""
    policy = policy_of(scheduling_settings_of(teacher=teacher))
    if length not in policy.lesson_lengths:
        return 400, _("The teacher does not offer lessons of that length."), "length_not_offered"
    if start < now + policy.notice:
        return 400, _("That is too soon: the teacher needs more notice."), "notice_too_short"
    if enforce_horizon and start > now + policy.horizon:
        return 400, _("That is too far ahead to book."), "beyond_horizon"
    # Beyond the horizon (later occurrences of a series) the check moves `now` so the horizon holds.
    check_now = now if enforce_horizon else start - policy.notice
    query = SlotQuery(start=start, end=start + timedelta(microseconds=1), length=length)
    _length, slots = slots_for_teacher(
        teacher=teacher,
        query=query,
        now=check_now,
        exclude_lesson_id=exclude_pk,
    )
    if any(s == start for s, _e in slots):
        return None
    _length, ignoring_lessons = slots_for_teacher(
        teacher=teacher, query=query, now=check_now, ignore_lessons=True
    )
    if any(s == start for s, _e in ignoring_lessons):
        return 409, _("That time is too close to another lesson of the teacher."), "slot_too_close"
    return 400, _("The teacher is not available at that time."), "outside_availability"


def hold_minutes() -> int:
    """How long a booking awaiting payment keeps its slot (`settings.LESSON_HOLD_MINUTES`)."""
    return int(getattr(django_settings, "LESSON_HOLD_MINUTES", 30))


def _hold_until(*, now: datetime, first_start: datetime) -> datetime:
    """A hold runs LESSON_HOLD_MINUTES from now, and never past the (first) lesson's start."""
    return min(now + timedelta(minutes=hold_minutes()), first_start)


def _expire_lapsed_holds(*, teacher: TeacherProfile, student: User | None, start, end, now) -> None:
    """Expire the held lessons of the teacher or the student overlapping [start, end) whose hold ran
    out by `now` but which the sweep has not reached yet, so the database's exclusion constraint
    lets the new lesson take the slot. Called inside the booking's transaction, after its locks."""
    who = Q(teacher=teacher) | Q(student=student) if student is not None else Q(teacher=teacher)
    lapsed = Lesson.objects.filter(
        who,
        status=LessonStatus.HELD,
        hold_expires_at__lte=now,
        start__lt=end,
        end__gt=start,
    )
    for lesson in lapsed:
        lesson_hold_expire(lesson=lesson, now=now)


def _raise(problem: tuple[int, str, str], field: str = "start"):
    status, message, code = problem
    error = Conflict if status == 409 else ValidationFailed
    raise error(message, errors={field: [message]}, code=code)


def _check_people(*, teacher: TeacherProfile, student: User, length: int) -> None:
    if length not in policy_of(scheduling_settings_of(teacher=teacher)).lesson_lengths:
        raise ValidationFailed(
            errors={"length": [_("The teacher does not offer lessons of that length.")]},
            code="length_not_offered",
        )
    if teacher.user_id == student.pk:
        raise ValidationFailed(
            errors={"teacher_id": [_("You cannot book a lesson with yourself.")]}, code="own_lesson"
        )
    if not teacher.user.is_active or not has_role(teacher.user, Role.TEACHER):
        raise NotFound()


def _private_course(*, course_id: int, teacher: TeacherProfile, student: User) -> Course:
    course = Course.objects.filter(pk=course_id).first()
    message = None
    if course is None:
        message = _("There is no such course.")
    elif course.format != CourseFormat.ONE_TO_ONE:
        message = _("Only a 1:1 course can hold a 1:1 lesson.")
    elif not (
        course.owner_id == teacher.user_id or course.teachers.filter(pk=teacher.user_id).exists()
    ):
        message = _("The teacher does not teach this course.")
    elif not course.enrollments.filter(student=student, status=EnrollmentStatus.ACTIVE).exists():
        message = _("The student is not actively enrolled in this course.")
    if message:
        raise ValidationFailed(message, errors={"course_id": [message]}, code="course_not_bookable")
    return course


def _check_package(*, course: Course, student: User) -> None:
    """Called under the student's row lock, so two bookings cannot both take the last lesson."""
    used = package_lessons_used(course=course, student=student)
    if used >= course.lessons_included:
        message = _("All %(n)d lessons of this package are used.") % {"n": course.lessons_included}
        raise Conflict(message, errors={"course_id": [message]}, code="package_used_up")
    logger.info(
        "Package use: course %s, student %s takes lesson %d of %d",
        course.pk,
        student.pk,
        used + 1,
        course.lessons_included,
    )


def _log_refusal(service: str, exc: DomainError, **ids) -> None:
    """A refused write: info, or a warning for a 409 (a conflict with what is already booked)."""
    level = logging.WARNING if exc.status_code == 409 else logging.INFO
    logger.log(level, "%s refused (%s, %s): %s", service, exc.status_code, exc.code, ids)


def lesson_book(
    *,
    actor: User,
    teacher: TeacherProfile,
    student: User,
    start: datetime,
    length: int,
    now: datetime | None = None,
    course_id: int | None = None,
    mode: str | None = None,
    expected: tuple[Decimal | None, str] | None = None,
    hold: bool = False,
) -> Lesson:
    """Book one lesson in a free slot of the teacher. Overlap → Conflict (409). `course_id`: a 1:1
    course the teacher teaches and the student is actively enrolled in (its materials can then be
    shared in the lesson). A student held back by the guardian-consent gate → PermissionDenied with a
    `code` (a lesson is contact with a teacher and is paid for). The lesson stores its price,
    currency and mode (`booking_quote`) so billing charges what was shown; `expected` is the
    (price, currency) shown to the booker (see `_quote_now`).

    `hold=True` (the caller decides, with `lesson_payment_due`: payment is due first) books it held:
    status "held" until `hold_expires_at` (LESSON_HOLD_MINUTES from now, at most until it starts).
    It blocks the slot like any lesson but is announced as `lesson_held`, not `lesson_booked`;
    `lesson_hold_confirm` confirms it once paid, `lesson_hold_expire` frees it when not."""
    now = now or timezone.now()
    student_get_for_booking(user=actor, student_id=student.pk)  # else NotFound
    _check_people(teacher=teacher, student=student, length=length)
    guardian_consent_require(student=student, actor=actor)
    course = None
    if course_id is not None:
        course = _private_course(course_id=course_id, teacher=teacher, student=student)
    end = start + timedelta(minutes=length)
    try:
        with transaction.atomic():
            if booking_lock_enabled():
                _lock(teacher, student)
            _expire_lapsed_holds(teacher=teacher, student=student, start=start, end=end, now=now)
            problem = _overlap_problem(
                teacher=teacher, student=student, start=start, end=end, now=now
            ) or _slot_problem(teacher=teacher, start=start, length=length, now=now)
            if problem:
                _raise(problem)
            if course is not None and course.lessons_included is not None:
                _check_package(course=course, student=student)
            quote = _quote_now(
                teacher=teacher, length=length, mode=mode, course=course, expected=expected
            )
            lesson = Lesson.objects.create(
                teacher=teacher,
                student=student,
                booked_by=actor,
                start=start,
                end=end,
                course=course,
                price=quote.price,
                currency=quote.currency,
                mode=quote.mode,
                **_held_fields(hold=hold, now=now, first_start=start),
            )
            announce(
                *((lesson_held, lesson_held_committed) if hold else _BOOKED),
                sender=Lesson,
                lesson=lesson,
                actor=actor,
                series=None,
            )
            return lesson
    except IntegrityError as exc:
        raise _overlap_conflict() from exc
    except DomainError as exc:
        _log_refusal("lesson_book", exc, teacher=teacher.pk, student=student.pk, start=start)
        raise


_BOOKED = (lesson_booked, lesson_booked_committed)


def _held_fields(*, hold: bool, now: datetime, first_start: datetime) -> dict:
    if not hold:
        return {}
    return {
        "status": LessonStatus.HELD,
        "hold_expires_at": _hold_until(now=now, first_start=first_start),
    }


def _overlap_conflict() -> Conflict:
    """What the database's exclusion constraint (a write that lost a race) becomes: a 409."""
    logger.warning("A lesson overlap reached the database constraint: answered 409 slot_taken")
    message = _("That time is no longer free.")
    return Conflict(message, errors={"start": [message]}, code="slot_taken")


def series_occurrences(
    *, teacher: TeacherProfile, first_start: datetime, count: int | None, until: date | None
) -> list[datetime]:
    """Weekly starts at the first lesson's wall-clock time in the teacher's zone (DST-proof)."""
    tz = zone(teacher.user.timezone)
    local = first_start.astimezone(tz)
    starts: list[datetime] = []
    for week in range(MAX_SERIES_OCCURRENCES):
        day = local.date() + timedelta(weeks=week)
        if count is not None and week >= count:
            break
        if until is not None and day > until:
            break
        starts.append(local_to_utc(day, local.time(), tz, ambiguous="earliest"))
    return starts


def series_book(
    *,
    actor: User,
    teacher: TeacherProfile,
    student: User,
    first_start: datetime,
    length: int,
    count: int | None = None,
    until: date | None = None,
    now: datetime | None = None,
    mode: str | None = None,
    expected: tuple[Decimal | None, str] | None = None,
    hold: bool = False,
) -> LessonSeries:
    """Book a weekly series, all or nothing: any occurrence that is not free → Conflict (409) listing
    every such date (the teacher's local dates). Each lesson stores the price, currency and mode
    shown (`expected` as in `lesson_book`). `hold=True` books every lesson held with one expiry (as
    `lesson_book`'s, at most until the first lesson starts), announced as `lesson_held`."""
    now = now or timezone.now()
    student_get_for_booking(user=actor, student_id=student.pk)  # else NotFound
    if (count is None) == (until is None):
        raise ValidationFailed(
            errors={"count": [_("Give either a number of lessons or an end date.")]}
        )
    if count is not None and not 1 <= count <= MAX_SERIES_OCCURRENCES:
        raise ValidationFailed(
            errors={
                "count": [_("A series has 1 to %(n)d lessons.") % {"n": MAX_SERIES_OCCURRENCES}]
            }
        )
    _check_people(teacher=teacher, student=student, length=length)
    guardian_consent_require(student=student, actor=actor)
    tz = zone(teacher.user.timezone)
    starts = series_occurrences(teacher=teacher, first_start=first_start, count=count, until=until)
    if not starts:
        raise ValidationFailed(errors={"until": [_("The end date is before the first lesson.")]})
    duration = timedelta(minutes=length)
    try:
        with transaction.atomic():
            if booking_lock_enabled():
                _lock(teacher, student)
            problems: list[str] = []
            for n, start in enumerate(starts):
                _expire_lapsed_holds(
                    teacher=teacher, student=student, start=start, end=start + duration, now=now
                )
                problem = _overlap_problem(
                    teacher=teacher, student=student, start=start, end=start + duration, now=now
                )
                status_message = problem or _slot_problem(
                    teacher=teacher, start=start, length=length, now=now, enforce_horizon=n == 0
                )
                if status_message:
                    problems.append(
                        f"{start.astimezone(tz).date().isoformat()}: {status_message[1]}"
                    )
            if problems:
                raise Conflict(
                    _("Some lessons of the series cannot be booked; nothing was booked."),
                    errors={"dates": problems},
                    code="series_unavailable",
                )
            quote = _quote_now(
                teacher=teacher, length=length, mode=mode, course=None, expected=expected
            )
            priced = {"price": quote.price, "currency": quote.currency, "mode": quote.mode}
            held = _held_fields(hold=hold, now=now, first_start=starts[0])
            local = first_start.astimezone(tz)
            series = LessonSeries.objects.create(
                teacher=teacher,
                student=student,
                booked_by=actor,
                timezone=teacher.user.timezone,
                weekday=local.weekday(),
                local_start_time=local.time().replace(tzinfo=None),
                length_minutes=length,
                first_date=local.date(),
                count=count,
                until=until,
                **priced,
            )
            lessons = Lesson.objects.bulk_create(
                Lesson(
                    teacher=teacher,
                    student=student,
                    booked_by=actor,
                    series=series,
                    start=start,
                    end=start + duration,
                    **priced,
                    **held,
                )
                for start in starts
            )
            for lesson in lessons:
                announce(
                    *((lesson_held, lesson_held_committed) if hold else _BOOKED),
                    sender=Lesson,
                    lesson=lesson,
                    actor=actor,
                    series=series,
                )
            return series
    except IntegrityError as exc:
        raise _overlap_conflict() from exc
    except DomainError as exc:
        _log_refusal("series_book", exc, teacher=teacher.pk, student=student.pk)
        raise


# Cancelling and rescheduling


def _teacher_side(*, lesson: Lesson, actor: User) -> bool:
    """The teacher (or an admin acting for the school): their cancellations are always free."""
    return lesson.teacher.user_id == actor.pk or is_admin(actor)


def _require_changer(*, lesson: Lesson, actor: User) -> None:
    if lesson_may_change(user=actor, lesson=lesson):
        return
    if lesson.kind == LessonKind.GROUP:
        detail = _("Only the teacher cancels a group session; give up your seat.")
    else:
        detail = _(
            "Only the lesson's teacher, its student or the student's guardian can change it."
        )
    raise refused(visible=lesson_visible_to(user=actor, lesson=lesson), detail=detail)


def _is_late(*, lesson: Lesson, now: datetime) -> bool:
    cutoff = cancellation_policy_for(lesson=lesson).cutoff_hours
    return now > lesson.start - timedelta(hours=cutoff)


def _locked_scheduled(lesson: Lesson, now: datetime, *, held_too: bool = False) -> Lesson:
    locked = Lesson.objects.select_for_update().select_related("teacher__user").get(pk=lesson.pk)
    allowed = (LessonStatus.SCHEDULED, LessonStatus.HELD) if held_too else (LessonStatus.SCHEDULED,)
    if locked.status not in allowed:
        raise Conflict(_("Only a scheduled lesson can be changed."), code="lesson_not_scheduled")
    if locked.start <= now:
        raise Conflict(_("The lesson has already started."), code="lesson_started")
    return locked


def lesson_cancel(
    *, lesson: Lesson, actor: User, reason: str = "", now: datetime | None = None
) -> Lesson:
    """Cancel under the lesson's cancellation policy (its course's, else the teacher's: see
    `cancellation_policy_for`): the teacher's side always free; the student's side free until
    the cut-off, after it the lesson counts as taken (charged). The outcome is recorded for billing.

    A held lesson (awaiting payment) can be cancelled too (the booker changed their mind): it
    becomes cancelled, never late, its hold cleared and its `billing_outcome` left as it was. Nothing
    was paid, so there is nothing to settle: billing sees `status == "cancelled"` with no payment
    for it (and refunds a payment that still arrives)."""
    now = now or timezone.now()
    _require_changer(lesson=lesson, actor=actor)
    if errors := model_field_errors(Lesson, cancellation_reason=reason.strip()[:300]):
        raise ValidationFailed(errors={"reason": errors["cancellation_reason"]})
    with transaction.atomic():
        lesson = _locked_scheduled(lesson, now, held_too=True)
        was_held = lesson.status == LessonStatus.HELD
        consequence = cancellation_consequence(lesson=lesson, actor=actor, now=now)
        late = consequence.late and not was_held
        lesson.status = LessonStatus.CANCELLED
        lesson.hold_expires_at = None
        lesson.cancelled_by = actor
        lesson.cancelled_at = now
        lesson.cancelled_late = late
        lesson.cancellation_reason = reason.strip()[:300]
        if not was_held:
            lesson.billing_outcome = BillingOutcome(consequence.outcome)
        lesson.sequence += 1
        lesson.save()
        logger.info(
            "Lesson %s cancelled by user %s: late=%s, billing outcome %s",
            lesson.pk,
            actor.pk,
            late,
            lesson.billing_outcome,
        )
        announce(
            lesson_cancelled,
            lesson_cancelled_committed,
            sender=Lesson,
            lesson=lesson,
            actor=actor,
            late=late,
            billing_outcome=lesson.billing_outcome,
            was_held=was_held,
        )
    return lesson


def lesson_reschedule(
    *, lesson: Lesson, actor: User, start: datetime, now: datetime | None = None
) -> Lesson:
    """Move a lesson to another free slot of the same length. The student's side may do so only until
    the cancellation cut-off; the teacher's side at any time before it starts."""
    now = now or timezone.now()
    allowed = lesson_may_change(user=actor, lesson=lesson)
    if not allowed and not lesson_visible_to(user=actor, lesson=lesson):
        raise NotFound()
    if lesson.kind == LessonKind.GROUP:
        # Its seat holders' other lessons would all need checking: cancel and create a new session.
        raise Conflict(
            _("A group session cannot be moved; cancel it and create a new one."),
            code="group_session_not_movable",
        )
    _require_changer(lesson=lesson, actor=actor)
    try:
        with transaction.atomic():
            if booking_lock_enabled():
                _lock(lesson.teacher, lesson.student)
            lesson = _locked_scheduled(lesson, now)
            if not _teacher_side(lesson=lesson, actor=actor) and _is_late(lesson=lesson, now=now):
                raise Conflict(
                    _("It is too late to reschedule this lesson; cancelling now counts as taken."),
                    code="reschedule_too_late",
                )
            length = int((lesson.end - lesson.start).total_seconds() // 60)
            end = start + timedelta(minutes=length)
            _expire_lapsed_holds(
                teacher=lesson.teacher, student=lesson.student, start=start, end=end, now=now
            )
            problem = _overlap_problem(
                teacher=lesson.teacher,
                student=lesson.student,
                start=start,
                end=end,
                exclude_pk=lesson.pk,
                now=now,
            )
            problem = problem or _slot_problem(
                teacher=lesson.teacher, start=start, length=length, now=now, exclude_pk=lesson.pk
            )
            if problem:
                _raise(problem)
            previous_start, previous_end = lesson.start, lesson.end
            lesson.start, lesson.end = start, end
            lesson.sequence += 1
            lesson.save(update_fields=["start", "end", "sequence", "updated_at"])
            announce(
                lesson_rescheduled,
                lesson_rescheduled_committed,
                sender=Lesson,
                lesson=lesson,
                actor=actor,
                previous_start=previous_start,
                previous_end=previous_end,
            )
            return lesson
    except IntegrityError as exc:
        raise _overlap_conflict() from exc
    except DomainError as exc:
        _log_refusal("lesson_reschedule", exc, lesson=lesson.pk, start=start)
        raise


def series_cancel(
    *, series: LessonSeries, actor: User, reason: str = "", now: datetime | None = None
) -> list[Lesson]:
    """Cancel every lesson of the series that has not started yet, each under the cancellation policy
    (so a late one on the student's side still counts as taken). Returns the lessons cancelled.
    The series' teacher, an admin, its student or an active guardian of theirs; to anyone else it
    does not exist (they are also the only ones who may see it)."""
    now = now or timezone.now()
    if not series_visible_to(user=actor, series=series):
        raise NotFound()
    with transaction.atomic():
        pending = list(
            series.lessons.filter(
                status__in=(LessonStatus.SCHEDULED, LessonStatus.HELD), start__gt=now
            ).order_by("start")
        )
        return [
            lesson_cancel(lesson=lesson, actor=actor, reason=reason, now=now) for lesson in pending
        ]


# Holds: bookings awaiting payment


def lesson_hold_confirm(
    *, lessons: Iterable[Lesson], actor: User | None = None, now: datetime | None = None
) -> list[Lesson]:
    """The payment for held lessons arrived (billing, `actor` None; or an admin): each becomes
    scheduled, its hold cleared, announced as `lesson_booked` (actor: whoever booked it, series) as a
    confirmed booking would be. All or nothing, and safe to repeat (an already scheduled lesson is
    left as it is and not announced again). A hold that ran out (expired, or lapsed and not yet
    swept) is taken again if its slot is still free; when the slot was taken meanwhile → Conflict
    `hold_expired_slot_taken` and nothing changes (billing refunds). A cancelled lesson → Conflict
    `lesson_not_held`; one whose start has passed → Conflict `lesson_started`. Anyone but billing
    (no actor) or an admin is refused (PermissionDenied): paying is how a person confirms."""
    if actor is not None and not is_admin(actor):
        raise PermissionDenied(_("Only an admin confirms a booking by hand."))
    now = now or timezone.now()
    lessons = sorted(lessons, key=lambda lesson: lesson.pk)
    confirmed: list[Lesson] = []
    try:
        with transaction.atomic():
            for given in lessons:
                if booking_lock_enabled():
                    _lock(given.teacher, given.student)
                lesson = (
                    # Lock the lesson row only: PostgreSQL refuses FOR UPDATE on the nullable
                    # side of the outer joins (booked_by, series).
                    Lesson.objects.select_for_update(of=("self",))
                    .select_related("teacher__user", "student", "booked_by", "series")
                    .get(pk=given.pk)
                )
                if lesson.status == LessonStatus.SCHEDULED:
                    confirmed.append(lesson)
                    continue
                if lesson.status not in (LessonStatus.HELD, LessonStatus.EXPIRED):
                    message = _("This booking is no longer awaiting payment.")
                    raise Conflict(message, code="lesson_not_held")
                lapsed = lesson.status == LessonStatus.EXPIRED or lesson.hold_expires_at <= now
                if lapsed and lesson.start <= now:
                    raise Conflict(_("The lesson has already started."), code="lesson_started")
                if lapsed and _overlap_problem(
                    teacher=lesson.teacher,
                    student=lesson.student,
                    start=lesson.start,
                    end=lesson.end,
                    exclude_pk=lesson.pk,
                    now=now,
                ):
                    raise _hold_expired_conflict()
                lesson.status = LessonStatus.SCHEDULED
                lesson.hold_expires_at = None
                lesson.save(update_fields=["status", "hold_expires_at", "updated_at"])
                logger.info("Held lesson %s confirmed (paid)", lesson.pk)
                announce(
                    *_BOOKED,
                    sender=Lesson,
                    lesson=lesson,
                    actor=lesson.booked_by if actor is None else actor,
                    series=lesson.series,
                )
                confirmed.append(lesson)
    except IntegrityError as exc:
        raise _hold_expired_conflict() from exc
    except DomainError as exc:
        _log_refusal("lesson_hold_confirm", exc, lessons=[lesson.pk for lesson in lessons])
        raise
    return confirmed


def _hold_expired_conflict() -> Conflict:
    message = _(
        "The booking was not paid in time and its time has been booked by someone else since."
    )
    return Conflict(message, code="hold_expired_slot_taken")


def lesson_hold_expire(*, lesson: Lesson, now: datetime | None = None) -> bool:
    """A held lesson whose hold ran out by `now` becomes expired: its slot is free again and it counts
    for nothing; announced as `lesson_hold_expired` (inbox tells the booker). Anything else (paid,
    cancelled, already expired, still within its hold) is left alone: False. Safe to run twice."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Lesson.objects.select_for_update().filter(pk=lesson.pk).first()
        if (
            locked is None
            or locked.status != LessonStatus.HELD
            or locked.hold_expires_at is None
            or locked.hold_expires_at > now
        ):
            return False
        locked.status = LessonStatus.EXPIRED
        locked.hold_expires_at = None
        locked.save(update_fields=["status", "hold_expires_at", "updated_at"])
        logger.info("Held lesson %s expired unpaid", locked.pk)
        announce(
            lesson_hold_expired,
            lesson_hold_expired_committed,
            sender=Lesson,
            lesson=locked,
            actor=None,
        )
    return True


def lessons_hold_expire_due(*, now: datetime | None = None) -> int:
    """Expire every held lesson whose hold ran out by `now` (the sweep django-q2 runs every minute),
    each in its own transaction; the number expired. Running it twice (or two at once) expires each
    lesson once."""
    now = now or timezone.now()
    due = Lesson.objects.filter(status=LessonStatus.HELD, hold_expires_at__lte=now).order_by("pk")
    return sum(lesson_hold_expire(lesson=lesson, now=now) for lesson in due.only("pk"))
