"""Links that leave the page (email, the calendar feed and what is in it) use the address the person
reached the site at, not SITE_URL's default or a hard-coded 127.0.0.1:8000; SITE_URL only where there
is no request (a task of the worker). Each kind of link is followed from a request made on a host and
port that are neither: `PORT=8001 make run`, or a site behind another name.

One helper makes them all: cplatform.api_http.absolute_url."""

import re

import pytest
from django.core import mail
from icalendar import Calendar

from authentication.models import GuardianLink
from authentication.services import _guardian_invite_email, guardian_invite
from cplatform.api_http import absolute_url
from tests.authentication.factories import PASSWORD, ParentFactory, StudentFactory
from tests.authentication.helpers import outbox_to
from tests.booking.factories import days_ahead, student
from tests.calendar.factories import private_lesson
from tests.classroom.factories import listed_teacher

pytestmark = pytest.mark.django_db

HOST = "school.example:8042"
ORIGIN = f"http://{HOST}"
ON_HOST = {"HTTP_HOST": HOST}
LINK = re.compile(r"(?:https?|webcal)://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def configured_elsewhere(settings):
    """SITE_URL points somewhere else, so a link built from it cannot pass for the request's."""
    settings.SITE_URL = "https://configured.example"
    settings.ALLOWED_HOSTS = ["*"]


def links(text: str) -> list[str]:
    return LINK.findall(text)


def assert_on_host(text: str, expected: int = 1) -> None:
    found = links(text)
    assert len(found) >= expected, text
    assert all(url.split("://", 1)[1].startswith(HOST + "/") for url in found), found


def test_the_sign_up_confirmation_email_links_to_the_host_signed_up_at(client):
    client.post(
        "/auth/register/",
        {
            "email": "new@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
        **ON_HOST,
    )

    (message,) = outbox_to("new@example.com")
    assert_on_host(message.body)
    assert f"{ORIGIN}/auth/confirm-email/" in message.body
    # The words name the same address ("… register an account on school.example:8042").
    assert f"account on {HOST}." in message.body
    assert "configured.example" not in message.body and "127.0.0.1" not in message.body


def test_an_apps_sign_up_confirmation_email_links_to_the_host_the_app_called(client):
    client.post(
        "/_allauth/app/v1/auth/signup",
        {"email": "app@example.com", "password": "a-long-pass-phrase"},
        content_type="application/json",
        **ON_HOST,
    )

    (message,) = outbox_to("app@example.com")
    assert f"{ORIGIN}/auth/confirm-email/" in message.body
    assert_on_host(message.body)


@pytest.mark.parametrize(
    ("path", "data", "json"),
    [
        ("/auth/password/reset/", {"email": "forgetful@example.com"}, False),
        ("/_allauth/app/v1/auth/password/request", {"email": "forgetful@example.com"}, True),
        ("/_allauth/browser/v1/auth/password/request", {"email": "forgetful@example.com"}, True),
    ],
    ids=["page", "app", "browser"],
)
def test_the_password_reset_email_links_to_the_host_it_was_asked_at(client, path, data, json):
    StudentFactory(email="forgetful@example.com")
    extra = {"content_type": "application/json"} if json else {}

    client.post(path, data, **extra, **ON_HOST)

    (message,) = outbox_to("forgetful@example.com")
    assert f"{ORIGIN}/auth/password/reset/key/" in message.body
    assert_on_host(message.body)


# The invitation leaves on commit, inside the request as in production: a real transaction.
@pytest.mark.django_db(transaction=True)
def test_a_guardian_invitation_from_the_page_links_to_the_host_it_was_sent_from(client):
    parent = ParentFactory()
    client.force_login(parent)

    client.post("/auth/guardians/", {"email": "kid@example.com"}, **ON_HOST)

    (message,) = outbox_to("kid@example.com")
    assert f"{ORIGIN}/auth/guardians/" in message.body
    assert_on_host(message.body)


# The invitation leaves on commit, inside the request as in production: a real transaction.
@pytest.mark.django_db(transaction=True)
def test_a_guardian_invitation_through_the_api_links_to_the_host_the_app_called(client):
    parent = ParentFactory()
    token = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": parent.email, "password": PASSWORD},
        content_type="application/json",
    ).json()["meta"]["session_token"]

    response = client.post(
        "/api/v1/guardians",
        {"email": "kid@example.com", "invite_as": "child"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
        **ON_HOST,
    )

    assert response.status_code == 201, response.content
    (message,) = outbox_to("kid@example.com")
    assert f"{ORIGIN}/auth/guardians/" in message.body


def test_an_email_sent_outside_a_request_uses_site_url():
    """The worker (a scheduled task, a retry) has no request: the configured address."""
    parent = ParentFactory()
    guardian_invite(actor=parent, email="kid@example.com", as_role="child")
    mail.outbox.clear()
    link = GuardianLink.objects.get(guardian=parent)

    _guardian_invite_email(link_id=link.pk)

    (message,) = outbox_to("kid@example.com")
    assert "https://configured.example/auth/guardians/" in message.body


def test_the_calendar_feed_page_shows_the_feed_address_on_the_host(client):
    learner = StudentFactory()
    client.force_login(learner)

    client.post("/lessons/calendar/", {"action": "create"}, **ON_HOST)
    page = client.get("/lessons/calendar/", **ON_HOST).content.decode()

    assert f"{ORIGIN}/calendar/" in page
    assert f"webcal://{HOST}/calendar/" in page
    assert "configured.example" not in page and "127.0.0.1:8000" not in page


def test_the_lesson_links_inside_the_calendar_feed_use_the_host_it_was_fetched_at(client):
    learner = student()
    lesson = private_lesson(teacher=listed_teacher(), student=learner, start=days_ahead(2))
    client.force_login(learner)
    client.post("/lessons/calendar/", {"action": "create"}, **ON_HOST)
    page = client.get("/lessons/calendar/", **ON_HOST).content.decode()
    feed_path = re.search(r"/calendar/[A-Za-z0-9_-]{16,64}\.ics", page).group(0)
    client.logout()

    feed = Calendar.from_ical(client.get(feed_path, **ON_HOST).content)

    (event,) = feed.walk("VEVENT")
    assert f"{ORIGIN}/lessons/{lesson.pk}/" in str(event["description"])
    assert str(event["url"]) == f"{ORIGIN}/lessons/{lesson.pk}/"
    # The UID is an identifier, not a link: it stays on the configured address.
    assert str(event["uid"]).endswith("@configured.example")


def test_the_request_is_forgotten_when_its_answer_is_sent(client):
    client.get("/", **ON_HOST)

    assert absolute_url("/x/") == "https://configured.example/x/"
