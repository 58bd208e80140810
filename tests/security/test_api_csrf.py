"""Finding 10 of issue 8: anonymous API writes answered "403 CSRF check Failed" where the schema
documents 401. No credentials → 401; a logged-in session cookie still needs its CSRF token (403);
a session token header needs none. Django's test client skips CSRF unless told: every client here
enforces it."""

import pytest
from django.conf import settings
from django.test import Client

from authentication.choices import Role
from tests.authentication.factories import UserFactory
from tests.conftest import login_token

from .endpoints import api_operations, concrete


def browser() -> Client:
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def documents_401(operation: dict) -> bool:
    return "401" in {str(code) for code in operation["responses"]}


def authenticated_writes() -> list[tuple[str, str]]:
    """Every write operation that documents 401 (they all need someone logged in)."""
    found = [(m, p) for m, p, op in api_operations() if documents_401(op)]
    assert len(found) > 20
    return found


def send(client: Client, method: str, path: str, **headers):
    return client.generic(method, concrete(path), "{}", content_type="application/json", **headers)


def test_every_write_operation_needs_a_login():
    """The schema promises 401 on every write: a new public write operation is a decision to make."""
    unauthenticated = [(m, p) for m, p, op in api_operations() if not documents_401(op)]
    assert unauthenticated == []


@pytest.mark.django_db
def test_every_write_operation_answers_401_without_credentials_even_when_csrf_is_enforced():
    wrong = {}
    for method, path in authenticated_writes():
        response = send(browser(), method, path)
        if response.status_code != 401 or response.json() != {
            "detail": "Authentication required.",
            "errors": {},
            "error_codes": {},
            "code": "not_authenticated",
        }:
            wrong[f"{method} {path}"] = (response.status_code, response.content[:80])
    assert wrong == {}


@pytest.mark.django_db
def test_an_anonymous_session_cookie_is_no_credential_either():
    client = browser()
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    client.get("/_allauth/browser/v1/auth/session")  # an anonymous visitor with a CSRF cookie
    wrong = {}
    for method, path in authenticated_writes():
        response = send(client, method, path)
        if response.status_code != 401:
            wrong[f"{method} {path}"] = response.status_code
    assert wrong == {}


@pytest.mark.django_db
def test_a_logged_in_session_cookie_without_the_csrf_token_is_refused_on_every_write():
    user = UserFactory(is_staff=True, is_superuser=True, roles=list(Role))
    client = browser()
    client.force_login(user)
    wrong = {}
    for method, path in authenticated_writes():
        response = send(client, method, path)
        if response.status_code != 403 or response.json()["detail"] != "CSRF check Failed":
            wrong[f"{method} {path}"] = response.status_code
    assert wrong == {}


@pytest.mark.django_db
def test_a_logged_in_session_cookie_with_the_csrf_token_is_accepted():
    user = UserFactory(roles=[Role.STUDENT])
    client = browser()
    client.force_login(user)
    client.get("/_allauth/browser/v1/auth/session")
    csrf = client.cookies["csrftoken"].value
    response = client.patch(
        "/api/v1/me",
        {"display_name": "Sofía"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_session_token_needs_no_csrf_token_even_beside_a_logged_in_cookie():
    user = UserFactory(roles=[Role.STUDENT])
    token = login_token(Client(), user.email)
    header_only = browser().patch(
        "/api/v1/me", {"display_name": "App"}, content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )  # fmt: skip
    assert header_only.status_code == 200
    with_cookie = browser()
    with_cookie.force_login(user)
    response = with_cookie.patch(
        "/api/v1/me", {"display_name": "App 2"}, content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )  # fmt: skip
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_invalid_session_token_with_no_cookie_answers_401():
    response = browser().patch(
        "/api/v1/me", {"display_name": "x"}, content_type="application/json",
        HTTP_X_SESSION_TOKEN="not-a-token",
    )  # fmt: skip
    assert response.status_code == 401
