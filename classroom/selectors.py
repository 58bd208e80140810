"""Reads for teachers and students, each checking who asks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from authentication.choices import Role
from authentication.models import User
from authentication.roles import has_role, is_admin
from authentication.selectors import child_ids_of
from catalog.models import Level, Subject, TeachingLanguage
from courses.models import Course, Enrollment
from cplatform.exceptions import NotFound

from .models import AvailabilityRule, Lesson, LessonSeat, StudentProfile, TeacherProfile

MAX_SEARCH_TERMS = 8


@dataclass(frozen=True)
class TeacherFilters:
    subject: str | None = None  # Subject.slug
    language: str | None = None  # TeachingLanguage.code
    level: str | None = None  # Level.code
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    q: str | None = None
    online: bool | None = None
    in_person: bool | None = None


def teacher_base() -> QuerySet[TeacherProfile]:
    """Teacher profiles with what TeacherOut shows, in a fixed number of queries; each carries
    `taking_bookings` (see `is_taking_bookings`)."""
    return (
        TeacherProfile.objects.select_related("user", "scheduling_settings")
        .prefetch_related(
            Prefetch("subjects", queryset=Subject.objects.order_by("name")),
            Prefetch("levels", queryset=Level.objects.order_by("position")),
            Prefetch("languages", queryset=TeachingLanguage.objects.order_by("name")),
        )
        .annotate(taking_bookings=Exists(AvailabilityRule.objects.filter(teacher=OuterRef("pk"))))
    )


def is_taking_bookings(profile: TeacherProfile) -> bool:
    """Whether the teacher has set any weekly availability: without it there is nothing to book, so
    the directory says "not taking bookings yet" and no Book button is shown. Read from the
    `teacher_base` annotation when there is one (no query)."""
    known = getattr(profile, "taking_bookings", None)
    if known is not None:
        return known
    return AvailabilityRule.objects.filter(teacher=profile).exists()


def _text(value: str | None) -> str:
    """PostgreSQL cannot compare text holding NUL characters: drop them rather than fail."""
    return (value or "").replace("\x00", "").strip()


def _teaches(relation: str, **lookup) -> Exists:
    """`EXISTS` on a many-to-many of the teacher: no join in the main query, so no duplicates to remove."""
    through = getattr(TeacherProfile, relation).through
    return Exists(through.objects.filter(teacherprofile=OuterRef("pk"), **lookup))


def _search(term: str) -> Q:
    """One search term against names, headline and bio in every site language, and subject names."""
    text = (
        Q(user__first_name__icontains=term)
        | Q(user__last_name__icontains=term)
        | Q(user__display_name__icontains=term)
        | Q(headline__icontains=term)
        | Q(bio__icontains=term)
    )
    subject_names = Q(subject__name__icontains=term)
    for code, _name in settings.LANGUAGES:
        text |= Q(**{f"translations__{code}__headline__icontains": term})
        text |= Q(**{f"translations__{code}__bio__icontains": term})
        subject_names |= Q(**{f"subject__translations__{code}__icontains": term})
    through = TeacherProfile.subjects.through
    return text | Q(Exists(through.objects.filter(subject_names, teacherprofile=OuterRef("pk"))))


def _listed(qs: QuerySet[TeacherProfile]) -> QuerySet[TeacherProfile]:
    return qs.filter(
        is_public=True, is_approved=True, user__is_active=True, user__groups__name=Role.TEACHER
    )


def teacher_list_public(*, filters: TeacherFilters | None = None) -> QuerySet[TeacherProfile]:
    """Approved, public profiles of active accounts that hold the Teacher role, filtered; a constant number
    of queries however many teachers there are."""
    f = filters or TeacherFilters()
    qs = _listed(teacher_base())
    if subject := _text(f.subject):
        qs = qs.filter(_teaches("subjects", subject__slug=subject))
    if language := _text(f.language):
        qs = qs.filter(_teaches("languages", teachinglanguage__code=language))
    if level := _text(f.level):
        qs = qs.filter(_teaches("levels", level__code=level))
    if f.min_price is not None:
        qs = qs.filter(hourly_rate__gte=f.min_price)
    if f.max_price is not None:
        qs = qs.filter(hourly_rate__lte=f.max_price)
    if f.online is not None:
        qs = qs.filter(teaches_online=f.online)
    if f.in_person is not None:
        qs = qs.filter(teaches_in_person=f.in_person)
    for term in _text(f.q).split()[:MAX_SEARCH_TERMS]:
        qs = qs.filter(_search(term))
    return qs.order_by("user__first_name", "user__last_name", "pk")


def teacher_list_matching(*, q: str) -> QuerySet[TeacherProfile]:
    """Listed teachers matching every word of `q` (as the directory's search: names, headline and bio
    in every site language, subject names), for the site search: with their user only, so a page
    of them is one query."""
    qs = _listed(TeacherProfile.objects.select_related("user"))
    for term in _text(q).split()[:MAX_SEARCH_TERMS]:
        qs = qs.filter(_search(term))
    return qs.order_by("user__first_name", "user__last_name", "pk")


def teacher_get_public(*, teacher_id: int) -> TeacherProfile:
    """A listed teacher by profile id (the API's `/teachers/{id}`)."""
    try:
        return _listed(teacher_base()).get(pk=teacher_id)
    except (TeacherProfile.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def teacher_get_for_viewer(*, viewer, slug: str) -> TeacherProfile:
    """A listed teacher's profile page; the teacher themself and admins may also preview an unlisted one.
    To anyone else an unlisted profile does not exist. The result carries `is_listed`."""
    listed = _listed(TeacherProfile.objects.filter(pk=OuterRef("pk")))
    profile = teacher_base().annotate(is_listed=Exists(listed)).filter(slug=slug).first()
    if profile is None:
        raise NotFound()
    if profile.is_listed:
        return profile
    if viewer.is_authenticated and (profile.user_id == viewer.pk or is_admin(viewer)):
        return profile
    raise NotFound()


def student_list_for_user(*, user) -> QuerySet[StudentProfile]:
    """Admins see every student; a teacher sees their own students (a lesson with them or an enrolment
    in one of their courses, as `classroom.progress`'s my students);
    a parent sees their linked children; a student sees themself."""
    qs = StudentProfile.objects.select_related("user", "level").filter(
        user__groups__name=Role.STUDENT
    )
    if is_admin(user):
        return qs.order_by("user__email", "pk")
    visible = Q(user__in=child_ids_of(guardian=user))
    if has_role(user, Role.STUDENT):
        visible |= Q(user=user)
    if has_role(user, Role.TEACHER):
        visible |= Q(user__in=my_students(user).values("pk"))
    return qs.filter(visible, user__is_active=True).order_by("user__email", "pk")


def student_get_for_user(*, user, student_id: int) -> StudentProfile:
    """`student_id` is the student's user id. Someone the viewer may not see is "not found"."""
    try:
        return student_list_for_user(user=user).get(user_id=student_id)
    except (StudentProfile.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def teacher_course_ids(teacher: User) -> QuerySet:
    """Ids of the courses a teacher owns or teaches (a subquery)."""
    return Course.objects.filter(
        Q(owner=teacher)
        | Q(pk__in=Course.teachers.through.objects.filter(user=teacher).values("course"))
    ).values("pk")


def teachers_of(student_ids) -> QuerySet[User]:
    """Teachers who have (or had) a lesson with one of the students (ids, or a queryset of ids) or
    teach a course they are or were enrolled in: `my_students` read the other way."""
    courses = Course.objects.filter(enrollments__student__in=student_ids)
    return User.objects.filter(
        Q(pk__in=Lesson.objects.filter(student__in=student_ids).values("teacher__user"))
        | Q(
            pk__in=LessonSeat.objects.filter(student__in=student_ids).values(
                "lesson__teacher__user"
            )
        )
        | Q(pk__in=courses.values("owner"))
        | Q(pk__in=Course.teachers.through.objects.filter(course__in=courses).values("user")),
        groups__name=Role.TEACHER,
    )


def my_students(teacher: User) -> QuerySet[User]:
    """Students who have (or had) a lesson with the teacher or an enrolment in one of their courses.
    A queryset of users, not a bare `Q`: the rule's `pk` means a user's and must not be applied to
    another model."""
    taught = Lesson.objects.filter(teacher__user=teacher)
    seats = LessonSeat.objects.filter(lesson__teacher__user=teacher)
    enrolled = Enrollment.objects.filter(course__in=teacher_course_ids(teacher))
    return User.objects.filter(
        Q(pk__in=taught.filter(student__isnull=False).values("student"))
        | Q(pk__in=seats.values("student"))
        | Q(pk__in=enrolled.values("student"))
    )
