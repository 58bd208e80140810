from datetime import timedelta

import pytest
from django.utils import timezone

from classroom.models import Attendance, Lesson
from courses.models import Enrollment, ModuleCompletion, ProgressNote
from tests.authentication.factories import PASSWORD, ParentFactory
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.query_budget import assert_constant_queries, json_rows

from . import scenario
from .factories import ProgressNoteFactory, profile_of, slot

pytestmark = pytest.mark.django_db


def auth(client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email, PASSWORD)}


def test_a_student_marks_a_module_done_and_sees_the_figures(client, people):
    s = scenario.build(people)
    headers = auth(client, people.student_a)
    url = f"/api/v1/enrollments/{s.enrollment.pk}/modules/{s.modules[0].pk}/complete"
    body = client.post(url, **headers).json()
    assert body["modules_completed"] == 1 and body["modules_released"] == 3
    assert [m["done"] for m in body["modules"]] == [True, False, False]
    assert body["modules"][0]["marked_by"]["user_id"] == people.student_a.pk
    assert body["sessions_planned"] == 5 and body["sessions_attended"] == 2
    assert body["absences"] == 1
    assert body["next_lesson"]["lesson_id"] == s.next_lesson.pk
    assert body["can_mark_modules"] is True and body["can_add_notes"] is False
    assert client.post(url, **headers).json()["modules_completed"] == 1  # idempotent
    body = client.delete(url, **headers).json()
    assert body["modules_completed"] == 0
    assert not ModuleCompletion.objects.exists()


def test_an_unreleased_module_answers_422_and_a_withdrawn_enrolment_409(client, people):
    s = scenario.build(people)
    headers = auth(client, people.student_a)
    base = f"/api/v1/enrollments/{s.enrollment.pk}/modules"
    response = client.post(f"{base}/{s.unreleased.pk}/complete", **headers)
    assert response.status_code == 422 and "module" in response.json()["errors"]
    Enrollment.objects.filter(pk=s.enrollment.pk).update(status="withdrawn")
    response = client.post(f"{base}/{s.modules[0].pk}/complete", **headers)
    assert response.status_code == 409
    detail = client.get(f"/api/v1/enrollments/{s.enrollment.pk}/progress", **headers).json()
    assert detail["can_mark_modules"] is False
    assert set(response.json()) == {"detail", "errors", "code", "error_codes"}


def test_a_teacher_adds_a_note_and_the_parent_reads_it_in_the_progress_list(client, people):
    s = scenario.build(people)
    response = client.post(
        f"/api/v1/enrollments/{s.enrollment.pk}/notes",
        {"body": "Great progress with fractions."},
        content_type="application/json",
        **auth(client, people.teacher),
    )
    assert response.status_code == 201
    assert response.json()["author"] == {
        "user_id": people.teacher.pk,
        "name": people.teacher.name,
        "avatar_url": None,
    }
    body = client.get(
        "/api/v1/progress",
        {"student_id": people.student_a.pk},
        **auth(client, people.parent_of_a),
    ).json()
    assert body["count"] == 1
    assert [n["body"] for n in body["items"][0]["notes"]] == ["Great progress with fractions."]


def test_a_note_that_is_blank_or_too_long_is_refused_with_field_errors(client, people):
    s = scenario.build(people)
    headers = auth(client, people.teacher)
    url = f"/api/v1/enrollments/{s.enrollment.pk}/notes"
    for body, status in (({"body": "   "}, 422), ({"body": "x" * 5001}, 422), ({}, 422)):
        response = client.post(url, body, content_type="application/json", **headers)
        assert response.status_code == status, body
        assert "body" in response.json()["errors"]
    assert not ProgressNote.objects.exists()


def test_only_the_author_deletes_a_note_and_another_parent_gets_404(client, people):
    s = scenario.build(people)
    note = ProgressNoteFactory(enrollment=s.enrollment, author=people.teacher)
    url = f"/api/v1/progress-notes/{note.pk}"
    assert client.delete(url, **auth(client, people.student_a)).status_code == 403
    assert client.delete(url, **auth(client, ParentFactory())).status_code == 404
    assert client.delete(url, **auth(client, people.teacher)).status_code == 204
    assert client.delete(url, **auth(client, people.teacher)).status_code == 404


def test_progress_detail_is_404_for_others_as_for_a_missing_enrolment(client, people):
    s = scenario.build(people)
    headers = auth(client, ParentFactory())
    forbidden = client.get(f"/api/v1/enrollments/{s.enrollment.pk}/progress", **headers)
    missing = client.get("/api/v1/enrollments/987654321/progress", **headers)
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_a_teacher_filters_progress_by_course(client, people):
    s = scenario.build(people)
    other = CourseFactory(owner=people.teacher)
    EnrollmentFactory(course=other)
    headers = auth(client, people.teacher)
    assert client.get("/api/v1/progress", **headers).json()["count"] == 2
    body = client.get("/api/v1/progress", {"course_id": s.course.pk}, **headers).json()
    assert [i["enrollment_id"] for i in body["items"]] == [s.enrollment.pk]


def test_lesson_history_for_the_student_the_parent_and_the_teacher(client, people):
    scenario.build(people)
    a = people.student_a
    own = client.get("/api/v1/history/lessons", **auth(client, a)).json()
    assert own["count"] == 5
    first = own["items"][0]
    assert first["start"] > own["items"][1]["start"]  # newest first
    by_notes = {i["notes"]: i for i in own["items"]}
    assert by_notes["Worked on fractions."]["attendance"] == "present"
    assert by_notes["Worked on fractions."]["homework"] == "Exercises 1-5"
    parent = client.get(
        "/api/v1/history/lessons", {"student_id": a.pk}, **auth(client, people.parent_of_a)
    ).json()
    assert parent["count"] == 5
    upcoming = client.get(
        "/api/v1/history/lessons",
        {"student_id": a.pk, "when": "upcoming"},
        **auth(client, people.teacher),
    ).json()
    assert upcoming["count"] == 2
    for outsider in (people.student_b, people.other_teacher, ParentFactory()):
        response = client.get(
            "/api/v1/history/lessons", {"student_id": a.pk}, **auth(client, outsider)
        )
        assert response.status_code == 404
    response = client.get("/api/v1/history/lessons", {"when": "later"}, **auth(client, a))
    assert response.status_code == 422


def test_my_students_lists_the_teachers_students(client, people):
    scenario.build(people)
    body = client.get("/api/v1/my-students", **auth(client, people.teacher)).json()
    names = {i["id"]: i for i in body["items"]}
    assert set(names) == {people.student_a.pk, people.student_b.pk}
    assert names[people.student_a.pk]["enrollments_count"] == 1
    url = f"http://testserver/progress/students/{people.student_a.pk}/"
    assert names[people.student_a.pk]["url"] == url
    assert client.get("/api/v1/my-students", **auth(client, people.student_a)).status_code == 403


# --- query budgets ------------------------------------------------------------------------------------


def _lessons(teacher, student, n, offset):
    now = timezone.now()
    lessons = Lesson.objects.bulk_create(
        Lesson(
            teacher=teacher,
            student=student,
            booked_by=student,
            start=now - timedelta(days=3000) + (slot(offset + i) - slot(0)),
            end=now - timedelta(days=3000) + (slot(offset + i) - slot(0)) + timedelta(hours=1),
            notes=f"Lesson {i}",
        )
        for i in range(n)
    )
    Attendance.objects.bulk_create(
        Attendance(lesson=lesson, student=student, status="present") for lesson in lessons
    )


def test_history_api_runs_the_same_queries_for_5_and_100_lessons(client, people):
    teacher = profile_of(people.teacher)
    _lessons(teacher, people.student_a, 5, 0)
    headers = auth(client, people.parent_of_a)
    assert_constant_queries(
        lambda: client.get(
            "/api/v1/history/lessons", {"student_id": people.student_a.pk, "limit": 100}, **headers
        ),
        grow=lambda: _lessons(teacher, people.student_a, 95, 10),
        budget=12,
        rows=json_rows,
    )
    body = client.get(
        "/api/v1/history/lessons", {"student_id": people.student_a.pk, "limit": 100}, **headers
    ).json()
    assert body["count"] == 100


def _enrol(student, teacher, n):
    for _ in range(n):
        e = EnrollmentFactory(course=CourseFactory(owner=teacher), student=student)
        ProgressNoteFactory(enrollment=e)
        ProgressNoteFactory(enrollment=e)


def test_progress_api_runs_the_same_queries_for_5_and_100_enrolments(client, people):
    _enrol(people.student_a, people.teacher, 5)
    headers = auth(client, people.student_a)
    assert_constant_queries(
        lambda: client.get("/api/v1/progress", {"limit": 100}, **headers),
        grow=lambda: _enrol(people.student_a, people.teacher, 95),
        budget=12,
        rows=json_rows,
    )
    assert client.get("/api/v1/progress", {"limit": 100}, **headers).json()["count"] == 100
