from datetime import datetime

from django.urls import reverse
from ninja import Field, Schema

from courses.choices import CourseFormat, EnrollmentStatus
from cplatform.api_base import InputSchema, MultilineText

from ..choices import AttendanceStatus, LessonKind, LessonStatus


class PersonOut(Schema):
    id: int = Field(..., description="The person's user id.")
    name: str


class CourseBriefOut(Schema):
    id: int
    title: str
    slug: str
    format: CourseFormat


class NextLessonOut(Schema):
    id: int
    start: datetime
    end: datetime


class ProgressNoteOut(Schema):
    id: int
    enrollment_id: int
    author: PersonOut | None = Field(..., description="Null once the author's account is gone.")
    body: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj):
        return {"id": obj.author_id, "name": obj.author.name} if obj.author_id else None


class ProgressNoteIn(InputSchema):
    body: MultilineText = Field(
        ..., min_length=1, max_length=5000, examples=["Fractions are solid; next: decimals."]
    )


class ProgressOut(Schema):
    """An enrolment and how it is going."""

    enrollment_id: int
    status: EnrollmentStatus
    course: CourseBriefOut
    student: PersonOut
    created_at: datetime
    activated_at: datetime | None
    ended_at: datetime | None
    sessions_planned: int = Field(
        ...,
        description="Non-cancelled lessons of the course the student takes (1:1 lessons of the "
        "course and group sessions where they hold a seat), past and upcoming.",
    )
    sessions_attended: int = Field(..., description="Recorded present or late.")
    absences: int = Field(..., description="Recorded absent.")
    excused: int = Field(..., description="Recorded absent with an excuse.")
    modules_completed: int = Field(..., description="Released modules marked done.")
    modules_released: int
    next_lesson: NextLessonOut | None
    notes: list[ProgressNoteOut] = Field(..., description="The teachers' notes, newest first.")
    url: str = Field(..., description="The progress page of this enrolment.")

    @staticmethod
    def resolve_enrollment_id(obj):
        return obj.pk

    @staticmethod
    def resolve_student(obj):
        return {"id": obj.student_id, "name": obj.student.name}

    @staticmethod
    def resolve_next_lesson(obj):
        if obj.next_lesson_id is None:
            return None
        return {
            "id": obj.next_lesson_id,
            "start": obj.next_lesson_start,
            "end": obj.next_lesson_end,
        }

    @staticmethod
    def resolve_url(obj):
        return reverse("progress-enrollment", kwargs={"enrollment_id": obj.pk})


class ModuleProgressOut(Schema):
    id: int
    title: str
    position: int
    done: bool
    completed_at: datetime | None
    marked_by: PersonOut | None

    @staticmethod
    def resolve_id(obj):
        return obj.module.pk

    @staticmethod
    def resolve_title(obj):
        return obj.module.title

    @staticmethod
    def resolve_position(obj):
        return obj.module.position

    @staticmethod
    def resolve_completed_at(obj):
        return obj.completion.completed_at if obj.completion else None

    @staticmethod
    def resolve_marked_by(obj):
        c = obj.completion
        if c is None or c.marked_by_id is None:
            return None
        return {"id": c.marked_by_id, "name": c.marked_by.name}


class ProgressDetailOut(ProgressOut):
    modules: list[ModuleProgressOut] = Field(
        ..., description="Released modules, in syllabus order."
    )
    can_mark_modules: bool = Field(
        ..., description="Whether the caller may mark modules done (on an active enrolment)."
    )
    can_add_notes: bool = Field(..., description="Whether the caller may write progress notes.")


class HistoryLessonOut(Schema):
    """A lesson of one student, with what the teacher recorded about it."""

    id: int
    kind: LessonKind
    title: str
    course: CourseBriefOut | None
    teacher: PersonOut = Field(..., description="`id` is the teacher's profile id.")
    start: datetime
    end: datetime
    status: LessonStatus
    attendance: AttendanceStatus | None = Field(
        ..., description="The student's attendance, once the teacher recorded it."
    )
    attendance_note: str
    notes: str
    homework: str
    homework_due: datetime | None
    video_call_url: str

    @staticmethod
    def resolve_teacher(obj):
        return {"id": obj.teacher_id, "name": obj.teacher.user.name}

    @staticmethod
    def resolve_attendance(obj):
        return obj.attendance_status or None


class MyStudentOut(Schema):
    id: int = Field(..., description="The student's user id.")
    name: str
    lessons_taken: int = Field(..., description="Ended, non-cancelled lessons with you.")
    next_lesson_start: datetime | None
    enrollments_count: int = Field(..., description="Enrolments in your courses, any status.")
    url: str

    @staticmethod
    def resolve_url(obj):
        return reverse("progress-student", kwargs={"student_id": obj.pk})
