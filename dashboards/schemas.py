"""`GET /me/summary`: the role homes in one answer (an app's first screen is one request)."""

from datetime import datetime

from django.urls import reverse
from ninja import Field, Schema

from authentication.choices import Role
from authentication.schemas import PersonBrief
from classroom.choices import LessonKind, LessonStatus
from classroom.progress.schemas import ProgressOut
from courses.choices import CourseStatus, EnrollmentStatus
from courses.schemas import CourseBrief, StudentBrief, TeacherBrief
from cplatform.api_http import AbsoluteURL
from cplatform.api_types import TimeZoneNameOut

from .choices import AdminArea, OnboardingStep, TeacherListing, TodoCode


class LessonSummaryOut(Schema):
    """A lesson as a home lists it; `GET /lessons/{lesson_id}` has the rest."""

    lesson_id: int = Field(..., description="`GET /lessons/{lesson_id}`.")
    kind: LessonKind
    title: str = Field(..., description="The lesson's own title; empty for most 1:1 lessons.")
    start: datetime
    end: datetime
    status: LessonStatus
    teacher: TeacherBrief
    student: StudentBrief | None = Field(
        ..., description="The 1:1 student; null for a group session."
    )
    course: CourseBrief | None
    seats_taken: int | None = Field(
        ..., description="A group session's live seats (teachers' lists only); null otherwise."
    )
    capacity: int | None
    video_call_url: str = Field(..., description="The join link, once the teacher adds it.")
    url: AbsoluteURL = Field(..., description="The lesson's page on the site.")

    @staticmethod
    def resolve_lesson_id(obj):
        return obj.pk

    @staticmethod
    def resolve_student(obj):
        return obj.student if obj.student_id else None

    @staticmethod
    def resolve_course(obj):
        return obj.course if obj.course_id else None

    @staticmethod
    def resolve_seats_taken(obj):
        return getattr(obj, "seats_taken", None) if obj.kind == LessonKind.GROUP else None

    @staticmethod
    def resolve_url(obj):
        return reverse("lesson-detail", kwargs={"lesson_id": obj.pk})


class HomeworkOut(Schema):
    lesson: LessonSummaryOut = Field(..., description="The lesson the homework was set in.")
    homework: str
    due: datetime

    @staticmethod
    def resolve_lesson(obj):
        return obj

    @staticmethod
    def resolve_due(obj):
        return obj.homework_due


class WaitingEnrollmentOut(Schema):
    """An enrolment that is not active yet: `pending` (a paid place held until the school confirms
    the payment; nothing is charged through the site yet) or `waitlisted`."""

    enrollment_id: int = Field(..., description="`GET /enrollments/{enrollment_id}`.")
    status: EnrollmentStatus
    course: CourseBrief
    created_at: datetime

    @staticmethod
    def resolve_enrollment_id(obj):
        return obj.pk


class TodoOut(Schema):
    code: TodoCode = Field(..., description="What the to-do is about; branch on it.")
    message: str = Field(..., description="What to do, in the caller's language.")
    url: AbsoluteURL = Field(..., description="The page where it is done.")


class LearnerSummaryOut(Schema):
    """A learner's home: the caller's own (`student`) or one child's on a parent's (`children`)."""

    student: StudentBrief
    next_lesson: LessonSummaryOut | None = Field(..., description="The soonest lesson not ended.")
    upcoming_lessons: list[LessonSummaryOut] = Field(
        ..., description="The next lessons (at most 5), the next one first."
    )
    homework_due: list[HomeworkOut] = Field(
        ..., description="Homework due from now on, soonest first."
    )
    courses: list[ProgressOut] = Field(..., description="Active enrolments with their progress.")
    waiting_enrollments: list[WaitingEnrollmentOut]
    todos: list[TodoOut]

    @staticmethod
    def resolve_upcoming_lessons(obj):
        return obj.upcoming

    @staticmethod
    def resolve_homework_due(obj):
        return obj.homework

    @staticmethod
    def resolve_waiting_enrollments(obj):
        return obj.waiting


class BookWithOut(Schema):
    """A teacher the child has had (or has) lessons with and can book again, with the booking page
    for this child; the API books with `POST /lessons` (`teacher_id`, `student_id`)."""

    teacher: TeacherBrief
    book_url: AbsoluteURL = Field(
        ..., description="The teacher's booking page with the child already chosen."
    )

    @staticmethod
    def resolve_teacher(obj):
        return obj[1]

    @staticmethod
    def resolve_book_url(obj):
        child, teacher = obj
        return reverse("lesson-book", args=[teacher.pk]) + f"?student_id={child.pk}"


class ChildSummaryOut(LearnerSummaryOut):
    book_url: AbsoluteURL = Field(
        ..., description="Where a parent finds another teacher (the teacher directory)."
    )
    book_with: list[BookWithOut] = Field(
        ...,
        description="The child's teachers (1:1 or group lessons, past or booked) who take "
        "bookings, by name: each with a booking page for this child.",
    )
    progress_url: AbsoluteURL
    history_url: AbsoluteURL

    @staticmethod
    def resolve_book_url(obj):
        return reverse("teacher-directory")

    @staticmethod
    def resolve_book_with(obj):
        return [(obj.student, teacher) for teacher in obj.teachers]

    @staticmethod
    def resolve_progress_url(obj):
        # The parent's progress page, at this child's part ("progress-student" is the teacher's).
        return reverse("progress-home") + f"#child-{obj.student.pk}-heading"

    @staticmethod
    def resolve_history_url(obj):
        return reverse("progress-history") + f"?student={obj.student.pk}"


class ParentSummaryOut(Schema):
    children: list[ChildSummaryOut] = Field(..., description="Each linked child, by name.")
    todos: list[TodoOut] = Field(..., description="The parent's own: family-link invitations.")


class OnboardingStepOut(Schema):
    code: OnboardingStep
    label: str
    done: bool
    url: AbsoluteURL
    hint: str


class TeacherCourseOut(Schema):
    course: CourseBrief
    status: CourseStatus
    active: int = Field(..., description="Active enrolments.")
    pending: int = Field(..., description="Places held awaiting payment.")
    waitlisted: int
    new_enrollments: int = Field(..., description="Enrolments of the last 7 days (not ended).")

    @staticmethod
    def resolve_course(obj):
        return obj


class TeacherSummaryOut(Schema):
    teacher: TeacherBrief
    listing: TeacherListing = Field(..., description="Whether students find you in the directory.")
    taking_bookings: bool = Field(
        ..., description="Listed and with weekly availability: students can book you."
    )
    onboarding_done: bool
    onboarding: list[OnboardingStepOut] = Field(
        ..., description="Profile, availability, first course: each with its page."
    )
    today: list[LessonSummaryOut] = Field(..., description="Today's lessons, in your time zone.")
    this_week: list[LessonSummaryOut] = Field(..., description="The six days after today.")
    attendance_to_mark: list[LessonSummaryOut] = Field(
        ..., description="Ended lessons of the last 30 days with attendance missing (at most 10)."
    )
    attendance_to_mark_more: bool = Field(..., description="More than those 10 are waiting.")
    new_bookings: list[LessonSummaryOut] = Field(..., description="Booked in the last 7 days.")
    cancellations: list[LessonSummaryOut] = Field(..., description="Cancelled in the last 7 days.")
    courses: list[TeacherCourseOut] = Field(..., description="Courses you teach (not archived).")

    @staticmethod
    def resolve_teacher(obj):
        return obj.profile

    @staticmethod
    def resolve_this_week(obj):
        return obj.week

    @staticmethod
    def resolve_attendance_to_mark(obj):
        return obj.to_mark

    @staticmethod
    def resolve_attendance_to_mark_more(obj):
        return obj.to_mark_count > len(obj.to_mark)


class WaitingTeacherOut(Schema):
    teacher: TeacherBrief
    approve_url: AbsoluteURL = Field(..., description="The admin page that approves them.")

    @staticmethod
    def resolve_teacher(obj):
        return obj

    @staticmethod
    def resolve_approve_url(obj):
        return reverse("wagtailsnippets_classroom_teacherprofile:approve", args=[obj.pk])


class PageInReviewOut(Schema):
    title: str
    edit_url: AbsoluteURL
    requested_by: PersonBrief | None
    requested_at: datetime

    @staticmethod
    def resolve_title(obj):
        return obj.page.title

    @staticmethod
    def resolve_requested_by(obj):
        return obj.state.requested_by

    @staticmethod
    def resolve_requested_at(obj):
        return obj.state.created_at


class AdminAreaOut(Schema):
    code: AdminArea
    label: str
    url: AbsoluteURL


class AdminSummaryOut(Schema):
    teachers_waiting: list[WaitingTeacherOut] = Field(
        ..., description="Public profiles waiting for approval, the oldest 10."
    )
    teachers_waiting_count: int
    pages_in_review: list[PageInReviewOut] = Field(..., description="The oldest 10.")
    pages_in_review_count: int
    areas: list[AdminAreaOut]


class SummaryOut(Schema):
    """The caller's home: one part per role they hold (null for a role they do not)."""

    name: str
    timezone: TimeZoneNameOut
    roles: list[Role]
    student: LearnerSummaryOut | None
    parent: ParentSummaryOut | None
    teacher: TeacherSummaryOut | None
    admin: AdminSummaryOut | None

    @staticmethod
    def resolve_name(obj):
        return obj.user.name

    @staticmethod
    def resolve_timezone(obj):
        return obj.user.timezone

    @staticmethod
    def resolve_roles(obj):
        return sorted(obj.user.role_names)

    @staticmethod
    def resolve_parent(obj):
        if obj.children is None:
            return None
        return {"children": obj.children, "todos": obj.parent_todos}
