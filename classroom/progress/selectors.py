"""Reads for progress and history, each checking who asks. A student, enrolment or note the person may
not see answers exactly like a missing one (NotFound).

Every list here is a fixed number of queries however many rows it holds: the per-enrolment figures are
correlated subqueries of the one enrolment query, notes and modules arrive by prefetch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from authentication.models import User
from authentication.roles import is_admin, is_parent, is_teacher
from authentication.selectors import acts_for_student, children_of, is_guardian_of
from courses.choices import EnrollmentStatus
from courses.models import Enrollment, Module, ModuleCompletion, ProgressNote
from courses.selectors import can_manage_course, enrollment_list_for_user
from cplatform.exceptions import NotFound

from ..choices import TIME_FREED, AttendanceStatus, LessonKind
from ..models import Attendance, Lesson, LessonSeat
from ..scheduling.selectors import lesson_list_for_user
from ..selectors import my_students, teacher_course_ids

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class SubqueryCount(Subquery):
    """`(SELECT count(*) FROM (<subquery>))`: a count per outer row inside the outer query."""

    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def _released(prefix: str = "", now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(**{f"{prefix}release_at__isnull": True}) | Q(**{f"{prefix}release_at__lte": now})


def _live_seat_of(student_ref) -> Exists:
    return Exists(
        LessonSeat.objects.filter(
            lesson=OuterRef("pk"), student=student_ref, cancelled_at__isnull=True
        )
    )


def _course_lessons_of_enrolment() -> QuerySet[Lesson]:
    """Non-cancelled lessons of the outer enrolment's course that its student takes: their 1:1 lessons
    of the course and the group sessions where they hold a live seat."""
    student = OuterRef("student")
    return (
        Lesson.objects.filter(course=OuterRef("course"))
        .exclude(status__in=TIME_FREED)
        .filter(
            Q(kind=LessonKind.PRIVATE, student=student)
            | Q(_live_seat_of(OuterRef(OuterRef("student"))), kind=LessonKind.GROUP)
        )
    )


def _attendance_of_enrolment(statuses) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        student=OuterRef("student"),
        lesson__course=OuterRef("course"),
        status__in=statuses,
    ).exclude(lesson__status__in=TIME_FREED)


def with_progress(qs: QuerySet[Enrollment], *, now: datetime | None = None) -> QuerySet[Enrollment]:
    """Enrolments annotated with their figures (`sessions_planned`, `sessions_attended`, `absences`,
    `excused`, `modules_completed`, `modules_released`, `next_lesson_id`, `next_lesson_start`,
    `next_lesson_end`) and the notes prefetched newest first (`notes`)."""
    now = now or timezone.now()
    upcoming = _course_lessons_of_enrolment().filter(end__gt=now).order_by("start", "pk")
    return (
        qs.select_related("course", "course__owner", "student")
        .annotate(
            sessions_planned=SubqueryCount(_course_lessons_of_enrolment().values("pk")),
            sessions_attended=SubqueryCount(_attendance_of_enrolment(ATTENDED).values("pk")),
            absences=SubqueryCount(
                _attendance_of_enrolment([AttendanceStatus.ABSENT]).values("pk")
            ),
            excused=SubqueryCount(
                _attendance_of_enrolment([AttendanceStatus.EXCUSED]).values("pk")
            ),
            modules_completed=SubqueryCount(
                ModuleCompletion.objects.filter(enrollment=OuterRef("pk"))
                .filter(_released("module__", now))
                .values("pk")
            ),
            modules_released=SubqueryCount(
                Module.objects.filter(course=OuterRef("course"))
                .filter(_released("", now))
                .values("pk")
            ),
            next_lesson_id=Subquery(upcoming.values("pk")[:1]),
            next_lesson_start=Subquery(upcoming.values("start")[:1]),
            next_lesson_end=Subquery(upcoming.values("end")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "progress_notes",
                queryset=ProgressNote.objects.select_related("author").order_by(
                    "-created_at", "-pk"
                ),
                to_attr="notes",
            )
        )
    )


# --- who may see a student ---------------------------------------------------------------------------


def student_list_for_teacher(*, teacher: User, now: datetime | None = None) -> QuerySet[User]:
    """A teacher's students, by name, with `lessons_taken` (non-cancelled lessons with this teacher that
    have ended), `next_lesson_start` and `enrollments_count` (in this teacher's courses, any status)."""
    if not is_teacher(teacher):
        return User.objects.none()
    now = now or timezone.now()
    with_teacher = Lesson.objects.filter(teacher__user=teacher).exclude(status__in=TIME_FREED)
    theirs = with_teacher.filter(
        Q(student=OuterRef("pk")) | Q(_live_seat_of(OuterRef(OuterRef("pk"))))
    )
    return (
        my_students(teacher)
        .annotate(
            lessons_taken=SubqueryCount(theirs.filter(end__lte=now).values("pk")),
            next_lesson_start=Subquery(
                theirs.filter(end__gt=now).order_by("start", "pk").values("start")[:1]
            ),
            enrollments_count=SubqueryCount(
                Enrollment.objects.filter(
                    student=OuterRef("pk"), course__in=teacher_course_ids(teacher)
                ).values("pk")
            ),
        )
        .order_by("first_name", "last_name", "pk")
    )


def student_get_for_viewer(*, user, student_id) -> User:
    """The student whose progress and history `user` may see: themself, a linked child, one of a
    teacher's students, anyone for an admin. Anyone else: NotFound."""
    try:
        student_id = int(student_id)
        student = User.objects.get(pk=student_id, is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound() from exc
    if student.pk == user.pk or is_admin(user):
        return student
    if is_parent(user) and is_guardian_of(guardian=user, child_id=student.pk):
        return student
    if is_teacher(user) and my_students(user).filter(pk=student.pk).exists():
        return student
    raise NotFound()


# --- progress -----------------------------------------------------------------------------------------


def progress_list_for_user(
    *,
    user,
    student_id: int | None = None,
    course_id: int | None = None,
    include_ended: bool = False,
) -> QuerySet[Enrollment]:
    """Enrolments with their progress as `user` may see them (own, children's, those in a teacher's
    courses; admins all). Active ones only unless `include_ended`."""
    qs = enrollment_list_for_user(user=user, course_id=course_id)
    if student_id is not None:
        qs = qs.filter(student_id=student_id)
    if not include_ended:
        qs = qs.filter(status=EnrollmentStatus.ACTIVE)
    return with_progress(qs).order_by("student__first_name", "student_id", "course__title", "pk")


def progress_get_for_user(*, user, enrollment_id) -> Enrollment:
    try:
        return with_progress(enrollment_list_for_user(user=user)).get(pk=enrollment_id)
    except (Enrollment.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound() from exc


def progress_list_for_teacher_student(*, teacher: User, student: User) -> QuerySet[Enrollment]:
    """A student's enrolments (every status) in the courses `teacher` teaches, with progress."""
    qs = Enrollment.objects.filter(student=student, course__in=teacher_course_ids(teacher))
    return with_progress(qs).order_by("-created_at", "-pk")


@dataclass(frozen=True)
class ModuleProgress:
    module: Module
    completion: ModuleCompletion | None

    @property
    def done(self) -> bool:
        return self.completion is not None


def module_progress_of(
    *, enrollment: Enrollment, now: datetime | None = None
) -> list[ModuleProgress]:
    """The course's released modules in syllabus order, each with the enrolment's completion (2 queries)."""
    now = now or timezone.now()
    modules = list(Module.objects.filter(course_id=enrollment.course_id).filter(_released("", now)))
    done = {
        c.module_id: c
        for c in ModuleCompletion.objects.filter(enrollment=enrollment).select_related("marked_by")
    }
    return [ModuleProgress(module=m, completion=done.get(m.pk)) for m in modules]


def module_get_for_enrollment(*, enrollment: Enrollment, module_id) -> Module:
    """A module of the enrolment's course (released or not: the service says why it refuses)."""
    try:
        return Module.objects.get(pk=module_id, course_id=enrollment.course_id)
    except (Module.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound() from exc


def can_mark_modules(*, user, enrollment: Enrollment) -> bool:
    """The enrolled student, their linked parent, a teacher of the course, an admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    if acts_for_student(user=user, student_id=enrollment.student_id):
        return True
    return can_manage_course(user=user, course=enrollment.course)


def note_get_for_user(*, user, note_id) -> ProgressNote:
    """A progress note on an enrolment `user` may see."""
    try:
        return ProgressNote.objects.select_related(
            "enrollment__course", "enrollment__student", "author"
        ).get(pk=note_id, enrollment__in=enrollment_list_for_user(user=user).values("pk"))
    except (ProgressNote.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound() from exc


# --- history ------------------------------------------------------------------------------------------


def lesson_history_for_student(
    *,
    user,
    student: User | None = None,
    students: list[User] | None = None,
    when: str = "past",
    teacher_only: bool = False,
    now: datetime | None = None,
) -> QuerySet[Lesson]:
    """`student`'s lessons as `user` sees them (through `lesson_list_for_user`: a teacher sees only the
    lessons they teach), `when` "past" (newest first) or "upcoming" (soonest first), each annotated
    with the student's `attendance_status` and `attendance_note`, course and materials at hand.
    `students` instead of `student`: the lessons any of them takes (a parent's children), each once,
    with the attendance of the first of them (by id) who takes it.
    `teacher_only`: only lessons `user` teaches. Call `student_get_for_viewer` first."""
    ids = [student.pk] if student is not None else [s.pk for s in students or []]
    attendance = Attendance.objects.filter(lesson=OuterRef("pk"), student_id__in=ids).order_by(
        "student_id"
    )
    seats = LessonSeat.objects.filter(
        lesson=OuterRef("pk"), student_id__in=ids, cancelled_at__isnull=True
    )
    qs = (
        lesson_list_for_user(user=user, when=when, now=now)
        .filter(Q(student_id__in=ids) | Q(Exists(seats)))
        .select_related("course")
        .prefetch_related("materials")
        .annotate(
            attendance_status=Subquery(attendance.values("status")[:1]),
            attendance_note=Coalesce(
                Subquery(attendance.values("note")[:1]), Value(""), output_field=CharField()
            ),
        )
    )
    if teacher_only:
        qs = qs.filter(teacher__user=user)
    return qs


def enrollment_history_for_student(*, user, student: User, teacher_only: bool = False):
    """Every enrolment of `student` (withdrawn and removed included) that `user` may see, newest first;
    a teacher sees those in their own courses. `teacher_only`: only the courses `user` teaches."""
    qs = enrollment_list_for_user(user=user).filter(student=student)
    if teacher_only:
        qs = qs.filter(course__in=teacher_course_ids(user))
    return qs.order_by("-created_at", "-pk")


def history_students_for_user(*, user, student_id: int | None = None) -> list[User]:
    """Whose lessons `GET /history/lessons` lists: `student_id` (checked by `student_get_for_viewer`:
    NotFound for someone the user may not see), else the user and their linked children, as
    `/lessons`, `/enrollments` and `/progress` do for a parent."""
    if student_id is not None:
        return [student_get_for_viewer(user=user, student_id=student_id)]
    return [user, *children_for_progress(user=user)]


def children_for_progress(*, user) -> list[User]:
    if not is_parent(user):
        return []
    return list(children_of(guardian=user).order_by("first_name", "last_name", "pk"))


def upcoming_by_student(
    *, students: list[User], per_student: int = 5, now: datetime | None = None
) -> dict[int, list[Lesson]]:
    """The next `per_student` non-cancelled lessons of each of several students (a parent's children,
    already checked by the caller) in two queries: 1:1 lessons and group seats, each numbered per
    student by a window function."""
    ids = [s.pk for s in students]
    if not ids:
        return {}
    now = now or timezone.now()
    private = (
        Lesson.objects.filter(student_id__in=ids, end__gt=now)
        .exclude(status__in=TIME_FREED)
        .select_related("teacher__user", "student", "course")
        .annotate(
            rank=Window(RowNumber(), partition_by=F("student_id"), order_by=[F("start"), F("pk")])
        )
        .filter(rank__lte=per_student)
    )
    seats = (
        LessonSeat.objects.filter(
            student_id__in=ids, cancelled_at__isnull=True, lesson__end__gt=now
        )
        .exclude(lesson__status__in=TIME_FREED)
        .select_related("lesson__teacher__user", "lesson__course")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("student_id"),
                order_by=[F("lesson__start"), F("lesson__pk")],
            )
        )
        .filter(rank__lte=per_student)
    )
    result: dict[int, list[Lesson]] = {pk: [] for pk in ids}
    for lesson in private:
        result[lesson.student_id].append(lesson)
    for seat in seats:
        result[seat.student_id].append(seat.lesson)
    return {
        pk: sorted(lessons, key=lambda lesson: (lesson.start, lesson.pk))[:per_student]
        for pk, lessons in result.items()
    }


def progress_note_deletable_by(*, actor: User, note) -> bool:
    """Whether `actor` may delete the note: its author or an admin."""
    return note.author_id == actor.pk or is_admin(actor)
