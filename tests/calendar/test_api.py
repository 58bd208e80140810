"""The calendar feed through the API: read, create, regenerate and revoke one's own feed URL."""

import pytest
from icalendar import Calendar

from classroom.calendar.ics import lesson_uid
from classroom.models import CalendarFeed
from tests.authentication.factories import PASSWORD
from tests.booking.factories import days_ahead, student
from tests.calendar.factories import private_lesson
from tests.classroom.factories import listed_teacher
from tests.conftest import login_token

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_student_creates_regenerates_and_revokes_their_feed_through_the_api(client, settings):
    # The feed's address is built on the host the app called (SITE_URL only without a request).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "school.example.com"]
    teacher = listed_teacher(timezone="Europe/Madrid")
    learner = student()
    lesson = private_lesson(teacher=teacher, student=learner, start=days_ahead(2))
    headers = {
        "HTTP_X_SESSION_TOKEN": login_token(client, learner.email, PASSWORD),
        "HTTP_HOST": "school.example.com",
        "secure": True,
    }

    none = client.get("/api/v1/calendar-feed", **headers)
    assert none.status_code == 200
    assert none.json() == {
        "url": None,
        "webcal_url": None,
        "created_at": None,
        "last_fetched_at": None,
    }

    created = client.post("/api/v1/calendar-feed", **headers)
    assert created.status_code == 201
    body = created.json()
    token = CalendarFeed.objects.get(user=learner).token
    assert body["url"] == f"https://school.example.com/calendar/{token}.ics"
    assert body["webcal_url"] == f"webcal://school.example.com/calendar/{token}.ics"
    assert client.get("/api/v1/calendar-feed", **headers).json()["url"] == body["url"]

    feed = client.get(path_of(body["url"]))
    assert feed.status_code == 200
    uids = [str(ev["UID"]) for ev in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert uids == [lesson_uid(lesson)]
    assert client.get("/api/v1/calendar-feed", **headers).json()["last_fetched_at"]

    regenerated = client.post("/api/v1/calendar-feed", **headers).json()
    assert regenerated["url"] != body["url"]
    assert client.get(path_of(body["url"])).status_code == 404
    assert client.get(path_of(regenerated["url"])).status_code == 200

    assert client.delete("/api/v1/calendar-feed", **headers).status_code == 204
    assert client.get(path_of(regenerated["url"])).status_code == 404
    assert client.get("/api/v1/calendar-feed", **headers).json()["url"] is None
    assert client.delete("/api/v1/calendar-feed", **headers).status_code == 204  # idempotent


def test_the_feed_api_needs_a_signed_in_person(client):
    assert client.get("/api/v1/calendar-feed").status_code == 401
    assert client.post("/api/v1/calendar-feed").status_code == 401
    response = client.delete("/api/v1/calendar-feed")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors", "code", "error_codes"}


def test_one_persons_feed_calls_never_touch_anothers(client):
    a, b = student(), student()
    headers_a = {"HTTP_X_SESSION_TOKEN": login_token(client, a.email, PASSWORD)}
    url_a = client.post("/api/v1/calendar-feed", **headers_a).json()["url"]
    headers_b = {"HTTP_X_SESSION_TOKEN": login_token(client, b.email, PASSWORD)}
    assert client.get("/api/v1/calendar-feed", **headers_b).json()["url"] is None
    client.post("/api/v1/calendar-feed", **headers_b)
    client.delete("/api/v1/calendar-feed", **headers_b)
    assert client.get(path_of(url_a)).status_code == 200
