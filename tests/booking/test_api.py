"""The scheduling API over HTTP: availability, slots, booking, lessons, cancel, reschedule, series."""

from datetime import datetime, timedelta

import pytest

from authentication.choices import Role
from authentication.services import guardian_accept, guardian_invite
from classroom.models import Lesson
from classroom.scheduling.services import lesson_book
from tests.authentication.factories import PASSWORD, UserFactory
from tests.booking.factories import bookable_teacher, days_ahead, student, weeks_later
from tests.conftest import login_token
from tests.query_budget import assert_constant_queries, html_rows, json_rows

pytestmark = pytest.mark.django_db


def auth(client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email, PASSWORD)}


def post(client, path, data, headers):
    return client.post(path, data, content_type="application/json", **headers)


def test_teacher_replaces_and_reads_their_availability(client):
    teacher = bookable_teacher(tz="America/New_York")
    headers = auth(client, teacher.user)
    body = {
        "rules": [
            {"weekday": 0, "start_time": "17:00", "end_time": "20:00"},
            {"weekday": 2, "start_time": "09:00", "end_time": "12:00"},
        ],
        "settings": {"lesson_lengths": [30, 60], "buffer_minutes": 10, "horizon_days": 30},
    }
    response = client.put("/api/v1/availability", body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    got = client.get("/api/v1/availability", **headers).json()
    assert got["timezone"] == "America/New_York"
    assert [(r["weekday"], r["start_time"]) for r in got["rules"]] == [
        (0, "17:00:00"),
        (2, "09:00:00"),
    ]
    assert got["settings"]["lesson_lengths"] == [30, 60]
    assert got["settings"]["buffer_minutes"] == 10


def test_overlapping_rules_and_backwards_windows_are_refused(client):
    teacher = bookable_teacher()
    headers = auth(client, teacher.user)
    body = {
        "rules": [
            {"weekday": 0, "start_time": "17:00", "end_time": "20:00"},
            {"weekday": 0, "start_time": "19:00", "end_time": "21:00"},
            {"weekday": 1, "start_time": "12:00", "end_time": "11:00"},
        ],
        "settings": {"lesson_lengths": [60]},
    }
    response = client.put("/api/v1/availability", body, content_type="application/json", **headers)
    assert response.status_code == 422
    assert len(response.json()["errors"]["rules"]) == 2


def test_time_off_is_added_and_only_its_teacher_deletes_it(client):
    teacher = bookable_teacher()
    headers = auth(client, teacher.user)
    response = post(
        client,
        "/api/v1/availability/time-off",
        {"start": days_ahead(3).isoformat(), "end": days_ahead(4).isoformat(), "reason": "Trip"},
        headers,
    )
    assert response.status_code == 201, response.content
    time_off_id = response.json()["id"]
    url = f"/api/v1/availability/time-off/{time_off_id}"
    assert response["Location"] == f"http://testserver{url}"
    assert client.get(url, **headers).json() == response.json()
    other = auth(client, bookable_teacher().user)
    assert client.get(url, **other).status_code == 404
    assert client.delete(url, **other).status_code == 404
    assert client.delete(url, **headers).status_code == 204
    assert client.get(url, **headers).status_code == 404


def test_anonymous_visitors_see_slots_in_utc_or_the_zone_they_name(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    start = days_ahead(3, hour=0)
    params = {
        "teacher_id": teacher.pk,
        "from": start.isoformat(),
        "to": (start + timedelta(hours=5)).isoformat(),
    }
    utc = client.get("/api/v1/slots", params).json()
    tokyo = client.get("/api/v1/slots", {**params, "tz": "Asia/Tokyo"}).json()
    assert utc["timezone"] == "UTC"
    assert tokyo["timezone"] == "Asia/Tokyo"
    assert tokyo["slots"][0]["start"].endswith("+09:00")
    assert [datetime.fromisoformat(s["start"]) for s in utc["slots"]] == [
        datetime.fromisoformat(s["start"]) for s in tokyo["slots"]
    ]
    assert client.get("/api/v1/slots", {**params, "tz": "Mars/Olympus"}).status_code == 422


def test_slots_of_an_unlisted_teacher_answer_404(client):
    teacher = bookable_teacher()
    teacher.is_public = False
    teacher.save()
    assert client.get("/api/v1/slots", {"teacher_id": teacher.pk}).status_code == 404


def test_slots_take_the_same_queries_for_a_busy_teacher(client):
    teacher = bookable_teacher(lesson_lengths=[30])
    start = days_ahead(1, hour=0)
    params = {
        "teacher_id": teacher.pk,
        "from": start.isoformat(),
        "to": (start + timedelta(days=14)).isoformat(),
        "length": 30,
    }

    def grow():
        for n in range(50):
            lesson_book(
                actor=(s := student()),
                teacher=teacher,
                student=s,
                start=days_ahead(1 + n % 13, hour=4 + n // 13 * 3),
                length=30,
            )

    assert_constant_queries(
        lambda: client.get("/api/v1/slots", params),
        grow=grow,
        budget=8,
        rows=lambda response: -len(response.json()["slots"]),  # booked slots are no longer free
    )


def test_student_books_a_slot_and_a_second_booking_of_it_is_a_409(client):
    teacher = bookable_teacher()
    start = days_ahead(3)
    payload = {"teacher_id": teacher.pk, "start": start.isoformat(), "length": 60}
    first = post(client, "/api/v1/lessons", payload, auth(client, student()))
    assert first.status_code == 201, first.content
    # The teacher's lessons have a price: the booking waits for payment (held), and blocks the slot.
    assert first.json()["status"] == "held" and first.json()["payment_due"] is True
    assert datetime.fromisoformat(first.json()["start"]) == start
    second = post(client, "/api/v1/lessons", payload, auth(client, student()))
    assert second.status_code == 409
    assert set(second.json()) == {"detail", "errors", "code", "error_codes"}
    assert second.json()["code"] == "slot_taken"


def test_a_naive_start_is_read_in_the_callers_zone(client):
    teacher = bookable_teacher()
    learner = student(tz="Asia/Tokyo")
    start = days_ahead(3, hour=10, tz="Asia/Tokyo")
    naive = start.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    response = post(
        client,
        "/api/v1/lessons",
        {"teacher_id": teacher.pk, "start": naive.isoformat(), "length": 60},
        auth(client, learner),
    )
    assert response.status_code == 201, response.content
    assert Lesson.objects.get(pk=response.json()["id"]).start == start


def test_a_parent_books_for_their_child_who_then_sees_the_lesson(client):
    parent = UserFactory(roles=[Role.PARENT])
    child = student()
    guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )
    teacher = bookable_teacher()
    response = post(
        client,
        "/api/v1/lessons",
        {"teacher_id": teacher.pk, "start": days_ahead(3).isoformat(), "student_id": child.pk},
        auth(client, parent),
    )
    assert response.status_code == 201, response.content
    lesson_id = response.json()["id"]
    assert client.get(f"/api/v1/lessons/{lesson_id}", **auth(client, child)).status_code == 200
    assert client.get(f"/api/v1/lessons/{lesson_id}", **auth(client, student())).status_code == 404
    listed = client.get("/api/v1/lessons", {"when": "upcoming"}, **auth(client, parent)).json()
    assert [item["id"] for item in listed["items"]] == [lesson_id]


def test_lessons_split_into_upcoming_and_past(client):
    teacher = bookable_teacher()
    learner = student()
    lesson = lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(2), length=60
    )
    Lesson.objects.filter(pk=lesson.pk).update(
        start=lesson.start - timedelta(days=10), end=lesson.end - timedelta(days=10)
    )
    upcoming_one = lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(3), length=60
    )
    headers = auth(client, teacher.user)
    upcoming = client.get("/api/v1/lessons", {"when": "upcoming"}, **headers).json()["items"]
    past = client.get("/api/v1/lessons", {"when": "past"}, **headers).json()["items"]
    assert [i["id"] for i in upcoming] == [upcoming_one.pk]
    assert [i["id"] for i in past] == [lesson.pk]


def test_cancel_and_reschedule_through_the_api(client):
    teacher = bookable_teacher()
    learner = student()
    lesson = lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(3), length=60
    )
    headers = auth(client, learner)
    moved = post(
        client,
        f"/api/v1/lessons/{lesson.pk}/reschedule",
        {"start": days_ahead(4).isoformat()},
        headers,
    )
    assert moved.status_code == 200, moved.content
    assert datetime.fromisoformat(moved.json()["start"]) == days_ahead(4)
    cancelled = post(client, f"/api/v1/lessons/{lesson.pk}/cancel", {"reason": "Ill"}, headers)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["billing_outcome"] == "refund"
    again = post(client, f"/api/v1/lessons/{lesson.pk}/cancel", {}, headers)
    assert again.status_code == 409


def test_a_series_conflict_answers_409_with_the_dates(client):
    teacher = bookable_teacher()
    first = days_ahead(3)
    lesson_book(
        actor=(s := student()),
        teacher=teacher,
        student=s,
        start=weeks_later(first, 2),
        length=60,
    )
    headers = auth(client, student())
    payload = {"teacher_id": teacher.pk, "start": first.isoformat(), "length": 60, "count": 4}
    response = post(client, "/api/v1/series", payload, headers)
    assert response.status_code == 409
    assert len(response.json()["errors"]["dates"]) == 1
    payload["count"] = 2
    ok = post(client, "/api/v1/series", payload, headers)
    assert ok.status_code == 201, ok.content
    series = client.get(f"/api/v1/series/{ok.json()['id']}", **headers).json()
    assert len(series["lessons"]) == 2


def test_the_lesson_list_and_page_take_the_same_queries_for_few_and_many_lessons(client):
    teacher = bookable_teacher(lesson_lengths=[30])
    headers = auth(client, teacher.user)
    made = iter(range(1000))

    def add_lessons(count: int):
        for _ in range(count):
            n = next(made)
            learner = student()
            lesson_book(
                actor=learner,
                teacher=teacher,
                student=learner,
                start=days_ahead(1 + n % 20, hour=4 + n // 20),
                length=30,
            )

    add_lessons(3)
    assert_constant_queries(
        lambda: client.get("/api/v1/lessons", {"limit": 100}, **headers),
        grow=lambda: add_lessons(30),
        budget=10,
        rows=json_rows,
    )
    client.force_login(teacher.user)
    assert_constant_queries(
        lambda: client.get("/lessons/"),
        grow=lambda: add_lessons(30),
        budget=15,
        rows=html_rows('<li class="card lesson">'),
    )
