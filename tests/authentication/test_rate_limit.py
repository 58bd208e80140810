"""The 6th wrong password for an email within the window answers 429 on every login door."""

import time

import pytest

from tests.authentication.factories import PASSWORD, AdminFactory, StudentFactory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def _form(field):
    def attempt(client, url, email, password):
        return client.post(url, {field: email, "password": password})

    return attempt


def _json(client, url, email, password):
    return client.post(url, {"email": email, "password": password}, content_type="application/json")


LOGIN_DOORS = {
    "site": ("/auth/login/", _form("login")),
    "site-es": ("/es/auth/login/", _form("login")),
    "headless-app": ("/_allauth/app/v1/auth/login", _json),
    "headless-browser": ("/_allauth/browser/v1/auth/login", _json),
    "wagtail-admin": ("/admin/login/", _form("username")),
    "django-admin": ("/django-admin/login/", _form("username")),
}


@pytest.fixture(params=sorted(LOGIN_DOORS))
def door(request):
    return LOGIN_DOORS[request.param]


def test_the_sixth_wrong_password_within_the_window_gets_429(client, door):
    url, attempt = door
    user = AdminFactory(email="target@example.com")
    for _ in range(5):
        response = attempt(client, url, user.email, WRONG)
        assert response.status_code != 429
        assert response.status_code < 500
    sixth = attempt(client, url, user.email, WRONG)
    assert sixth.status_code == 429
    assert int(sixth["Retry-After"]) > 0


def test_after_five_failures_even_the_right_password_is_refused_until_the_window_ends(client, door):
    url, attempt = door
    user = AdminFactory(email="target@example.com")
    for _ in range(5):
        attempt(client, url, user.email, WRONG)
    assert attempt(client, url, user.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_are_counted_per_email_whatever_its_case(client, door):
    url, attempt = door
    AdminFactory(email="target@example.com")
    for email in (
        "target@example.com",
        "TARGET@example.com",
        "Target@Example.com",
        "target@EXAMPLE.COM",
        " target@example.com",
    ):
        attempt(client, url, email, WRONG)
    assert attempt(client, url, "TaRgEt@example.com", WRONG).status_code == 429


def test_failures_on_one_door_block_the_other_doors(client):
    user = AdminFactory(email="target@example.com")
    for _ in range(5):
        _json(client, "/_allauth/app/v1/auth/login", user.email, WRONG)
    for url, attempt in LOGIN_DOORS.values():
        assert attempt(client, url, user.email, PASSWORD).status_code == 429, url


def test_another_email_is_not_blocked_by_someone_elses_failures(client):
    StudentFactory(email="target@example.com")
    other = StudentFactory(email="other@example.com")
    for _ in range(6):
        _json(client, "/_allauth/app/v1/auth/login", "target@example.com", WRONG)
    response = _json(client, "/_allauth/app/v1/auth/login", other.email, PASSWORD)
    assert response.status_code == 200


def test_unknown_emails_are_limited_too_so_the_answer_does_not_reveal_accounts(client):
    for _ in range(5):
        assert (
            _json(client, "/_allauth/app/v1/auth/login", "ghost@example.com", WRONG).status_code
            == 400
        )
    assert (
        _json(client, "/_allauth/app/v1/auth/login", "ghost@example.com", WRONG).status_code == 429
    )


def test_the_block_lifts_when_the_window_has_passed(client, settings):
    settings.LOGIN_FAILURE_WINDOW = 1
    user = StudentFactory(email="target@example.com")
    for _ in range(5):
        _json(client, "/_allauth/app/v1/auth/login", user.email, WRONG)
    assert _json(client, "/_allauth/app/v1/auth/login", user.email, PASSWORD).status_code == 429
    time.sleep(1.2)
    assert _json(client, "/_allauth/app/v1/auth/login", user.email, PASSWORD).status_code == 200


def test_one_address_failing_for_many_emails_is_stopped(client):
    # Spraying one password over many accounts from one address: blocked after 6 × 5 failures.
    for n in range(30):
        assert (
            _json(client, "/_allauth/app/v1/auth/login", f"spray{n}@example.com", WRONG).status_code
            == 400
        )
    assert (
        _json(client, "/_allauth/app/v1/auth/login", "fresh@example.com", WRONG).status_code == 429
    )


def test_the_headless_429_is_json_in_allauths_error_shape(client):
    for _ in range(5):
        _json(client, "/_allauth/app/v1/auth/login", "target@example.com", WRONG)
    response = _json(client, "/_allauth/app/v1/auth/login", "target@example.com", WRONG)
    assert response.status_code == 429
    body = response.json()
    assert body["status"] == 429
    assert body["errors"][0]["code"] == "too_many_login_attempts"


def test_successful_logins_do_not_count_as_failures(client):
    user = StudentFactory(email="fine@example.com")
    for _ in range(8):
        assert _json(client, "/_allauth/app/v1/auth/login", user.email, PASSWORD).status_code == 200
        client.logout()


def test_behind_a_trusted_proxy_each_client_address_is_counted_apart(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(30):
        _json(client, "/_allauth/app/v1/auth/login", f"spray{n}@example.com", WRONG)
    # Same proxy (REMOTE_ADDR), but X-Forwarded-For names another client: not blocked by the spray.
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": "fresh@example.com", "password": WRONG},
        content_type="application/json",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 400
