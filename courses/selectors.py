"""Reads of courses, enrolments and materials, each checking who asks. A course, enrolment or material
the person may not see answers exactly like a missing one (NotFound)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from authentication.models import User
from authentication.roles import is_admin, is_parent, is_student, is_teacher
from authentication.selectors import children_of
from cplatform.exceptions import NotFound

from .choices import SEAT_STATUSES, CourseStatus, EnrollmentStatus
from .models import Course, Enrollment, Material, Module

STARTING_SOON_DAYS = 30

SORTS = {
    "starts_on": ("starts_on", "title", "pk"),
    "-starts_on": ("-starts_on", "title", "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "pk"),
    "price": ("price", "title", "pk"),
    "-price": ("-price", "title", "pk"),
    "newest": ("-created_at", "-pk"),
}


@dataclass(frozen=True)
class CourseFilters:
    subject: str | None = None
    level: str | None = None
    language: str | None = None
    format: str | None = None
    teacher: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    free: bool | None = None
    starting_soon: bool = False
    q: str | None = None
    sort: str = "starts_on"


def _with_listing_data(qs: QuerySet[Course]) -> QuerySet[Course]:
    """Everything a course card or CourseOut shows, in a fixed number of queries."""
    return (
        qs.select_related("owner", "subject", "level", "language")
        .prefetch_related(Prefetch("teachers", queryset=User.objects.order_by("first_name", "pk")))
        .annotate(seats_taken=Count("enrollments", filter=Q(enrollments__status__in=SEAT_STATUSES)))
    )


def course_list_public(*, filters: CourseFilters | None = None) -> QuerySet[Course]:
    """Published courses for the catalog, filtered, searched and sorted."""
    filters = filters or CourseFilters()
    qs = Course.objects.filter(status=CourseStatus.PUBLISHED)
    if filters.subject:
        qs = qs.filter(subject__slug=filters.subject)
    if filters.level:
        qs = qs.filter(level__code=filters.level)
    if filters.language:
        qs = qs.filter(language__code=filters.language)
    if filters.format:
        qs = qs.filter(format=filters.format)
    if filters.teacher:
        # A subquery, not a join: a join on teachers would multiply rows and the seat count.
        taught = Course.teachers.through.objects.filter(user_id=filters.teacher)
        qs = qs.filter(Q(owner_id=filters.teacher) | Q(pk__in=taught.values("course_id")))
    if filters.min_price is not None:
        qs = qs.filter(price__gte=filters.min_price)
    if filters.max_price is not None:
        qs = qs.filter(price__lte=filters.max_price)
    if filters.free is True:
        qs = qs.filter(price=0)
    elif filters.free is False:
        qs = qs.filter(price__gt=0)
    if filters.starting_soon:
        today = timezone.localdate()
        qs = qs.filter(starts_on__gte=today, starts_on__lte=today + timedelta(STARTING_SOON_DAYS))
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(summary__icontains=filters.q)
            | Q(subject__name__icontains=filters.q)
        )
    return _with_listing_data(qs).order_by(*SORTS.get(filters.sort, SORTS["starts_on"]))


def can_manage_course(*, user, course: Course) -> bool:
    """Teachers of the course (owner included) and admins."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user):
        return True
    if not is_teacher(user):
        return False
    return course.owner_id == user.pk or course.teachers.filter(pk=user.pk).exists()


def course_get_public(*, course_id: int | None = None, slug: str | None = None) -> Course:
    try:
        lookup = {"pk": course_id} if course_id is not None else {"slug": slug}
        return course_list_public().get(**lookup)
    except (Course.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def course_get_for_viewer(*, viewer, slug: str) -> Course:
    """A published course, or an unpublished one its teachers and admins preview."""
    try:
        course = _with_listing_data(Course.objects.all()).get(slug=slug)
    except (Course.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    if course.is_published or can_manage_course(user=viewer, course=course):
        return course
    raise NotFound()


def course_list_for_teacher(*, user) -> QuerySet[Course]:
    """Courses a teacher owns or teaches (every status); admins see every course."""
    qs = Course.objects.all()
    if not is_admin(user):
        if not is_teacher(user):
            return Course.objects.none()
        qs = qs.filter(
            Q(owner=user)
            | Q(pk__in=Course.teachers.through.objects.filter(user=user).values("course"))
        )
    return _with_listing_data(qs).order_by("-updated_at", "-pk")


def course_get_for_editor(*, user, course_id: int) -> Course:
    """A course the user may edit: a teacher's own, or any for an admin. Others: NotFound."""
    try:
        return course_list_for_teacher(user=user).get(pk=course_id)
    except (Course.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def enrollment_list_for_user(*, user, course_id: int | None = None) -> QuerySet[Enrollment]:
    """Every enrolment the user may see, history included: admins all; students their own; parents their
    linked children's; teachers those in their courses."""
    qs = Enrollment.objects.select_related("course", "course__subject", "student")
    if not is_admin(user):
        visible = Q(pk__in=[])
        if is_student(user):
            visible |= Q(student=user)
        if is_parent(user):
            visible |= Q(student__in=children_of(guardian=user).values("pk"))
        if is_teacher(user):
            visible |= Q(course__owner=user) | Q(
                course__in=Course.teachers.through.objects.filter(user=user).values("course")
            )
        qs = qs.filter(visible)
    if course_id is not None:
        qs = qs.filter(course_id=course_id)
    return qs.order_by("-created_at", "-pk")


def enrollment_get_for_user(*, user, enrollment_id: int) -> Enrollment:
    try:
        return enrollment_list_for_user(user=user).get(pk=enrollment_id)
    except (Enrollment.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def enrollment_history_for_student(*, user, student_id: int) -> QuerySet[Enrollment]:
    """One student's enrolments as `user` may see them (student, parent, teacher or admin)."""
    return enrollment_list_for_user(user=user).filter(student_id=student_id)


def enrollment_live_for(*, course: Course, student) -> Enrollment | None:
    if not getattr(student, "is_authenticated", False):
        return None
    return Enrollment.objects.filter(
        course=course,
        student=student,
        status__in=[*SEAT_STATUSES, EnrollmentStatus.WAITLISTED],
    ).first()


def _learner_course_ids(user) -> QuerySet:
    """Courses in which the user, or one of their linked children, holds an active enrolment."""
    learners = Q(student=user)
    if is_parent(user):
        learners |= Q(student__in=children_of(guardian=user).values("pk"))
    return Enrollment.objects.filter(learners, status=EnrollmentStatus.ACTIVE).values("course_id")


def material_list_for_user(*, user, course_id: int | None = None) -> QuerySet[Material]:
    """Materials the user may open: all of their courses' for teachers of the course and admins; released
    ones of courses where they (or their child) are actively enrolled for students and parents."""
    qs = Material.objects.select_related("course", "module")
    if not is_admin(user):
        now = timezone.now()
        teaching = Q(course__owner=user) | Q(
            course__in=Course.teachers.through.objects.filter(user=user).values("course")
        )
        released = (
            Q(course__in=_learner_course_ids(user))
            & (Q(release_at__isnull=True) | Q(release_at__lte=now))
            & (
                Q(module__isnull=True)
                | Q(module__release_at__isnull=True)
                | Q(module__release_at__lte=now)
            )
        )
        qs = qs.filter((teaching if is_teacher(user) else Q(pk__in=[])) | released)
    if course_id is not None:
        qs = qs.filter(course_id=course_id)
    return qs.order_by("course_id", "module__position", "position", "pk")


def material_get_for_user(*, user, material_id: int) -> Material:
    try:
        return material_list_for_user(user=user).get(pk=material_id)
    except (Material.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def module_list_for_course(*, course: Course) -> QuerySet[Module]:
    return course.modules.all()


def module_get_for_editor(*, user, module_id: int) -> Module:
    try:
        module = Module.objects.select_related("course").get(pk=module_id)
    except (Module.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc
    if not can_manage_course(user=user, course=module.course):
        raise NotFound()
    return module


def course_is_full(course: Course) -> bool:
    taken = getattr(course, "seats_taken", None)
    if taken is None:
        taken = course.enrollments.filter(status__in=SEAT_STATUSES).count()
    return course.capacity is not None and taken >= course.capacity
