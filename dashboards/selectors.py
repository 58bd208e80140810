"""Reads for the role homes (`/dashboard/` and `GET /me/summary`): one selector per role section, each
a fixed number of queries however many lessons, children or courses there are. They reuse the apps'
own selectors (who may see what stays theirs) and only gather, per person, what a home shows first.

Every selector takes the person it is for; what it returns belongs to that person (their own lessons,
their linked children's, the lessons they teach), so a home never needs an id from the request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, WorkflowState

from authentication.choices import GuardianLinkStatus
from authentication.models import User
from authentication.next_steps import NEXT_STEPS
from authentication.roles import is_admin, is_parent, is_student, is_teacher
from authentication.selectors import (
    CONSENT_REQUIRED,
    DATE_OF_BIRTH_REQUIRED,
    children_of,
    guardian_consent_problem,
    guardian_link_list_for_user,
    students_held_by_consent,
)
from classroom.choices import NOT_CONFIRMED, TIME_FREED, LessonKind, LessonStatus
from classroom.models import Attendance, AvailabilityRule, Lesson, LessonSeat, TeacherProfile
from classroom.progress.selectors import progress_list_for_user, upcoming_by_student
from classroom.scheduling.wallclock import zone
from classroom.selectors import teacher_course_ids, teacher_list_public
from courses.choices import CourseStatus, EnrollmentStatus
from courses.models import Course, Enrollment
from courses.selectors import enrollment_list_for_user
from inbox.messaging.selectors import message_list_for, unread_count_for

from .choices import AdminArea, OnboardingStep, TeacherListing, TodoCode

UPCOMING_SHOWN = 5  # a learner's next lessons (the first is "the next lesson")
HOMEWORK_SHOWN = 5
ATTENTION_SHOWN = 10  # lessons whose attendance is still to mark
RECENT_SHOWN = 10  # new bookings, cancellations
RECENT_DAYS = 7
ATTENDANCE_DAYS = 30  # older unmarked lessons are history, not a to-do
COURSES_SHOWN = 20
ADMIN_SHOWN = 10


@dataclass
class Todo:
    """Something the person should do next, with where to do it."""

    code: str  # TodoCode
    message: str
    url: str


# --- learners (a student, and each child on a parent's home) ------------------------------------------


@dataclass
class LearnerHome:
    """What a learner's home shows: their next lessons, homework due, courses and to-dos."""

    student: User
    upcoming: list[Lesson] = field(default_factory=list)
    homework: list[Lesson] = field(default_factory=list)
    courses: list[Enrollment] = field(default_factory=list)  # active, with progress figures
    waiting: list[Enrollment] = field(default_factory=list)  # pending payment or waitlisted
    todos: list[Todo] = field(default_factory=list)
    # A child's teachers who take bookings (on a parent's home): "Book with <teacher>" shortcuts.
    teachers: list[TeacherProfile] = field(default_factory=list)

    @property
    def next_lesson(self) -> Lesson | None:
        return self.upcoming[0] if self.upcoming else None

    @property
    def later(self) -> list[Lesson]:
        return self.upcoming[1:]


def homework_by_student(
    *, students: list[User], per_student: int = HOMEWORK_SHOWN, now: datetime | None = None
) -> dict[int, list[Lesson]]:
    """Each student's homework still due (lessons they take, 1:1 or with a live seat, not cancelled,
    with homework due from now on), soonest first: two queries however many students."""
    ids = [s.pk for s in students]
    if not ids:
        return {}
    now = now or timezone.now()
    due = Q(homework__gt="", homework_due__gte=now)
    private = (
        Lesson.objects.filter(due, student_id__in=ids)
        .exclude(status__in=TIME_FREED)
        .select_related("teacher__user", "student", "course")
        .annotate(
            rank=Window(
                RowNumber(), partition_by=F("student_id"), order_by=[F("homework_due"), F("pk")]
            )
        )
        .filter(rank__lte=per_student)
    )
    seats = (
        LessonSeat.objects.filter(
            student_id__in=ids,
            cancelled_at__isnull=True,
            lesson__homework__gt="",
            lesson__homework_due__gte=now,
        )
        .exclude(lesson__status__in=TIME_FREED)
        .select_related("lesson__teacher__user", "lesson__course")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("student_id"),
                order_by=[F("lesson__homework_due"), F("lesson__pk")],
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
        pk: sorted(items, key=lambda lesson: (lesson.homework_due, lesson.pk))[:per_student]
        for pk, items in result.items()
    }


def teachers_by_student(*, students: list[User]) -> dict[int, list[TeacherProfile]]:
    """Each student's teachers they can book again: those they have had or have a lesson with (1:1,
    or a live seat in a group session; cancelled ones aside), listed in the directory and taking
    bookings, by name. Two queries however many students and teachers."""
    ids = [s.pk for s in students]
    result: dict[int, list[TeacherProfile]] = {pk: [] for pk in ids}
    if not ids:
        return result
    private = (
        Lesson.objects.filter(student_id__in=ids, kind=LessonKind.PRIVATE)
        .exclude(status__in=TIME_FREED)
        .order_by()
        .values_list("student_id", "teacher_id")
    )
    seats = (
        LessonSeat.objects.filter(student_id__in=ids, cancelled_at__isnull=True)
        .exclude(lesson__status__in=TIME_FREED)
        .order_by()
        .values_list("student_id", "lesson__teacher_id")
    )
    pairs = set(private.union(seats))
    if not pairs:
        return result
    teachers = (
        teacher_list_public()
        .prefetch_related(None)  # only the name is shown: no subjects, levels, languages
        .filter(pk__in={teacher_id for _student, teacher_id in pairs}, taking_bookings=True)
        .order_by("user__first_name", "user__last_name", "pk")
    )
    for teacher in teachers:
        for student_id in ids:
            if (student_id, teacher.pk) in pairs:
                result[student_id].append(teacher)
    return result


def _learner_homes(
    *, viewer: User, students: list[User], now: datetime, for_self: bool
) -> list[LearnerHome]:
    """The homes of several learners the viewer acts for (themself, or their linked children), in a
    fixed number of queries: next lessons, homework, enrolments (active with progress; pending and
    waitlisted ones) through the apps' selectors, which check that the viewer sees them."""
    if not students:
        return []
    ids = [s.pk for s in students]
    upcoming = upcoming_by_student(students=students, per_student=UPCOMING_SHOWN, now=now)
    homework = homework_by_student(students=students, now=now)
    homes = {s.pk: LearnerHome(student=s) for s in students}
    for pk in ids:
        homes[pk].upcoming = upcoming[pk]
        homes[pk].homework = homework[pk]
    for enrollment in progress_list_for_user(user=viewer).filter(student_id__in=ids):
        homes[enrollment.student_id].courses.append(enrollment)
    waiting = (
        enrollment_list_for_user(user=viewer)
        .filter(
            student_id__in=ids,
            status__in=[EnrollmentStatus.PENDING, EnrollmentStatus.WAITLISTED],
        )
        .order_by("created_at", "pk")
    )
    for enrollment in waiting:
        homes[enrollment.student_id].waiting.append(enrollment)
    for home in homes.values():
        for enrollment in home.waiting:
            if enrollment.status == EnrollmentStatus.PENDING:
                home.todos.append(_pending_todo(enrollment, for_self=for_self))
    return [homes[pk] for pk in ids]


def _pending_todo(enrollment: Enrollment, *, for_self: bool) -> Todo:
    """A paid enrolment waiting for its payment: what happens next, promising nothing the site does
    not do yet (payments are settled by the school, not on the site)."""
    values = {"course": enrollment.course.title, "name": enrollment.student.name}
    if for_self:
        message = _(
            "Your place in “%(course)s” is held. It becomes active once the school confirms "
            "your payment; nothing is charged on this site."
        )
    else:
        message = _(
            "%(name)s’s place in “%(course)s” is held. It becomes active once the school "
            "confirms your payment; nothing is charged on this site."
        )
    return Todo(TodoCode.ENROLLMENT_PENDING, message % values, reverse("my-courses"))


def _consent_todo(*, problem: str | None, for_self: bool, child: User | None = None) -> Todo | None:
    """The consent gate's next step, worded for the student themself or for their parent."""
    if problem is None:
        return None
    if for_self:
        url_name, _text = NEXT_STEPS[problem]
        if problem == DATE_OF_BIRTH_REQUIRED:
            message = _("Add your date of birth to your learning profile before you book lessons.")
            return Todo(TodoCode.DATE_OF_BIRTH, message, reverse(url_name))
        message = _(
            "You are under 16: a parent or guardian must give consent on Family links before you "
            "can book lessons."
        )
        return Todo(TodoCode.GUARDIAN_CONSENT, message, reverse(url_name))
    name = child.name if child is not None else ""
    if problem == DATE_OF_BIRTH_REQUIRED:
        return Todo(
            TodoCode.DATE_OF_BIRTH,
            _("Give %(name)s’s date of birth so lessons can be booked.") % {"name": name},
            reverse("student-date-of-birth", kwargs={"student_id": child.pk}),
        )
    return Todo(
        TodoCode.GUARDIAN_CONSENT,
        _("%(name)s needs your consent before lessons can be booked: give it on Family links.")
        % {"name": name},
        reverse("guardians"),
    )


def _invitation_todos(*, user: User) -> list[Todo]:
    """Guardian-link invitations waiting for the person's answer (two queries)."""
    pending = [
        link
        for link in guardian_link_list_for_user(user=user)
        if link.status == GuardianLinkStatus.PENDING and link.initiated_by_id != user.pk
    ]
    return [
        Todo(
            TodoCode.GUARDIAN_INVITATION,
            _("%(name)s asked to link your accounts: accept or decline on Family links.")
            % {"name": link.initiated_by.name},
            reverse("guardians"),
        )
        for link in pending
    ]


def student_home(*, user: User, now: datetime | None = None) -> LearnerHome | None:
    """A student's own home; None for someone without the Student role."""
    if not is_student(user):
        return None
    now = now or timezone.now()
    (home,) = _learner_homes(viewer=user, students=[user], now=now, for_self=True)
    consent = _consent_todo(problem=guardian_consent_problem(user=user), for_self=True)
    home.todos = [*([consent] if consent else []), *home.todos, *_invitation_todos(user=user)]
    return home


def parent_home(*, user: User, now: datetime | None = None) -> list[LearnerHome] | None:
    """A card per linked child (by name), each with the same facts as a student's home and the
    parent's to-dos for that child; None for someone without the Parent role."""
    if not is_parent(user):
        return None
    now = now or timezone.now()
    children = list(
        children_of(guardian=user)
        .filter(is_active=True)
        .select_related("student_profile")
        .order_by("first_name", "last_name", "pk")
    )
    homes = _learner_homes(viewer=user, students=children, now=now, for_self=False)
    held = students_held_by_consent(student_ids=[c.pk for c in children]) if children else set()
    teachers = teachers_by_student(students=children)
    for home in homes:
        child = home.student
        home.teachers = teachers[child.pk]
        if child.pk in held:
            profile = getattr(child, "student_profile", None)
            problem = (
                DATE_OF_BIRTH_REQUIRED
                if getattr(profile, "date_of_birth", None) is None
                else CONSENT_REQUIRED
            )
            home.todos.insert(0, _consent_todo(problem=problem, for_self=False, child=child))
    return homes


def parent_invitations(*, user: User) -> list[Todo]:
    """A parent's own to-dos: guardian-link invitations waiting for their answer."""
    if not is_parent(user):
        return []
    return _invitation_todos(user=user)


# --- teachers ------------------------------------------------------------------------------------------


@dataclass
class OnboardingItem:
    code: str  # OnboardingStep
    label: str
    done: bool
    url: str
    hint: str = ""


@dataclass
class TeacherHome:
    profile: TeacherProfile
    today: list[Lesson]
    week: list[Lesson]  # after today, the next 6 days
    to_mark: list[Lesson]
    to_mark_count: int
    new_bookings: list[Lesson]
    cancellations: list[Lesson]
    courses: list[Course]
    onboarding: list[OnboardingItem]
    listing: str  # TeacherListing

    @property
    def onboarding_done(self) -> bool:
        return all(item.done for item in self.onboarding)

    @property
    def taking_bookings(self) -> bool:
        return self.profile.has_availability and self.listing == TeacherListing.LISTED


def _with_seats(qs: QuerySet[Lesson]) -> QuerySet[Lesson]:
    live = (
        LessonSeat.objects.filter(lesson=OuterRef("pk"), cancelled_at__isnull=True)
        .order_by()
        .values("lesson")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.select_related("teacher__user", "student", "course", "cancelled_by").annotate(
        seats_taken=Coalesce(Subquery(live), Value(0))
    )


def lessons_to_mark(*, teacher: User, now: datetime) -> QuerySet[Lesson]:
    """The teacher's lessons of the last ATTENDANCE_DAYS that have ended, are not cancelled, and lack
    someone's attendance: the 1:1 student's, or a live seat holder's."""
    marked = Attendance.objects.filter(lesson=OuterRef("lesson"), student=OuterRef("student"))
    unmarked_seat = LessonSeat.objects.filter(
        lesson=OuterRef("pk"), cancelled_at__isnull=True
    ).filter(~Exists(marked))
    unmarked_student = ~Exists(
        Attendance.objects.filter(lesson=OuterRef("pk"), student=OuterRef("student"))
    )
    return (
        Lesson.objects.filter(
            teacher__user=teacher,
            end__lte=now,
            end__gt=now - timedelta(days=ATTENDANCE_DAYS),
        )
        .exclude(status__in=NOT_CONFIRMED)
        .filter(
            Q(unmarked_student, kind=LessonKind.PRIVATE)
            | Q(Exists(unmarked_seat), kind=LessonKind.GROUP)
        )
    )


def _listing(profile: TeacherProfile) -> str:
    if not profile.is_public:
        return TeacherListing.HIDDEN
    if not profile.is_approved:
        return TeacherListing.AWAITING_APPROVAL
    return TeacherListing.LISTED


def teacher_home(*, user: User, now: datetime | None = None) -> TeacherHome | None:
    """A teacher's home: today's and the coming week's lessons (in the teacher's zone), attendance
    still to mark, bookings and cancellations of the last week, their courses with enrolment counts,
    and the onboarding checklist. None for someone without the Teacher role (or without a profile)."""
    if not is_teacher(user):
        return None
    now = now or timezone.now()
    profile = (
        TeacherProfile.objects.filter(user=user)
        .select_related("user")
        .annotate(
            has_subjects=Exists(
                TeacherProfile.subjects.through.objects.filter(teacherprofile=OuterRef("pk"))
            ),
            has_availability=Exists(AvailabilityRule.objects.filter(teacher=OuterRef("pk"))),
            has_course=Exists(Course.objects.filter(pk__in=teacher_course_ids(user))),
        )
        .first()
    )
    if profile is None:
        return None
    tz = zone(user.timezone)
    local_now = now.astimezone(tz)
    day_end = (local_now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    week_end = day_end + timedelta(days=6)
    coming = list(
        _with_seats(
            Lesson.objects.filter(teacher=profile, end__gt=now, start__lt=week_end).exclude(
                status__in=TIME_FREED
            )
        ).order_by("start", "pk")
    )
    to_mark = list(
        _with_seats(lessons_to_mark(teacher=user, now=now)).order_by("-start", "-pk")[
            : ATTENTION_SHOWN + 1
        ]
    )
    since = now - timedelta(days=RECENT_DAYS)
    new_bookings = list(
        _with_seats(
            Lesson.objects.filter(
                teacher=profile,
                kind=LessonKind.PRIVATE,
                created_at__gte=since,
                status=LessonStatus.SCHEDULED,
                end__gt=now,
            )
        ).order_by("-created_at", "-pk")[:RECENT_SHOWN]
    )
    cancellations = list(
        _with_seats(
            Lesson.objects.filter(
                teacher=profile, status=LessonStatus.CANCELLED, cancelled_at__gte=since
            )
        ).order_by("-cancelled_at", "-pk")[:RECENT_SHOWN]
    )
    courses = list(teacher_courses(user=user, now=now)[:COURSES_SHOWN])
    return TeacherHome(
        profile=profile,
        today=[lesson for lesson in coming if lesson.start < day_end],
        week=[lesson for lesson in coming if lesson.start >= day_end],
        to_mark=to_mark[:ATTENTION_SHOWN],
        to_mark_count=len(to_mark),
        new_bookings=new_bookings,
        cancellations=cancellations,
        courses=courses,
        onboarding=_onboarding(profile),
        listing=_listing(profile),
    )


def teacher_courses(*, user: User, now: datetime | None = None) -> QuerySet[Course]:
    """The courses a teacher owns or teaches, with their enrolment counts (`active`, `pending`,
    `waitlisted`, and `new_enrollments` of the last RECENT_DAYS): one query."""
    now = now or timezone.now()
    return (
        Course.objects.filter(pk__in=teacher_course_ids(user))
        .exclude(status=CourseStatus.ARCHIVED)
        .annotate(
            active=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE)),
            pending=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.PENDING)),
            waitlisted=Count(
                "enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)
            ),
            new_enrollments=Count(
                "enrollments",
                filter=Q(
                    enrollments__created_at__gte=now - timedelta(days=RECENT_DAYS),
                    enrollments__status__in=[
                        EnrollmentStatus.ACTIVE,
                        EnrollmentStatus.PENDING,
                        EnrollmentStatus.WAITLISTED,
                    ],
                ),
            ),
        )
        .order_by("-status", "title", "pk")  # published, then drafts
    )


def _onboarding(profile: TeacherProfile) -> list[OnboardingItem]:
    """Profile (headline, bio, a subject), weekly availability, a first course: each with its page."""
    return [
        OnboardingItem(
            OnboardingStep.PROFILE,
            _("Complete your teaching profile"),
            bool(profile.headline and profile.bio and profile.has_subjects),
            reverse("teacher-profile-edit"),
            _("A headline, a few words about you and the subjects you teach."),
        ),
        OnboardingItem(
            OnboardingStep.AVAILABILITY,
            _("Set your weekly availability"),
            bool(profile.has_availability),
            reverse("availability-edit"),
            _("Students cannot book you yet: they book the hours you make available."),
        ),
        OnboardingItem(
            OnboardingStep.FIRST_COURSE,
            _("Create your first course"),
            bool(profile.has_course),
            reverse("teach-course-create"),
            _("A group course, a 1:1 package or a self-paced course."),
        ),
    ]


# --- admins --------------------------------------------------------------------------------------------


@dataclass
class PageInReview:
    page: Page
    state: WorkflowState

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])


@dataclass
class AdminAreaLink:
    code: str  # AdminArea
    label: str
    url: str


@dataclass
class AdminHome:
    teachers_waiting: list[TeacherProfile]
    teachers_waiting_count: int
    pages_in_review: list[PageInReview]
    pages_in_review_count: int
    areas: list[AdminAreaLink]
    teachers_waiting_url: str = ""


TEACHERS_SNIPPETS = "wagtailsnippets_classroom_teacherprofile"


def teachers_awaiting_approval() -> QuerySet[TeacherProfile]:
    """Teachers who asked to be listed (public) and are not approved yet, oldest request first: the
    admin list's "pending" filter."""
    return (
        TeacherProfile.objects.filter(is_public=True, is_approved=False, user__is_active=True)
        .select_related("user")
        .order_by("updated_at", "pk")
    )


def pages_in_review() -> QuerySet[WorkflowState]:
    return (
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type__app_label="wagtailcore",
            base_content_type__model="page",
        )
        .select_related("requested_by", "current_task_state__task")
        .order_by("created_at", "pk")
    )


def admin_home(*, user: User) -> AdminHome | None:
    """Teachers waiting for approval, pages waiting for review (Wagtail workflows) and a link to each
    admin area. None for someone who is not an admin."""
    if not is_admin(user):
        return None
    waiting = teachers_awaiting_approval()
    states = list(pages_in_review()[:ADMIN_SHOWN])
    page_ids = [int(s.object_id) for s in states if str(s.object_id).isdigit()]
    pages = {p.pk: p for p in Page.objects.filter(pk__in=page_ids)} if page_ids else {}
    areas = [
        AdminAreaLink(AdminArea.CONTENT, _("Pages"), reverse("wagtailadmin_explore_root")),
        AdminAreaLink(
            AdminArea.REVIEW, _("Pages in review"), reverse("wagtailadmin_reports:workflow")
        ),
        AdminAreaLink(
            AdminArea.TEACHERS, _("Teacher profiles"), reverse(f"{TEACHERS_SNIPPETS}:list")
        ),
        AdminAreaLink(AdminArea.USERS, _("Users and roles"), reverse("wagtailusers_users:index")),
        AdminAreaLink(
            AdminArea.GUARDIANS,
            _("Guardian links"),
            reverse("wagtailsnippets_authentication_guardianlink:list"),
        ),
        # The catalog: "Courses I teach" is a teacher's page (403 for an admin who does not teach).
        AdminAreaLink(AdminArea.COURSES, _("Course catalog"), reverse("course-catalog")),
        AdminAreaLink(AdminArea.LESSONS, _("All lessons"), reverse("lesson-list")),
        AdminAreaLink(AdminArea.WAGTAIL, _("Site administration"), reverse("wagtailadmin_home")),
    ]
    if user.is_superuser:
        areas.append(
            AdminAreaLink(AdminArea.DJANGO, _("Django administration"), reverse("admin:index"))
        )
    return AdminHome(
        teachers_waiting=list(waiting[:ADMIN_SHOWN]),
        teachers_waiting_count=waiting.count(),
        pages_in_review=[
            PageInReview(page=pages[int(s.object_id)], state=s)
            for s in states
            if str(s.object_id).isdigit() and int(s.object_id) in pages
        ],
        pages_in_review_count=pages_in_review().count(),
        areas=areas,
        teachers_waiting_url=reverse(f"{TEACHERS_SNIPPETS}:list") + "?status=pending",
    )


def approve_url(profile: TeacherProfile) -> str:
    """The admin's confirmation page that approves the teacher (and comes back to the pending list)."""
    return reverse(f"{TEACHERS_SNIPPETS}:approve", args=[profile.pk])


# --- the whole home -------------------------------------------------------------------------------------


@dataclass
class Home:
    user: User
    student: LearnerHome | None
    children: list[LearnerHome] | None
    parent_todos: list[Todo]
    teacher: TeacherHome | None
    admin: AdminHome | None

    @cached_property
    def messages(self) -> MessagesHome:
        """Read only where shown (the page; the API's summary does not carry it)."""
        return messages_home(user=self.user)

    @property
    def has_role(self) -> bool:
        return any(
            part is not None for part in (self.student, self.children, self.teacher, self.admin)
        )


@dataclass
class MessagesHome:
    """Every role's home: how many messages wait unread, and the latest few in the inbox."""

    unread: int
    latest: list


LATEST_MESSAGES = 3


def messages_home(*, user: User) -> MessagesHome:
    return MessagesHome(
        unread=unread_count_for(user=user, cached=True),
        latest=list(message_list_for(user=user)[:LATEST_MESSAGES]),
    )


def home_for(*, user: User, now: datetime | None = None) -> Home:
    """Every section of the person's home, one per role they hold (several for several roles)."""
    now = now or timezone.now()
    return Home(
        user=user,
        student=student_home(user=user, now=now),
        children=parent_home(user=user, now=now),
        parent_todos=parent_invitations(user=user),
        teacher=teacher_home(user=user, now=now),
        admin=admin_home(user=user),
    )
