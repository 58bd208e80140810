"""Writes for running lessons: group sessions and their seats, attendance, lesson notes and homework,
the video-call link and materials shared in a lesson.

Locks, always taken in this order so that no two writers wait on each other in a circle:
course row → teacher profile row → lesson rows (by id) → student user rows (by id).
- A group session's seat count is checked under a lock on the lesson row: two students can never both
  take its last seat.
- A student's overlaps (1:1 lessons and seats) are checked under a lock on the student's user row, the
  same lock 1:1 booking takes (classroom/scheduling/services.py), so a seat and a 1:1 lesson at the same
  time cannot both be written.
- The teacher's overlaps are checked under the teacher row lock that 1:1 booking takes; on PostgreSQL
  the exclusion constraint on the teacher (group sessions included) backs it and its IntegrityError
  becomes a 409.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from authentication.models import User
from authentication.roles import is_teacher
from authentication.selectors import guardian_consent_require, students_held_by_consent
from courses.choices import CourseFormat, EnrollmentStatus
from courses.models import Course, Enrollment, Material
from courses.selectors import can_manage_course, material_get_for_user
from cplatform.exceptions import Conflict, DomainError, NotFound, ValidationFailed, refused
from cplatform.signals import announce
from cplatform.validators import model_field_errors

from .. import signals
from ..choices import TIME_FREED, AttendanceStatus, BillingOutcome, LessonKind, LessonStatus
from ..models import Attendance, HomeworkDone, Lesson, LessonSeat, TeacherProfile
from ..scheduling.selectors import (
    cancellation_policy_for,
    lesson_visible_to,
    student_get_for_booking,
)
from ..scheduling.services import booking_lock_enabled
from .selectors import can_run_lesson, is_lesson_student, student_list_for_lesson

logger = logging.getLogger(__name__)

MIN_SESSION_MINUTES, MAX_SESSION_MINUTES = 15, 8 * 60
MAX_SESSION_CAPACITY = 500
EDITABLE_FIELDS = ("title", "notes", "homework", "homework_due", "video_call_url")
https_only = URLValidator(schemes=["https"])


def _require_runner(*, actor: User, lesson: Lesson) -> None:
    if not can_run_lesson(user=actor, lesson=lesson):
        raise refused(
            visible=lesson_visible_to(user=actor, lesson=lesson),
            detail=_("Only the lesson's teacher can do this."),
        )


def _refuse_unconfirmed(lesson: Lesson, *, held_ok: bool = False) -> None:
    """A booking awaiting payment (held) is not taking place yet: no attendance (`held_ok` lets
    notes and materials be prepared); one that expired unpaid never will: nothing at all."""
    refused_statuses = (
        (LessonStatus.EXPIRED,) if held_ok else (LessonStatus.HELD, LessonStatus.EXPIRED)
    )
    if lesson.status in refused_statuses:
        raise Conflict(
            _("This booking is not confirmed: it awaits payment or expired unpaid."),
            code="lesson_not_confirmed",
        )


def _locked_lesson(lesson: Lesson) -> Lesson:
    return Lesson.objects.select_for_update().select_related("teacher").get(pk=lesson.pk)


def _lock_students(student_ids: Iterable[int]) -> None:
    ids = sorted(set(student_ids))
    if ids and booking_lock_enabled():
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def _student_busy(*, student_id: int, start, end, exclude_lesson_id: int | None = None) -> bool:
    """Whether the student has a 1:1 lesson or a live seat overlapping [start, end)."""
    live = Lesson.objects.exclude(status__in=TIME_FREED).filter(start__lt=end, end__gt=start)
    if exclude_lesson_id is not None:
        live = live.exclude(pk=exclude_lesson_id)
    return live.filter(
        Q(student_id=student_id)
        | Q(
            pk__in=LessonSeat.objects.filter(
                student_id=student_id, cancelled_at__isnull=True
            ).values("lesson_id")
        )
    ).exists()


def _busy_students(*, student_ids: list[int], start, end, exclude_lesson_id: int) -> set[int]:
    """Which of the students have a 1:1 lesson or a live seat overlapping [start, end): two queries."""
    live = (
        Lesson.objects.exclude(status__in=TIME_FREED)
        .filter(start__lt=end, end__gt=start)
        .exclude(pk=exclude_lesson_id)
    )
    busy = set(live.filter(student_id__in=student_ids).values_list("student_id", flat=True))
    busy |= set(
        LessonSeat.objects.filter(
            student_id__in=student_ids, cancelled_at__isnull=True, lesson__in=live
        ).values_list("student_id", flat=True)
    )
    return busy


def _is_active_student(*, course_id: int, student_id: int) -> bool:
    return Enrollment.objects.filter(
        course_id=course_id, student_id=student_id, status=EnrollmentStatus.ACTIVE
    ).exists()


# Group sessions


def _teaches(user: User, course: Course) -> bool:
    return course.owner_id == user.pk or course.teachers.filter(pk=user.pk).exists()


def _session_teacher(*, actor: User, course: Course) -> TeacherProfile:
    """Who teaches the new session: the actor when they teach the course; for an admin, the owner."""
    if not can_manage_course(user=actor, course=course):
        raise NotFound()
    user = actor if is_teacher(actor) and _teaches(actor, course) else course.owner
    try:
        return TeacherProfile.objects.select_related("user").get(user=user)
    except TeacherProfile.DoesNotExist as exc:
        message = _("The course's teacher has no teacher profile.")
        raise ValidationFailed(
            message, errors={"course_id": [message]}, code="teacher_profile_missing"
        ) from exc


def group_session_create(
    *,
    actor: User,
    course: Course,
    start: datetime,
    length: int,
    title: str = "",
    capacity: int | None = None,
    video_call_url: str = "",
    now: datetime | None = None,
) -> Lesson:
    """A teacher of a group course (or an admin, for the course's owner) schedules a session. It need not
    sit in the teacher's availability, but must not overlap the teacher's other lessons (409). Every
    actively enrolled student gets a seat, in enrolment order, up to the seats. Left out, without
    failing the teacher's action: students with another lesson at that time (they can take a seat
    later if one is free) and students the guardian-consent gate holds back (an enrolment made before
    the gate, or consent ended since: they take a seat once a guardian consents;
    `selectors.session_students_held_by_consent` counts them for the teacher)."""
    now = now or timezone.now()
    teacher = _session_teacher(actor=actor, course=course)
    errors: dict[str, list[str]] = {}
    if course.format != CourseFormat.GROUP:
        errors["course_id"] = [_("Sessions belong to group courses.")]
    if not MIN_SESSION_MINUTES <= length <= MAX_SESSION_MINUTES:
        errors["length"] = [
            _("A session lasts %(min)d to %(max)d minutes.")
            % {"min": MIN_SESSION_MINUTES, "max": MAX_SESSION_MINUTES}
        ]
    if start <= now:
        errors["start"] = [_("A session must start in the future.")]
    seats = capacity if capacity is not None else course.capacity
    if seats is None or not 1 <= seats <= MAX_SESSION_CAPACITY:
        errors["capacity"] = [
            _("Give between 1 and %(max)d seats.") % {"max": MAX_SESSION_CAPACITY}
        ]
    title = (title or "").strip()
    if len(title) > 160:
        errors["title"] = [_("Use at most 160 characters.")]
    texts = {"title": title, "video_call_url": video_call_url}
    for field, messages in model_field_errors(Lesson, **texts).items():
        errors.setdefault(field, messages)
    if video_call_url:
        errors.update(_video_url_errors(video_call_url))
    if errors:
        raise ValidationFailed(errors=errors)
    end = start + timedelta(minutes=length)
    try:
        with transaction.atomic():
            locked_course = Course.objects.select_for_update().get(pk=course.pk)
            if booking_lock_enabled():
                TeacherProfile.objects.select_for_update().filter(pk=teacher.pk).first()
            clash = (
                Lesson.objects.exclude(status__in=TIME_FREED)
                .filter(teacher=teacher, start__lt=end, end__gt=start)
                .exists()
            )
            if clash:
                message = _("The teacher already has a lesson at that time.")
                raise Conflict(message, errors={"start": [message]}, code="slot_taken")
            lesson = Lesson.objects.create(
                kind=LessonKind.GROUP,
                teacher=teacher,
                course=locked_course,
                title=title or locked_course.title,
                capacity=seats,
                student=None,
                booked_by=actor,
                start=start,
                end=end,
                video_call_url=video_call_url,
            )
            enrolled = list(
                Enrollment.objects.filter(course=locked_course, status=EnrollmentStatus.ACTIVE)
                .order_by("created_at", "pk")
                .values_list("student_id", "enrolled_by_id")
            )
            student_ids = [student_id for student_id, _by in enrolled]
            _lock_students(student_ids)
            left_out = _busy_students(
                student_ids=student_ids, start=start, end=end, exclude_lesson_id=lesson.pk
            )
            left_out |= students_held_by_consent(student_ids=student_ids)
            free = [(s, by) for s, by in enrolled if s not in left_out][:seats]
            seats_given = LessonSeat.objects.bulk_create(
                LessonSeat(lesson=lesson, student_id=s, booked_by_id=by, created_at=now)
                for s, by in free
            )
            for seat in seats_given:
                _announce_seat(signals.seat_taken, signals.seat_taken_committed, seat, actor=None)
            return lesson
    except IntegrityError as exc:
        logger.warning("A session overlap reached the database constraint: answered 409")
        message = _("That time is no longer free.")
        raise Conflict(message, errors={"start": [message]}, code="slot_taken") from exc


def seat_take(
    *, actor: User, lesson: Lesson, student: User, now: datetime | None = None
) -> LessonSeat:
    """An actively enrolled student (or their parent: `student_get_for_booking` decides whom the actor may
    act for) takes a seat in an upcoming group session. Full, already seated or busy at that time: 409."""
    now = now or timezone.now()
    student_get_for_booking(user=actor, student_id=student.pk)  # else NotFound
    try:
        with transaction.atomic():
            locked = _locked_lesson(lesson) if booking_lock_enabled() else lesson
            if locked.kind != LessonKind.GROUP:
                raise ValidationFailed(
                    _("Seats belong to group sessions."), code="not_a_group_session"
                )
            if locked.status != LessonStatus.SCHEDULED or locked.start <= now:
                raise Conflict(
                    _("Seats can only be taken in an upcoming session."), code="lesson_started"
                )
            if not _is_active_student(course_id=locked.course_id, student_id=student.pk):
                raise NotFound()
            # A session is live contact with a teacher: the consent gate holds here too (for an
            # enrolment made before it, or a guardian's consent withdrawn since).
            guardian_consent_require(student=student, actor=actor)
            if locked.seats.filter(student=student, cancelled_at__isnull=True).exists():
                raise Conflict(_("You already have a seat in this session."), code="already_seated")
            if locked.seats.filter(cancelled_at__isnull=True).count() >= locked.capacity:
                raise Conflict(_("This session is full."), code="session_full")
            _lock_students([student.pk])
            if _student_busy(
                student_id=student.pk,
                start=locked.start,
                end=locked.end,
                exclude_lesson_id=locked.pk,
            ):
                raise Conflict(
                    _("The student already has a lesson at that time."), code="student_busy"
                )
            seat = LessonSeat.objects.create(
                lesson=locked, student=student, booked_by=actor, created_at=now
            )
            _announce_seat(signals.seat_taken, signals.seat_taken_committed, seat, actor=actor)
            return seat
    except DomainError as exc:
        level = logging.WARNING if exc.status_code == 409 else logging.INFO
        logger.log(level, "seat_take refused (%s): lesson %s", exc.code, lesson.pk)
        raise
    except IntegrityError as exc:
        logger.warning("A second seat reached the database constraint: answered 409")
        raise Conflict(
            _("You already have a seat in this session."), code="already_seated"
        ) from exc


def seat_release(
    *, actor: User, lesson: Lesson, student: User, now: datetime | None = None
) -> LessonSeat | None:
    """Give up a seat in a session that has not started; the row stays as history. Idempotent (the
    API's rule for a singleton of the caller's): with no seat to give up, nothing happens (None)."""
    now = now or timezone.now()
    student_get_for_booking(user=actor, student_id=student.pk)  # else NotFound
    with transaction.atomic():
        locked = _locked_lesson(lesson)
        seat = (
            LessonSeat.objects.select_for_update()
            .filter(lesson=locked, student=student, cancelled_at__isnull=True)
            .first()
        )
        if seat is None:
            return None
        if locked.status != LessonStatus.SCHEDULED or locked.start <= now:
            raise Conflict(
                _("The session has already started or is no longer scheduled."),
                code="lesson_started",
            )
        seat.cancelled_at = now
        seat.save(update_fields=["cancelled_at"])
        _announce_seat(signals.seat_released, signals.seat_released_committed, seat, actor=actor)
        return seat


def seats_give_for_enrollment(*, enrollment: Enrollment, now: datetime | None = None) -> int:
    """A newly active student gets a seat in every upcoming session of the course that has room and
    does not clash with their other lessons. Runs inside the enrolment's transaction (course locked).
    A student the guardian-consent gate holds back gets none (the services that activate an enrolment
    check it too; sessions are live contact, so this door holds on its own)."""
    now = now or timezone.now()
    sessions = list(
        Lesson.objects.select_for_update()
        .filter(
            course_id=enrollment.course_id,
            kind=LessonKind.GROUP,
            status=LessonStatus.SCHEDULED,
            start__gt=now,
        )
        .order_by("pk")
    )
    if not sessions or students_held_by_consent(student_ids=[enrollment.student_id]):
        return 0
    _lock_students([enrollment.student_id])
    given = 0
    for lesson in sorted(sessions, key=lambda s: s.start):
        live = lesson.seats.filter(cancelled_at__isnull=True)
        if live.filter(student_id=enrollment.student_id).exists():
            continue
        if live.count() >= lesson.capacity:
            continue
        if _student_busy(
            student_id=enrollment.student_id,
            start=lesson.start,
            end=lesson.end,
            exclude_lesson_id=lesson.pk,
        ):
            continue
        seat = LessonSeat.objects.create(
            lesson=lesson,
            student_id=enrollment.student_id,
            booked_by_id=enrollment.enrolled_by_id,
            created_at=now,
        )
        _announce_seat(signals.seat_taken, signals.seat_taken_committed, seat, actor=None)
        given += 1
    return given


def seats_release_for_enrollment(*, enrollment: Enrollment, now: datetime | None = None) -> int:
    """A student whose enrolment ended gives up their seats in the course's sessions not yet started;
    seats in past sessions stay (attendance history)."""
    now = now or timezone.now()
    sessions = list(
        Lesson.objects.select_for_update()
        .filter(course_id=enrollment.course_id, kind=LessonKind.GROUP, start__gt=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not sessions:
        return 0
    seats = list(
        LessonSeat.objects.select_for_update().filter(
            lesson_id__in=sessions, student_id=enrollment.student_id, cancelled_at__isnull=True
        )
    )
    LessonSeat.objects.filter(pk__in=[seat.pk for seat in seats]).update(cancelled_at=now)
    for seat in seats:
        seat.cancelled_at = now
        _announce_seat(signals.seat_released, signals.seat_released_committed, seat, actor=None)
    return len(seats)


def _announce_seat(signal, committed, seat: LessonSeat, *, actor: User | None) -> None:
    announce(
        signal,
        committed,
        sender=LessonSeat,
        seat=seat,
        lesson=seat.lesson,
        student_id=seat.student_id,
        actor=actor,
    )


# Running a lesson


def attendance_record(
    *, actor: User, lesson: Lesson, marks: Iterable[dict], now: datetime | None = None
) -> list[Attendance]:
    """The teacher records (or corrects) attendance: `marks` [{student_id, status, note}] for the 1:1
    student or the live seat holders. Only once the lesson has started, never on a cancelled one.
    Then the lesson's status follows: a 1:1 lesson whose student is absent is a no-show (charged), one
    whose absence the teacher excused is a no-show settled like a free cancellation (refund or credit,
    as the lesson's cancellation policy says: its course's, else the teacher's); otherwise the lesson is completed (charged)."""
    now = now or timezone.now()
    _require_runner(actor=actor, lesson=lesson)
    marks = [dict(m) for m in marks]
    if not marks:
        raise ValidationFailed(errors={"marks": [_("Mark at least one student.")]})
    with transaction.atomic():
        locked = _locked_lesson(lesson)
        if locked.status == LessonStatus.CANCELLED:
            raise Conflict(_("The lesson was cancelled."), code="lesson_cancelled")
        _refuse_unconfirmed(locked)
        if locked.start > now:
            raise Conflict(
                _("Attendance can be recorded once the lesson has started."),
                code="lesson_not_started",
            )
        allowed = {s.pk for s in student_list_for_lesson(lesson=locked)}
        problems: list[str] = []
        seen: set[int] = set()
        for mark in marks:
            student_id = mark.get("student_id")
            if student_id in seen:
                problems.append(_("Student %(id)s is marked twice.") % {"id": student_id})
            elif student_id not in allowed:
                problems.append(_("Student %(id)s is not in this lesson.") % {"id": student_id})
            if mark.get("status") not in AttendanceStatus.values:
                problems.append(_("Unknown attendance status “%(s)s”.") % {"s": mark.get("status")})
            if len(mark.get("note") or "") > 300:
                problems.append(_("A note has at most 300 characters."))
            elif note_errors := model_field_errors(Attendance, note=mark.get("note") or ""):
                problems.extend(note_errors["note"])
            seen.add(student_id)
        if problems:
            raise ValidationFailed(errors={"marks": problems})
        rows = []
        for mark in marks:
            row, _created = Attendance.objects.update_or_create(
                lesson=locked,
                student_id=mark["student_id"],
                defaults={
                    "status": mark["status"],
                    "note": (mark.get("note") or "").strip(),
                    "recorded_by": actor,
                },
            )
            rows.append(row)
        locked.billing_outcome = BillingOutcome.CHARGE
        if locked.kind == LessonKind.PRIVATE:
            mark = locked.attendances.get(student_id=locked.student_id).status
            if mark in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
                locked.status = LessonStatus.NO_SHOW
            else:
                locked.status = LessonStatus.COMPLETED
            if mark == AttendanceStatus.EXCUSED:
                # The teacher excused the absence: settled like a free cancellation, not charged.
                locked.billing_outcome = cancellation_policy_for(lesson=locked).free_outcome
        else:
            locked.status = LessonStatus.COMPLETED
        locked.save(update_fields=["status", "billing_outcome", "updated_at"])
        logger.info(
            "Attendance of lesson %s recorded: %s, billing outcome %s",
            locked.pk,
            locked.status,
            locked.billing_outcome,
        )
        announce(
            signals.attendance_recorded,
            signals.attendance_recorded_committed,
            sender=Lesson,
            lesson=locked,
            attendances=rows,
            actor=actor,
        )
    return rows


def _video_url_errors(value: str) -> dict[str, list[str]]:
    if len(value) > 500:
        return {"video_call_url": [_("Use at most 500 characters.")]}
    try:
        https_only(value)
    except ValidationError:
        return {"video_call_url": [_("Enter a full https:// address.")]}
    return {}


def lesson_update(*, actor: User, lesson: Lesson, data: dict) -> Lesson:
    """The teacher writes the lesson's notes, homework (+ due date), title and video-call link (https).
    A cancelled lesson is no longer edited."""
    _require_runner(actor=actor, lesson=lesson)
    data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    errors: dict[str, list[str]] = {}
    for field in ("title", "notes", "homework", "video_call_url"):
        if field in data:
            data[field] = (data[field] or "").strip()
    if data.get("video_call_url"):
        errors.update(_video_url_errors(data["video_call_url"]))
    limits = {"title": 160, "notes": 10000, "homework": 10000}
    for field, limit in limits.items():
        if len(data.get(field) or "") > limit:
            errors[field] = [_("Use at most %(n)d characters.") % {"n": limit}]
    texts = {f: data[f] for f in ("title", "notes", "homework", "video_call_url") if f in data}
    for field, messages in model_field_errors(Lesson, **texts).items():
        errors.setdefault(field, messages)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        locked = _locked_lesson(lesson)
        if locked.status == LessonStatus.CANCELLED:
            raise Conflict(_("The lesson was cancelled."), code="lesson_cancelled")
        _refuse_unconfirmed(locked, held_ok=True)
        posted = [
            field
            for field in ("notes", "homework", "homework_due")
            if field in data and data[field] != getattr(locked, field)
        ]
        for field, value in data.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*data, "updated_at"])
        if posted:
            announce(
                signals.lesson_notes_posted,
                signals.lesson_notes_posted_committed,
                sender=Lesson,
                lesson=locked,
                actor=actor,
                fields=posted,
            )
    return locked


def lesson_material_attach(
    *, actor: User, lesson: Lesson, material_id: int | None = None, material: Material | None = None
) -> Lesson:
    """Share a material of the lesson's course in the lesson (idempotent): one the actor may open,
    named by id (an unknown one is a field error) or given."""
    _require_runner(actor=actor, lesson=lesson)
    if material is None:
        try:
            material = material_get_for_user(user=actor, material_id=material_id)
        except NotFound as exc:
            message = _("There is no such material.")
            raise ValidationFailed(message, errors={"material_id": [message]}) from exc
    if lesson.course_id is None:
        message = _("This lesson belongs to no course, so it has no materials to share.")
        raise ValidationFailed(message, errors={"material_id": [message]})
    if material.course_id != lesson.course_id:
        message = _("The material belongs to another course.")
        raise ValidationFailed(message, errors={"material_id": [message]})
    if lesson.status == LessonStatus.CANCELLED:
        raise Conflict(_("The lesson was cancelled."), code="lesson_cancelled")
    _refuse_unconfirmed(lesson, held_ok=True)
    with transaction.atomic():
        if not lesson.materials.filter(pk=material.pk).exists():
            lesson.materials.add(material)
            announce(
                signals.lesson_material_shared,
                signals.lesson_material_shared_committed,
                sender=Lesson,
                lesson=lesson,
                material=material,
                actor=actor,
            )
    return lesson


def lesson_material_detach(*, actor: User, lesson: Lesson, material_id: int) -> None:
    _require_runner(actor=actor, lesson=lesson)
    if not lesson.materials.filter(pk=material_id).exists():
        raise NotFound()
    lesson.materials.remove(material_id)


def _require_homework_student(*, actor: User, lesson: Lesson) -> None:
    """Only the lesson's student (1:1) or a live seat holder marks its homework; anyone else who sees
    the lesson (its teacher, a parent, an admin) is refused, and the rest meet a 404."""
    if not is_lesson_student(user=actor, lesson=lesson):
        raise refused(
            visible=lesson_visible_to(user=actor, lesson=lesson),
            detail=_("Only the lesson's student can mark its homework as done."),
        )


def homework_done_mark(*, actor: User, lesson: Lesson, now: datetime | None = None) -> HomeworkDone:
    """The lesson's student marks its homework done (idempotent: marking it again keeps the first
    time). Only when the lesson has homework (409 `no_homework`)."""
    _require_homework_student(actor=actor, lesson=lesson)
    with transaction.atomic():
        locked = _locked_lesson(lesson)
        if not locked.homework:
            raise Conflict(_("This lesson has no homework to mark as done."), code="no_homework")
        mark, _created = HomeworkDone.objects.get_or_create(
            lesson=locked, student=actor, defaults={"done_at": now or timezone.now()}
        )
    return mark


def homework_done_undo(*, actor: User, lesson: Lesson) -> None:
    """The lesson's student takes back their mark (idempotent: nothing to undo changes nothing)."""
    _require_homework_student(actor=actor, lesson=lesson)
    HomeworkDone.objects.filter(lesson=lesson, student=actor).delete()
