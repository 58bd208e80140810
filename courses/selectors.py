"""Reads of courses, enrolments and materials, each checking who asks. A course, enrolment or material
the person may not see answers exactly like a missing one (NotFound).

Selector names, the project's convention (what most selectors already use):
- `<noun>_list_for_<who>` / `<noun>_get_for_<who>`: a list, or one object (NotFound otherwise), that
  depends on who asks (`enrollment_list_for_user`, `lesson_get_for_user`, `student_get_for_booking`);
  `<noun>_list_<scope>` / `<noun>_get_<scope>` when it does not (`course_list_public`).
- `<noun>_visible_to`, `can_<verb>`, `is_<adjective>`, `<noun>_needs_<thing>`: predicates (bool).
- `<noun>_of`: a plain read of one owner's rows, no access check (`scheduling_settings_of`).
Reads live here, never in services.py (a service calls a selector for what it reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Site

from authentication.models import User
from authentication.roles import is_admin, is_parent, is_student, is_teacher
from authentication.selectors import children_of
from cplatform.exceptions import NotFound

from .choices import SEAT_STATUSES, CourseFormat, CourseStatus, EnrollmentStatus
from .models import Course, Enrollment, Material, Module
from .pages import CourseIndexPage, CoursePage

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
    teacher: int | None = None  # the catalog page's filter: a teacher's user id
    teacher_id: int | None = None  # the API's filter: a teacher's profile id (`/teachers/{id}`)
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    free: bool | None = None
    starting_soon: bool = False
    q: str | None = None
    sort: str = "starts_on"


def _with_listing_data(qs: QuerySet[Course], teachers: QuerySet | None = None) -> QuerySet[Course]:
    """Everything a course card or CourseOut shows, in a fixed number of queries."""
    # Each teacher's profile too: the API names a teacher by its profile id (TeacherBrief).
    teachers = teachers if teachers is not None else User.objects.select_related("teacher_profile")
    return (
        qs.select_related("owner__teacher_profile", "subject", "level", "language")
        .prefetch_related(Prefetch("teachers", queryset=teachers.order_by("first_name", "pk")))
        .annotate(seats_taken=_seats_taken())
    )


def _seats_taken() -> Coalesce:
    """Enrolments holding a seat, as a subquery per course rather than a join and GROUP BY: the
    grouped join over the course, owner, profile and lookups took PostgreSQL longer to plan than
    to run (most of a course page's database time)."""
    holding = (
        Enrollment.objects.filter(course=OuterRef("pk"), status__in=SEAT_STATUSES)
        .order_by()
        .values("course")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(holding, output_field=IntegerField()), Value(0))


def course_list_public(
    *, filters: CourseFilters | None = None, live_page_languages: list[str] | None = None
) -> QuerySet[Course]:
    """Published courses, filtered, searched and sorted. With `live_page_languages` (the catalog
    page, the course-list block) only those with a live course page in one of these languages."""
    filters = filters or CourseFilters()
    qs = Course.objects.filter(status=CourseStatus.PUBLISHED)
    if live_page_languages is not None:
        qs = qs.filter(
            Exists(
                CoursePage.objects.live().filter(
                    course=OuterRef("pk"), locale__language_code__in=live_page_languages
                )
            )
        )
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
    if filters.teacher_id:
        taught = Course.teachers.through.objects.filter(user__teacher_profile=filters.teacher_id)
        qs = qs.filter(
            Q(owner__teacher_profile=filters.teacher_id) | Q(pk__in=taught.values("course_id"))
        )
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


def course_teacher_options() -> list[User]:
    """People who teach a published course, for the catalog's teacher filter (one query)."""
    published = Course.objects.filter(status=CourseStatus.PUBLISHED)
    taught = Course.teachers.through.objects.filter(course__in=published).values("user_id")
    return list(
        User.objects.filter(Q(pk__in=taught) | Q(pk__in=published.values("owner_id"))).order_by(
            "first_name", "last_name", "pk"
        )
    )


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


def _learner_ids(user) -> QuerySet | list:
    """The user's id and, for a parent, their linked children's (a subquery)."""
    if is_parent(user):
        return User.objects.filter(
            Q(pk=user.pk) | Q(pk__in=children_of(guardian=user).values("pk"))
        ).values("pk")
    return [user.pk]


def course_ids_for_user(*, user=None) -> QuerySet:
    """Ids (a subquery) of every course the user may read through the API: published ones for
    anyone (anonymous included); for a signed-in user also the courses they teach (every status;
    admins: all) and those in which they or a linked child have an enrolment of any status (an
    archived course stays readable from its enrolment, progress and lessons)."""
    qs = Course.objects.all()
    if user is None or not getattr(user, "is_authenticated", False):
        qs = qs.filter(status=CourseStatus.PUBLISHED)
    elif not is_admin(user):
        visible = Q(status=CourseStatus.PUBLISHED) | Q(
            pk__in=Enrollment.objects.filter(student__in=_learner_ids(user)).values("course_id")
        )
        if is_teacher(user):
            visible |= Q(owner=user) | Q(
                pk__in=Course.teachers.through.objects.filter(user=user).values("course")
            )
        qs = qs.filter(visible)
    return qs.values("pk")


def course_list_for_user(*, user=None) -> QuerySet[Course]:
    """The courses `course_ids_for_user` names, with their listing data."""
    qs = Course.objects.filter(pk__in=course_ids_for_user(user=user))
    return _with_listing_data(qs).order_by(*SORTS["starts_on"])


def course_get_for_user(*, user=None, course_id: int) -> Course:
    """`GET /courses/{course_id}`: a course `course_list_for_user` shows the user; else NotFound."""
    try:
        return course_list_for_user(user=user).get(pk=course_id)
    except (Course.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


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


def enrollment_visible_to(*, user, enrollment: Enrollment) -> bool:
    """Whether `enrollment_get_for_user` finds the enrolment for the user (a service refusing them
    then answers 403 rather than 404)."""
    return enrollment_list_for_user(user=user).filter(pk=enrollment.pk).exists()


def enrollment_history_for_student(*, user, student_id: int) -> QuerySet[Enrollment]:
    """One student's enrolments as `user` may see them (student, parent, teacher or admin)."""
    return enrollment_list_for_user(user=user).filter(student_id=student_id)


def enrollment_list_for_student(*, user, student_id: int) -> QuerySet[Enrollment]:
    """One student's enrolments (`GET /enrollments?student_id=`): the caller themself, a linked child,
    a student in one of a teacher's courses, anyone for an admin. Anyone else answers NotFound, as a
    missing person does (an empty list would tell "no such student" from "not yours")."""
    qs = enrollment_list_for_user(user=user).filter(student_id=student_id)
    if student_id == user.pk and (is_student(user) or is_parent(user) or is_teacher(user)):
        return qs
    if is_admin(user):
        if not User.objects.filter(pk=student_id).exists():
            raise NotFound()
        return qs
    if is_parent(user) and children_of(guardian=user).filter(pk=student_id).exists():
        return qs
    if qs.exists():  # a teacher's student, seen through their courses
        return qs
    raise NotFound()


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


def material_visible_to(*, user, material: Material) -> bool:
    """Whether `material_get_for_user` finds the material for the user."""
    return material_list_for_user(user=user).filter(pk=material.pk).exists()


def module_list_for_course(*, course: Course) -> QuerySet[Module]:
    return course.modules.all()


def module_get_for_user(*, user=None, module_id: int) -> Module:
    """`GET /modules/{module_id}`: a module of a course `course_get_for_user` shows the user (the
    whole syllabus, released or not, as the course page shows it); else NotFound."""
    try:
        return Module.objects.get(pk=module_id, course__in=course_ids_for_user(user=user))
    except (Module.DoesNotExist, ValueError, OverflowError) as exc:
        raise NotFound() from exc


def course_is_full(course: Course) -> bool:
    taken = getattr(course, "seats_taken", None)
    if taken is None:
        taken = course.enrollments.filter(status__in=SEAT_STATUSES).count()
    return course.capacity is not None and taken >= course.capacity


# Course pages (Wagtail) ----------------------------------------------------------------------------


def default_locale_id() -> int | None:
    return (
        Locale.objects.filter(language_code=settings.LANGUAGE_CODE)
        .values_list("pk", flat=True)
        .first()
    )


def catalog_languages(language_code: str | None = None) -> list[str]:
    """The languages whose course pages a listing links to, best first: the visitor's (default:
    the active language), then the default language's (a course not translated yet still shows,
    linking to its original page). No query."""
    try:
        active = get_supported_content_language_variant(language_code or get_language())
    except LookupError:
        active = settings.LANGUAGE_CODE
    return [active] if active == settings.LANGUAGE_CODE else [active, settings.LANGUAGE_CODE]


def course_index_get(*, locale_id: int | None = None) -> CourseIndexPage | None:
    """The course catalog page of a locale (default: the default language's)."""
    locale_id = locale_id or default_locale_id()
    return CourseIndexPage.objects.filter(locale_id=locale_id).order_by("path").first()


def course_page_get(*, course: Course, locale_id: int | None = None) -> CoursePage | None:
    """A course's page in a locale (default: the default language's), live or not."""
    locale_id = locale_id or default_locale_id()
    return CoursePage.objects.filter(course=course, locale_id=locale_id).first()


def course_page_fallback(*, index: CourseIndexPage, slug: str) -> CoursePage | None:
    """The default language's live page for `slug`, when `index` is a translation of the catalog
    that lacks it (None for the default language's own catalog)."""
    default = default_locale_id()
    if default is None or index.locale_id == default:
        return None
    return (
        CoursePage.objects.live()
        .filter(slug=slug, locale_id=default, course__status=CourseStatus.PUBLISHED)
        .first()
    )


def course_cards(courses: list[Course], *, languages: list[str], request=None) -> list[Course]:
    """Give each course its `page` (the live page in the first of `languages` that has one) and
    `page_url`: one query for the whole list."""
    rank = {code: n for n, code in enumerate(languages)}
    best: dict[int, CoursePage] = {}
    pages = (
        CoursePage.objects.live()
        .filter(course_id__in=[c.pk for c in courses], locale__language_code__in=languages)
        .defer_streamfields()
        .select_related("cover_image", "locale")
    )
    for page in pages:
        chosen = best.get(page.course_id)
        if chosen is None or rank[page.locale.language_code] < rank[chosen.locale.language_code]:
            best[page.course_id] = page
    for course in courses:
        course.page = best.get(course.pk)
        course.page_url = course.page.get_url(request) if course.page else course.get_absolute_url()
    return courses


TEACHER_PAGE_COURSES = 6


def course_list_for_teacher_page(*, teacher_id: int, request=None) -> list[Course]:
    """A teacher's published courses with a live page, as catalog cards, for their public page
    (`teacher_id`: the teacher's profile id); a fixed number of queries."""
    languages = catalog_languages()
    courses = course_list_public(
        filters=CourseFilters(teacher_id=teacher_id), live_page_languages=languages
    )
    return course_cards(list(courses[:TEACHER_PAGE_COURSES]), languages=languages, request=request)


def course_get_for_page(*, course_id: int) -> Course:
    """A course as its page shows it: listing data plus each teacher's public profile."""
    teachers = User.objects.select_related("teacher_profile")
    return (
        _with_listing_data(Course.objects.filter(pk=course_id), teachers=teachers)
        .prefetch_related("modules")
        .get()
    )


def teacher_links(course: Course) -> list[dict]:
    """(name, profile URL or "") of each teacher; only listed teachers have a public profile."""
    links = []
    for teacher in course.teachers.all():
        profile = getattr(teacher, "teacher_profile", None)
        listed = profile is not None and profile.is_public and profile.is_approved
        links.append(
            {
                "name": teacher.name,
                "url": reverse("teacher-detail", args=[profile.slug]) if listed else "",
            }
        )
    return links


def course_next_session(*, course: Course):
    """The start (UTC) of a group course's next scheduled session, or None: one query, read through
    the reverse relation `classroom` gives its lessons (`course.lessons`), as courses may not import
    classroom. Other formats have no sessions of their own (their lessons are booked one by one)."""
    lessons = getattr(course, "lessons", None)
    if course.format != CourseFormat.GROUP or lessons is None:
        return None
    return (
        lessons.filter(kind="group", status="scheduled", start__gt=timezone.now())
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )


def course_page_context(*, course: Course, user) -> dict:
    """What a course page shows beside its own fields: syllabus, seats, the viewer's enrolment (or
    their children's), and the materials the viewer may open. A fixed number of queries."""
    modules = list(course.modules.all())
    teacher_ids = {t.pk for t in course.teachers.all()}
    authenticated = getattr(user, "is_authenticated", False)
    can_manage = authenticated and (
        is_admin(user)
        or (is_teacher(user) and (course.owner_id == user.pk or user.pk in teacher_ids))
    )
    children_rows = []
    if authenticated and is_parent(user):
        children = list(children_of(guardian=user).order_by("first_name", "pk"))
        live = {
            e.student_id: e
            for e in Enrollment.objects.filter(
                course=course,
                student__in=[c.pk for c in children],
                status__in=[*SEAT_STATUSES, EnrollmentStatus.WAITLISTED],
            )
        }
        children_rows = [{"child": c, "enrollment": live.get(c.pk)} for c in children]
    enrollment = enrollment_live_for(course=course, student=user)
    materials = []
    if can_manage or (enrollment is not None and enrollment.status == EnrollmentStatus.ACTIVE):
        materials = list(material_list_for_user(user=user, course_id=course.pk))
    seats_taken = getattr(course, "seats_taken", 0) or 0
    owner_profile = next(
        (
            getattr(t, "teacher_profile", None)
            for t in course.teachers.all()
            if t.pk == course.owner_id
        ),
        None,
    )
    return {
        "next_session": course_next_session(course=course),
        # Whose availability a 1:1 course's lessons are booked from (a listed owner only).
        "booking_teacher_id": owner_profile.pk
        if owner_profile is not None and owner_profile.is_public and owner_profile.is_approved
        else None,
        "course": course,
        "modules": modules,
        "now": timezone.now(),
        "teachers": teacher_links(course),
        "is_full": course_is_full(course),
        "seats_left": None if course.capacity is None else max(course.capacity - seats_taken, 0),
        "can_manage": can_manage,
        "can_enrol": authenticated and is_student(user),
        "enrollment": enrollment,
        "children": children_rows,
        "materials": materials,
    }


SCHEMA_AVAILABILITY = {True: "https://schema.org/SoldOut", False: "https://schema.org/InStock"}
COURSE_MODES = {"group": "Blended", "one_to_one": "Online", "self_paced": "Online"}


def course_json_ld(*, page: CoursePage, course: Course, request=None) -> dict:
    """schema.org Course: provider, offers and, for a dated course, a CourseInstance."""
    from cplatform.pages import absolute_url

    url = page.get_full_url(request)
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    provider = {
        "@type": "Organization",
        "name": (site.site_name if site and site.site_name else settings.WAGTAIL_SITE_NAME),
        "url": (site.root_url if site else settings.SITE_URL.rstrip("/")) + "/",
    }
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": page.title,
        "description": page.get_meta_description() or course.summary_display or page.title,
        "url": url,
        "courseCode": course.slug,
        "inLanguage": course.language.code if course.language else page.locale.language_code,
        "about": course.subject.label,
        "provider": provider,
        "offers": [
            {
                "@type": "Offer",
                "category": "Free" if course.is_free else "Paid",
                "price": f"{course.price:.2f}",
                "priceCurrency": course.currency,
                "availability": SCHEMA_AVAILABILITY[course_is_full(course)],
                "url": url,
            }
        ],
    }
    if course.level:
        data["educationalLevel"] = course.level.label
    image_url, width, height = page.get_share_image_url(request)
    if image_url:
        data["image"] = image_url
    modules = [m.title_display for m in course.modules.all()]
    if modules:
        data["syllabusSections"] = [{"@type": "Syllabus", "name": title} for title in modules]
    if course.starts_on:
        instance: dict = {
            "@type": "CourseInstance",
            "courseMode": COURSE_MODES.get(course.format, "Online"),
            "startDate": course.starts_on.isoformat(),
            "instructor": [
                {
                    "@type": "Person",
                    "name": t["name"],
                    **({"url": absolute_url(t["url"])} if t["url"] else {}),
                }
                for t in teacher_links(course)
            ],
        }
        if course.ends_on:
            instance["endDate"] = course.ends_on.isoformat()
        if course.capacity:
            instance["maximumAttendeeCapacity"] = course.capacity
        data["hasCourseInstance"] = [instance]
    return data


def enrollment_needs_consent(*, course: Course) -> bool:
    """Whether enrolling passes the guardian-consent gate: a course with a price (a payment) or with a
    teacher in the loop (a group course's enrolment gives seats in its live sessions; a 1:1 course
    exists to book lessons with its teacher). A free self-paced course is reading materials alone:
    neither contact nor payment, so a minor may start it without a guardian."""
    return not course.is_free or course.format != CourseFormat.SELF_PACED
