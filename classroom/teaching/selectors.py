"""Reads for running lessons, each checking who asks. What a person may not see answers 404.

Visibility of a lesson is scheduling's (`lesson_get_for_user`: teacher, 1:1 student, live seat holder,
their parents, admins), plus one addition: a group session is also visible to the course's actively
enrolled students (and their parents) who hold no seat, so they can take one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from authentication.choices import Role
from authentication.models import User
from authentication.roles import has_role, is_admin, is_parent, is_teacher
from authentication.selectors import children_of, students_held_by_consent
from courses.choices import EnrollmentStatus
from courses.models import Course, Enrollment
from courses.selectors import can_manage_course, course_ids_for_user, material_list_for_user
from cplatform.exceptions import NotFound

from ..choices import LessonKind, LessonStatus
from ..models import Attendance, HomeworkDone, Lesson, LessonSeat, TeacherProfile
from ..scheduling.selectors import lesson_list_for_user
from ..selectors import _listed, student_get_for_user, teacher_base, teacher_course_ids


def learner_ids(user) -> list[int]:
    """The user and, for a parent, their linked children: whose lessons the user follows as a learner."""
    ids = [user.pk]
    if is_parent(user):
        ids += list(children_of(guardian=user).values_list("pk", flat=True))
    return ids


def _enrolled_course_ids(user) -> QuerySet:
    return Enrollment.objects.filter(
        student_id__in=learner_ids(user), status=EnrollmentStatus.ACTIVE
    ).values("course_id")


def with_lesson_details(qs: QuerySet[Lesson], *, user) -> QuerySet[Lesson]:
    """Everything LessonOut and the lesson page show, in a fixed number of queries however many
    lessons or seats: the course, the live seat count, and (as the caller may see them) seats,
    attendance and materials."""
    live_seats = (
        LessonSeat.objects.filter(lesson=OuterRef("pk"), cancelled_at__isnull=True)
        .order_by()
        .values("lesson")
        .annotate(n=Count("pk"))
        .values("n")
    )
    if is_admin(user):
        people = Q()
    else:
        people = Q(lesson__teacher__user=user) | Q(student_id__in=learner_ids(user))
    return (
        qs.select_related("course", "teacher__user", "student", "booked_by", "cancelled_by")
        .annotate(seats_taken=Coalesce(Subquery(live_seats), Value(0)))
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=LessonSeat.objects.filter(people, cancelled_at__isnull=True)
                .select_related("student")
                .order_by("created_at", "pk"),
                to_attr="visible_seats",
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(people).select_related("student"),
                to_attr="visible_attendance",
            ),
            Prefetch(
                "materials",
                queryset=material_list_for_user(user=user),
                to_attr="visible_materials",
            ),
            Prefetch(
                "homework_marks",
                queryset=HomeworkDone.objects.filter(people)
                .select_related("student")
                .order_by("done_at", "pk"),
                to_attr="visible_homework_done",
            ),
        )
    )


def lesson_list_visible(*, user) -> QuerySet[Lesson]:
    """The lessons the user may see: scheduling's rule, or a group session of a course in which the
    user (or their child) is actively enrolled, or that they co-teach (they list its sessions, and
    its progress names the next one). A plain queryset (no details)."""
    visible = lesson_list_for_user(user=user)
    sessions = Q(course__in=_enrolled_course_ids(user))
    if is_teacher(user):
        sessions |= Q(course__in=teacher_course_ids(user))
    enrolled = Lesson.objects.filter(sessions, kind=LessonKind.GROUP)
    return Lesson.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=enrolled.values("pk")))


def lesson_get_for_viewer(*, user, lesson_id: int) -> Lesson:
    """A lesson `lesson_list_visible` shows the user, with its details."""
    try:
        return with_lesson_details(lesson_list_visible(user=user), user=user).get(pk=lesson_id)
    except (Lesson.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def teacher_get_for_user(
    *, user=None, teacher_id: int | None = None, slug: str | None = None
) -> TeacherProfile:
    """`GET /teachers/{teacher_id}` (or by slug): a listed teacher, for anyone; listed or not, a
    teacher of a course the user may read (`course_ids_for_user`: published courses for everyone)
    or of a lesson they see, themself, and any teacher for an admin. So every `teacher_id` the API
    hands someone resolves for them; an unrelated unlisted teacher answers NotFound."""
    lookup = {"pk": teacher_id} if teacher_id is not None else {"slug": slug}
    listed = _listed(TeacherProfile.objects.filter(pk=OuterRef("pk")))
    try:
        profile = teacher_base().annotate(is_listed=Exists(listed)).get(**lookup)
    except (TeacherProfile.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc
    if profile.is_listed:
        return profile
    signed_in = getattr(user, "is_authenticated", False)
    if signed_in and (profile.user_id == user.pk or is_admin(user)):
        return profile
    taught = Course.objects.filter(
        Q(owner_id=profile.user_id) | Q(teachers__pk=profile.user_id),
        pk__in=course_ids_for_user(user=user),
    )
    if taught.exists():
        return profile
    if signed_in and lesson_list_visible(user=user).filter(teacher=profile).exists():
        return profile
    raise NotFound()


def course_get_for_sessions(*, user, course_id: int) -> Course:
    """A course whose sessions the user may list: its teachers and admins, and its actively enrolled
    students and their parents."""
    try:
        course = Course.objects.select_related("owner").get(pk=course_id)
    except (Course.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc
    if can_manage_course(user=user, course=course):
        return course
    if Enrollment.objects.filter(
        course=course, student_id__in=learner_ids(user), status=EnrollmentStatus.ACTIVE
    ).exists():
        return course
    raise NotFound()


@dataclass(frozen=True)
class LessonFilters:
    """`GET /lessons`: `ends_after` / `starts_before` (the API's `from` / `to`) keep the lessons that
    overlap the window, as a calendar shows them."""

    when: str | None = None
    ends_after: datetime | None = None
    starts_before: datetime | None = None
    student_id: int | None = None
    course_id: int | None = None
    status: str | None = None


def lesson_list_for_viewer(*, user, filters: LessonFilters | None = None) -> QuerySet[Lesson]:
    """The lessons `user` may see (`lesson_list_for_user`), narrowed by `filters`, with everything
    LessonOut shows. `student_id` names someone the user may see as a student (themself, a linked
    child, one of a teacher's students; anyone for an admin), else NotFound; it keeps the lessons
    that student takes, 1:1 or with a live seat in a group session, alike."""
    filters = filters or LessonFilters()
    qs = lesson_list_for_user(user=user, when=filters.when)
    if filters.student_id is not None:
        student_get_for_user(user=user, student_id=filters.student_id)
        seat = LessonSeat.objects.filter(
            lesson=OuterRef("pk"), student_id=filters.student_id, cancelled_at__isnull=True
        )
        qs = qs.filter(Q(student_id=filters.student_id) | Q(Exists(seat)))
    if filters.ends_after is not None:
        qs = qs.filter(end__gt=filters.ends_after)
    if filters.starts_before is not None:
        qs = qs.filter(start__lt=filters.starts_before)
    if filters.course_id is not None:
        qs = qs.filter(course_id=filters.course_id)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    return with_lesson_details(qs, user=user)


def session_list_for_course(
    *, user, course: Course, when: str | None = None, now=None
) -> QuerySet[Lesson]:
    """The course's group sessions (the caller already passed `course_get_for_sessions`)."""
    now = now or timezone.now()
    qs = Lesson.objects.filter(course=course, kind=LessonKind.GROUP)
    if when == "upcoming":
        qs = qs.filter(end__gt=now).order_by("start", "pk")
    elif when == "past":
        qs = qs.filter(end__lte=now).order_by("-start", "-pk")
    else:
        qs = qs.order_by("start", "pk")
    return with_lesson_details(qs, user=user)


def seat_holder_ids(lesson: Lesson) -> set[int]:
    """Live seat holders among the people the caller may see (from the prefetch)."""
    return {seat.student_id for seat in getattr(lesson, "visible_seats", [])}


def is_upcoming(lesson: Lesson, now=None) -> bool:
    return lesson.status == LessonStatus.SCHEDULED and lesson.start > (now or timezone.now())


def lesson_roster(*, lesson: Lesson) -> list:
    """Whom the teacher marks, with their current attendance (for the lesson page's form): the 1:1
    student or the live seat holders, from the prefetches of `with_lesson_details` (no query per
    student)."""
    marks = {a.student_id: a for a in getattr(lesson, "visible_attendance", [])}
    if lesson.kind == LessonKind.PRIVATE:
        students = [lesson.student] if lesson.student_id else []
    else:
        students = [seat.student for seat in getattr(lesson, "visible_seats", [])]
    return [(student, marks.get(student.pk)) for student in students]


def session_students_held_by_consent(*, lesson: Lesson) -> int:
    """How many of the course's actively enrolled students have no seat in the group session because
    the guardian-consent gate holds them back (told to the teacher who creates it). The caller has
    checked that the asker runs the course; a number, no names: one query."""
    unseated = (
        Enrollment.objects.filter(course_id=lesson.course_id, status=EnrollmentStatus.ACTIVE)
        .exclude(
            student_id__in=LessonSeat.objects.filter(
                lesson=lesson, cancelled_at__isnull=True
            ).values("student_id")
        )
        .values("student_id")
    )
    return len(students_held_by_consent(student_ids=unseated))


def material_choices_for_lesson(*, user, lesson: Lesson):
    """Materials of the lesson's course that may still be attached (for the teacher's form)."""
    if lesson.course_id is None:
        return material_list_for_user(user=user).none()
    attached = [m.pk for m in getattr(lesson, "visible_materials", [])]
    return material_list_for_user(user=user, course_id=lesson.course_id).exclude(pk__in=attached)


def seat_takers_for(*, user, lesson: Lesson) -> list[dict]:
    """For a group session: the people the user takes seats for (themself as a student, their children
    as a parent) who are actively enrolled in its course, each with whether they hold a seat."""
    if lesson.kind != LessonKind.GROUP:
        return []
    ids = [pk for pk in learner_ids(user) if pk != user.pk or has_role(user, Role.STUDENT)]
    enrolled = (
        Enrollment.objects.filter(
            course_id=lesson.course_id, student_id__in=ids, status=EnrollmentStatus.ACTIVE
        )
        .select_related("student")
        .order_by("student__first_name", "student_id")
    )
    seated = seat_holder_ids(lesson)
    return [
        {
            "student": e.student,
            "seated": e.student_id in seated,
            "is_self": e.student_id == user.pk,
        }
        for e in enrolled
    ]


def can_run_lesson(*, user, lesson: Lesson) -> bool:
    """The lesson's teacher, or an admin acting for the school."""
    return lesson.teacher.user_id == user.pk or is_admin(user)


def student_list_for_lesson(*, lesson: Lesson) -> list[User]:
    """Whose attendance the lesson records: the 1:1 student, or the live seat holders."""
    if lesson.kind == LessonKind.PRIVATE:
        return [lesson.student] if lesson.student_id else []
    return [
        seat.student
        for seat in lesson.seats.filter(cancelled_at__isnull=True)
        .select_related("student")
        .order_by("created_at", "pk")
    ]


def is_lesson_student(*, user, lesson: Lesson) -> bool:
    """The user takes the lesson: its 1:1 student, or a live seat holder of the group session."""
    if lesson.kind == LessonKind.PRIVATE:
        return lesson.student_id is not None and lesson.student_id == user.pk
    if hasattr(lesson, "visible_seats"):  # the prefetch of `with_lesson_details`: no query
        return user.pk in seat_holder_ids(lesson)
    return LessonSeat.objects.filter(
        lesson=lesson, student_id=user.pk, cancelled_at__isnull=True
    ).exists()


def homework_done_by(lesson: Lesson) -> list[HomeworkDone]:
    """Who marked the lesson's homework done, as the viewer may see it (all for the teacher and
    admins, their own or their children's for a student or parent): from the prefetch of
    `with_lesson_details`, no query."""
    return list(getattr(lesson, "visible_homework_done", []))


def homework_done_for(*, user, lesson: Lesson) -> bool:
    """Whether `user` marked the lesson's homework done (from the prefetch, no query)."""
    pk = getattr(user, "pk", None)
    return pk is not None and any(m.student_id == pk for m in homework_done_by(lesson))
