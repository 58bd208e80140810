"""A Spanish visitor who signs up or logs in from /es/ stays in Spanish: the page after sign-up, the
confirmation email and its link, the page after confirming and after logging in."""

import re
from urllib.parse import urlsplit

import pytest

from authentication.models import User
from tests.authentication.factories import PASSWORD, UserFactory
from tests.authentication.helpers import outbox_to

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"
LINK = re.compile(r"https?://[^\s]+")


def test_signing_up_from_a_spanish_page_continues_in_spanish_to_the_spanish_home(client):
    response = client.post(
        "/es/auth/register/",
        {
            "email": "lucia@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "role": "Student",
            "first_name": "Lucía",
        },
    )
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path.startswith("/es/"), response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'lang="es"' in page.content.decode()
    assert User.objects.get(email="lucia@example.com").language == "es"

    (email,) = outbox_to("lucia@example.com")
    links = [link for link in LINK.findall(email.body) if "/confirm-email/" in link]
    assert links, email.body
    confirm = urlsplit(links[0]).path
    assert confirm.startswith("/es/"), confirm  # the link opens the Spanish page
    assert "confirme" in email.subject, email.subject  # the email itself is in Spanish

    shown = client.get(confirm)
    assert shown.status_code == 200 and 'lang="es"' in shown.content.decode()
    confirmed = client.post(confirm)
    assert confirmed.status_code == 302
    assert urlsplit(confirmed["Location"]).path.startswith("/es/"), confirmed["Location"]


def test_logging_in_from_a_spanish_page_lands_on_the_spanish_home_of_the_role():
    """Someone who signed up in Spanish (their language is Spanish) lands on /es/ after logging in,
    and the login link of a Spanish page returns them to the Spanish page they were on."""
    from django.test import Client

    spanish = UserFactory(roles=["Student"], language="es")
    client = Client()
    page = client.get("/es/teachers/").content.decode()
    login = re.search(r'href="(/es/auth/login/\?next=[^"]+)"', page)
    assert login, "the Spanish header's login link stays in Spanish"
    response = client.post(
        login.group(1).replace("&amp;", "&"), {"login": spanish.email, "password": PASSWORD}
    )
    assert response["Location"] == "/es/teachers/"
    client.logout()
    response = client.post("/es/auth/login/", {"login": spanish.email, "password": PASSWORD})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path.startswith("/es/"), response["Location"]
