"""The demo courses and what the demo students see of them (through the API, logged in as the README's
demo logins), loaded once however often `load_demo_data` runs."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from classroom.choices import LessonKind, LessonStatus
from classroom.models import Attendance, Lesson, LessonSeat
from courses.choices import CourseFormat, CourseStatus, EnrollmentStatus
from courses.models import Course, Enrollment, Material, Module, ModuleCompletion, ProgressNote
from demo.management.commands.load_demo_data import PASSWORD
from tests.conftest import login_token

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data loaded once for the module, in a transaction rolled back afterwards (each test
    runs in its own savepoint inside it)."""
    from django.db import transaction
    from django.test import TestCase

    from tests.base_data import ensure_base_data

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_base_data()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo_data", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {
        "courses": Course.objects.count(),
        "modules": Module.objects.count(),
        "materials": Material.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "lessons": Lesson.objects.count(),
        "seats": LessonSeat.objects.count(),
        "attendance": Attendance.objects.count(),
        "completions": ModuleCompletion.objects.count(),
        "progress notes": ProgressNote.objects.count(),
    }


def test_demo_data_adds_published_courses_of_each_format_in_both_languages_once(demo):
    courses = Course.objects.filter(status=CourseStatus.PUBLISHED)
    assert set(courses.values_list("format", flat=True)) == set(CourseFormat.values)
    assert set(courses.values_list("language__code", flat=True)) == {"en", "es"}
    assert courses.filter(price=0).exists() and courses.filter(price__gt=0).exists()
    for course in courses.exclude(format=CourseFormat.ONE_TO_ONE):
        assert course.modules.exists() and course.materials.filter(module__isnull=False).exists()
    enrolled = set(
        Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE).values_list(
            "student__email", flat=True
        )
    )
    assert {
        "liam.johnson@example.com",
        "mia.lopez@example.com",
        "lucas.lopez@example.com",
        "olivia.davis@example.com",
    } <= enrolled


def test_loading_the_demo_data_again_adds_no_course_enrolment_lesson_or_progress(
    demo, django_capture_on_commit_callbacks
):
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", stdout=io.StringIO(), stderr=io.StringIO())
    assert counts() == before
    assert before["lessons"] and before["seats"] and before["completions"]


def test_demo_data_runs_a_group_course_with_sessions_seats_and_attendance(demo):
    course = Course.objects.get(slug="algebra-basics")
    sessions = Lesson.objects.filter(course=course, kind=LessonKind.GROUP).order_by("start")
    now = timezone.now()
    past = [s for s in sessions if s.start < now]
    upcoming = [s for s in sessions if s.start > now]
    assert past and upcoming
    seated = set(
        LessonSeat.objects.filter(lesson=upcoming[0], cancelled_at__isnull=True).values_list(
            "student__email", flat=True
        )
    )
    # Noah (under 16, no guardian's consent yet) is not enrolled: a group course is contact.
    assert seated == {"liam.johnson@example.com", "lucas.lopez@example.com"}
    assert all(s.capacity == course.capacity for s in sessions)
    for session in past:
        assert session.status == LessonStatus.COMPLETED and session.notes
        assert session.attendances.count() == len(seated)
        assert session.materials.exists()


def test_the_1_to_1_course_student_has_lessons_of_the_course(demo):
    course = Course.objects.get(slug="business-english-one-to-one")
    lessons = Lesson.objects.filter(course=course, student__email="olivia.davis@example.com")
    assert lessons.filter(start__gt=timezone.now()).count() == 1
    assert lessons.filter(status=LessonStatus.COMPLETED).count() == 2
    assert course.lessons_included == 10  # a package: 3 of its 10 lessons used


def test_a_demo_student_sees_upcoming_lessons_past_notes_and_progress_through_the_api(demo, client):
    token = login_token(client, "lucas.lopez@example.com", PASSWORD)
    headers = {"HTTP_X_SESSION_TOKEN": token}

    upcoming = client.get("/api/v1/lessons", {"when": "upcoming"}, **headers)
    assert upcoming.status_code == 200, upcoming.content
    kinds = {lesson["kind"] for lesson in upcoming.json()["items"]}
    assert kinds == {LessonKind.PRIVATE, LessonKind.GROUP}  # his 1:1 lesson and his group sessions

    past = client.get("/api/v1/lessons", {"when": "past"}, **headers).json()["items"]
    private = [lesson for lesson in past if lesson["kind"] == LessonKind.PRIVATE]
    assert len(private) == 2
    for lesson in private:
        assert lesson["notes"] and lesson["homework"]
        assert [mark["status"] for mark in lesson["attendance"]] in (["present"], ["late"])
    assert any(lesson["kind"] == LessonKind.GROUP and lesson["notes"] for lesson in past)

    progress = client.get("/api/v1/progress", **headers)
    assert progress.status_code == 200, progress.content
    (algebra,) = [p for p in progress.json()["items"] if p["course"]["slug"] == "algebra-basics"]
    assert algebra["modules_completed"] >= 1 and algebra["notes"]
    assert algebra["sessions_attended"] >= 1 and algebra["next_lesson"] is not None


def test_a_parent_sees_her_childs_lessons_and_progress_through_the_api(demo, client):
    token = login_token(client, "maria.lopez@example.com", PASSWORD)
    headers = {"HTTP_X_SESSION_TOKEN": token}

    lessons = client.get("/api/v1/lessons", {"when": "upcoming"}, **headers).json()["items"]
    students = {
        seat["student"]["student_id"] for lesson in lessons for seat in lesson.get("seats", [])
    }
    students |= {lesson["student"]["student_id"] for lesson in lessons if lesson.get("student")}
    lucas = Enrollment.objects.filter(student__email="lucas.lopez@example.com").first().student
    assert lucas.pk in students
