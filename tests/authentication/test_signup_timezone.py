"""The time zone at sign-up: the page's hidden field (filled by static/js/timezone.js from the
browser), an app's `timezone` through allauth headless, the site's default without either, and the
profile's one-click offer of the device's zone."""

import pytest
from django.conf import settings

from authentication.models import User
from tests.authentication.factories import StudentFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def page_signup(client, email, **extra):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post("/auth/register/", data)


def headless_signup(client, email, **extra):
    return client.post(
        "/_allauth/app/v1/auth/signup",
        {"email": email, "password": PASSWORD, **extra},
        content_type="application/json",
    )


def test_the_sign_up_page_carries_a_hidden_zone_field_and_the_script_that_fills_it(client):
    html = client.get("/auth/register/").content.decode()
    assert 'type="hidden" name="timezone"' in html and "data-browser-timezone" in html
    assert "/static/js/timezone.js" in html


def test_a_sign_up_from_mexico_city_stores_that_zone(client):
    assert page_signup(client, "mx@example.com", timezone="America/Mexico_City").status_code == 302
    assert User.objects.get(email="mx@example.com").timezone == "America/Mexico_City"


def test_a_sign_up_without_a_zone_gets_the_sites_default(client):
    assert page_signup(client, "nojs@example.com").status_code == 302
    assert User.objects.get(email="nojs@example.com").timezone == settings.TIME_ZONE


@pytest.mark.parametrize("bad", ["Mars/Olympus_Mons", "../etc/passwd", "x" * 65])
def test_an_unknown_zone_is_refused_on_the_page(client, bad):
    response = page_signup(client, "bad@example.com", timezone=bad)
    assert response.status_code == 200
    assert "timezone" in response.context["form"].errors
    assert not User.objects.filter(email="bad@example.com").exists()


def test_an_app_sends_its_zone_with_a_headless_sign_up(client):
    response = headless_signup(client, "app@example.com", timezone="Asia/Tokyo")
    assert response.status_code == 401  # waiting for the email to be confirmed: the account exists
    assert User.objects.get(email="app@example.com").timezone == "Asia/Tokyo"


def test_an_app_sending_an_unknown_zone_gets_a_400_naming_it(client):
    response = headless_signup(client, "app.bad@example.com", timezone="Nowhere/Land")
    assert response.status_code == 400
    assert [e["param"] for e in response.json()["errors"]] == ["timezone"]
    assert not User.objects.filter(email="app.bad@example.com").exists()


def test_the_profile_offers_the_devices_zone_and_takes_it_in_one_click(client):
    person = StudentFactory(timezone="UTC")
    client.force_login(person)
    html = client.get("/auth/profile/").content.decode()
    assert 'data-timezone-offer data-current="UTC"' in html  # shown by the script when it differs
    done = client.post("/auth/profile/timezone/", {"timezone": "America/Mexico_City"}, follow=True)
    assert [str(m) for m in done.context["messages"]] == [
        "Times are now shown in America/Mexico_City."
    ]
    person.refresh_from_db()
    assert person.timezone == "America/Mexico_City"
    refused = client.post("/auth/profile/timezone/", {"timezone": "Nowhere/Land"}, follow=True)
    assert "is not a known IANA time zone" in str(list(refused.context["messages"])[0])
    person.refresh_from_db()
    assert person.timezone == "America/Mexico_City"
    assert client.get("/auth/profile/timezone/").status_code == 405
