"""The teaching API over HTTP, for each role: sessions, seats, attendance, lesson notes, materials."""

from datetime import timedelta

import pytest
from django.utils import timezone

from classroom.models import Attendance, Lesson, LessonSeat
from tests.authentication.factories import PASSWORD, StudentFactory
from tests.booking.factories import days_ahead
from tests.conftest import login_token
from tests.courses.factories import EnrollmentFactory, MaterialFactory
from tests.query_budget import assert_constant_queries, json_rows
from tests.teaching.factories import group_course, session, started_lesson

pytestmark = pytest.mark.django_db


def auth(client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email, PASSWORD)}


def send(client, method, path, data, headers):
    return getattr(client, method)(path, data, content_type="application/json", **headers)


def test_a_teacher_creates_a_session_and_enrolled_students_get_seats(client, people):
    course = group_course(teacher=people.teacher, students=[people.student_a], capacity=8)
    headers = auth(client, people.teacher)
    response = send(
        client,
        "post",
        f"/api/v1/courses/{course.pk}/sessions",
        {
            "start": days_ahead(6, hour=18).isoformat(),
            "length": 90,
            "title": "Week 1",
            "capacity": 5,
            "video_call_url": "https://meet.example/w1",
        },
        headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "group"
    assert body["student"] is None
    assert (body["course"]["course_id"], body["course"]["title"], body["course"]["slug"]) == (
        course.pk,
        course.title,
        course.slug,
    )
    assert (body["title"], body["capacity"], body["seats_taken"]) == ("Week 1", 5, 1)
    assert [s["student"]["student_id"] for s in body["seats"]] == [people.student_a.pk]
    assert body["video_call_url"] == "https://meet.example/w1"
    # The same time again: the teacher is busy.
    again = send(
        client,
        "post",
        f"/api/v1/courses/{course.pk}/sessions",
        {"start": days_ahead(6, hour=18).isoformat(), "length": 30},
        headers,
    )
    assert again.status_code == 409
    assert set(again.json()) == {"detail", "errors", "code", "error_codes"}
    assert again.json()["code"] == "slot_taken"


def test_bad_session_input_answers_field_errors(client, people):
    course = group_course(teacher=people.teacher)
    response = send(
        client,
        "post",
        f"/api/v1/courses/{course.pk}/sessions",
        {
            "start": (timezone.now() - timedelta(days=1)).isoformat(),
            "length": 10,
            "video_call_url": "http://insecure.example",
        },
        auth(client, people.teacher),
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"start", "length", "video_call_url"}
    assert not Lesson.objects.exists()


def test_sessions_are_listed_for_the_course_people_only(client, people):
    course = group_course(teacher=people.teacher, students=[people.student_a])
    session(course=course, day=5)
    session(course=course, day=6)
    for user, status in (
        (people.teacher, 200),
        (people.student_a, 200),
        (people.parent_of_a, 200),
        (people.admin, 200),
        (people.student_b, 404),
        (people.other_teacher, 404),
    ):
        response = client.get(f"/api/v1/courses/{course.pk}/sessions", **auth(client, user))
        assert response.status_code == status, (user, response.content)
        if status == 200:
            assert response.json()["count"] == 2


def test_a_student_takes_and_gives_up_a_seat_and_a_parent_does_it_for_the_child(client, people):
    course = group_course(teacher=people.teacher, capacity=1)
    lesson = session(course=course)
    EnrollmentFactory(course=course, student=people.student_a)
    EnrollmentFactory(course=course, student=people.student_b)
    student = auth(client, people.student_a)
    # Enrolled without a seat: the session is visible, so the seat can be taken.
    assert client.get(f"/api/v1/lessons/{lesson.pk}", **student).status_code == 200
    taken = send(client, "post", f"/api/v1/lessons/{lesson.pk}/seat", {}, student)
    assert taken.status_code == 201, taken.content
    assert taken.json()["seats_taken"] == 1
    assert [s["student"]["student_id"] for s in taken.json()["seats"]] == [people.student_a.pk]
    full = send(
        client, "post", f"/api/v1/lessons/{lesson.pk}/seat", {}, auth(client, people.student_b)
    )
    assert full.status_code == 409
    assert client.delete(f"/api/v1/lessons/{lesson.pk}/seat", **student).status_code == 204
    parent = auth(client, people.parent_of_a)
    assert client.delete(f"/api/v1/lessons/{lesson.pk}/seat", **parent).status_code == 422
    response = send(
        client,
        "post",
        f"/api/v1/lessons/{lesson.pk}/seat",
        {"student_id": people.student_a.pk},
        parent,
    )
    assert response.status_code == 201
    assert LessonSeat.objects.get(lesson=lesson, cancelled_at=None).booked_by == people.parent_of_a
    response = client.delete(
        f"/api/v1/lessons/{lesson.pk}/seat?student_id={people.student_a.pk}", **parent
    )
    assert response.status_code == 204
    # Someone else's child: 404, like a missing session.
    stranger = send(
        client,
        "post",
        f"/api/v1/lessons/{lesson.pk}/seat",
        {"student_id": people.student_b.pk},
        parent,
    )
    assert stranger.status_code == 404


def test_a_student_not_enrolled_cannot_see_or_take_a_seat(client, people):
    lesson = session(course=group_course(teacher=people.teacher))
    headers = auth(client, people.student_b)
    assert client.get(f"/api/v1/lessons/{lesson.pk}", **headers).status_code == 404
    response = send(client, "post", f"/api/v1/lessons/{lesson.pk}/seat", {}, headers)
    assert response.status_code == 404
    assert (
        response.json()
        == send(client, "post", "/api/v1/lessons/987654321/seat", {}, headers).json()
    )


def test_the_teacher_records_attendance_and_the_student_and_parent_see_their_own(client, people):
    course = group_course(teacher=people.teacher)
    lesson = started_lesson(teacher=people.teacher, course=course)
    LessonSeat.objects.create(lesson=lesson, student=people.student_a)
    LessonSeat.objects.create(lesson=lesson, student=people.student_b)
    marks = [
        {"student_id": people.student_a.pk, "status": "present", "note": "Great"},
        {"student_id": people.student_b.pk, "status": "excused", "note": "Ill"},
    ]
    path = f"/api/v1/lessons/{lesson.pk}/attendance"
    assert send(client, "put", path, marks, auth(client, people.student_a)).status_code == 403
    response = send(client, "put", path, marks, auth(client, people.teacher))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "completed"
    assert {(a["student"]["student_id"], a["status"]) for a in body["attendance"]} == {
        (people.student_a.pk, "present"),
        (people.student_b.pk, "excused"),
    }
    for viewer in (people.student_a, people.parent_of_a):
        seen = client.get(f"/api/v1/lessons/{lesson.pk}", **auth(client, viewer)).json()
        assert [(a["student"]["student_id"], a["note"]) for a in seen["attendance"]] == [
            (people.student_a.pk, "Great")
        ]
        assert [s["student"]["student_id"] for s in seen["seats"]] == [people.student_a.pk]
        assert seen["seats_taken"] == 2
    assert Attendance.objects.count() == 2


def test_attendance_input_is_checked(client, people):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    path = f"/api/v1/lessons/{lesson.pk}/attendance"
    headers = auth(client, people.teacher)
    wrong_status = [{"student_id": people.student_a.pk, "status": "asleep"}]
    assert send(client, "put", path, wrong_status, headers).status_code == 422
    stranger = [{"student_id": people.student_b.pk, "status": "present"}]
    response = send(client, "put", path, stranger, headers)
    assert response.status_code == 422
    assert "marks" in response.json()["errors"]
    assert send(client, "put", path, [], headers).status_code == 422
    upcoming = session(course=group_course(teacher=people.teacher, students=[people.student_a]))
    early = send(
        client,
        "put",
        f"/api/v1/lessons/{upcoming.pk}/attendance",
        [{"student_id": people.student_a.pk, "status": "present"}],
        headers,
    )
    assert early.status_code == 409
    absent = [{"student_id": people.student_a.pk, "status": "absent"}]
    assert send(client, "put", path, absent, headers).json()["status"] == "no_show"


def test_the_teacher_writes_notes_and_the_student_and_parent_read_them(client, people):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    patch = {
        "notes": "We did fractions.",
        "homework": "Exercises 1-5",
        "homework_due": days_ahead(3).isoformat(),
        "video_call_url": "https://meet.example/xyz",
    }
    path = f"/api/v1/lessons/{lesson.pk}"
    assert send(client, "patch", path, patch, auth(client, people.student_a)).status_code == 403
    assert send(client, "patch", path, patch, auth(client, people.student_b)).status_code == 404
    response = send(client, "patch", path, patch, auth(client, people.teacher))
    assert response.status_code == 200, response.content
    for viewer in (people.student_a, people.parent_of_a):
        body = client.get(path, **auth(client, viewer)).json()
        assert body["notes"] == "We did fractions."
        assert body["homework"] == "Exercises 1-5"
        assert body["homework_due"] is not None
        assert body["video_call_url"] == "https://meet.example/xyz"
    bad = send(
        client, "patch", path, {"video_call_url": "ftp://x.example"}, auth(client, people.teacher)
    )
    assert bad.status_code == 422
    assert "video_call_url" in bad.json()["errors"]


def test_materials_are_shared_in_a_lesson_and_participants_download_them(client, people):
    course = group_course(teacher=people.teacher, students=[people.student_a])
    lesson = session(course=course)
    material = MaterialFactory(course=course, title="Worksheet")
    headers = auth(client, people.teacher)
    response = send(
        client,
        "post",
        f"/api/v1/lessons/{lesson.pk}/materials",
        {"material_id": material.pk},
        headers,
    )
    assert response.status_code == 200, response.content
    assert [m["title"] for m in response.json()["materials"]] == ["Worksheet"]
    student = auth(client, people.student_a)
    seen = client.get(f"/api/v1/lessons/{lesson.pk}", **student).json()
    download = seen["materials"][0]["download_url"]
    assert client.get(download, **student).status_code == 200
    assert client.get(download, **auth(client, people.student_b)).status_code == 404
    missing = send(
        client,
        "post",
        f"/api/v1/lessons/{lesson.pk}/materials",
        {"material_id": 987654321},
        headers,
    )
    assert missing.status_code == 422
    path = f"/api/v1/lessons/{lesson.pk}/materials/{material.pk}"
    assert client.delete(path, **student).status_code == 403
    assert client.delete(path, **headers).status_code == 204
    assert client.delete(path, **headers).status_code == 404


def test_a_1_to_1_booking_can_name_the_course(client, people):
    from courses.choices import CourseFormat
    from tests.booking.factories import bookable_teacher
    from tests.courses.factories import CourseFactory

    teacher = bookable_teacher()
    tutoring = CourseFactory(owner=teacher.user, format=CourseFormat.ONE_TO_ONE, capacity=None)
    body = {
        "teacher_id": teacher.pk,
        "start": days_ahead(4, hour=16).isoformat(),
        "length": 60,
        "course_id": tutoring.pk,
    }
    headers = auth(client, people.student_a)
    refused = send(client, "post", "/api/v1/lessons", body, headers)
    assert refused.status_code == 422
    assert "course_id" in refused.json()["errors"]
    EnrollmentFactory(course=tutoring, student=people.student_a)
    booked = send(client, "post", "/api/v1/lessons", body, headers)
    assert booked.status_code == 201, booked.content
    assert booked.json()["course"]["course_id"] == tutoring.pk
    assert booked.json()["kind"] == "private"


def test_a_student_cannot_cancel_a_group_session(client, people):
    course = group_course(teacher=people.teacher, students=[people.student_a])
    lesson = session(course=course)
    path = f"/api/v1/lessons/{lesson.pk}/cancel"
    assert send(client, "post", path, {}, auth(client, people.student_a)).status_code == 403
    response = send(client, "post", path, {}, auth(client, people.teacher))
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_the_lesson_list_with_group_sessions_runs_a_constant_number_of_queries(client, people):
    """5 lessons, then 50 (1:1 and group sessions with seats, attendance and materials)."""
    teacher = people.teacher
    course = group_course(teacher=teacher)
    material = MaterialFactory(course=course)
    counter = {"day": 2}

    def add(n):
        for _ in range(n):
            counter["day"] += 1
            extra = StudentFactory()
            EnrollmentFactory(course=course, student=extra)
            lesson = session(course=course, day=counter["day"], hour=8)
            LessonSeat.objects.get_or_create(lesson=lesson, student=people.student_a)
            lesson.materials.add(material)
            past = started_lesson(
                teacher=teacher, student=people.student_a, minutes_ago=60 * 24 * counter["day"]
            )
            Attendance.objects.create(lesson=past, student=people.student_a, status="present")

    EnrollmentFactory(course=course, student=people.student_a)
    add(3)
    for viewer in (teacher, people.student_a, people.parent_of_a):
        headers = auth(client, viewer)
        count = assert_constant_queries(
            lambda headers=headers: client.get("/api/v1/lessons?limit=100", **headers),
            grow=lambda: add(22),
            budget=14,
            rows=json_rows,
        )
        assert count <= 14
    response = client.get("/api/v1/lessons?limit=100", **auth(client, people.parent_of_a))
    assert response.json()["count"] >= 50
