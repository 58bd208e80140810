"""The API accepts allauth's two transports: the app session token and the browser session + CSRF."""

import pytest
from django.test import Client, override_settings

from authentication.choices import Role
from tests.authentication.factories import PASSWORD, UserFactory
from tests.conftest import login_token


@pytest.mark.django_db
def test_an_app_logs_in_headless_and_uses_the_session_token(client):
    user = UserFactory(roles=[Role.STUDENT])
    assert client.get("/api/v1/me").status_code == 401
    token = login_token(client, user.email)
    fresh = Client()  # no cookies: the header alone authenticates
    response = fresh.get("/api/v1/me", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.json()["roles"] == ["Student"]


@pytest.mark.django_db
def test_a_logged_out_session_token_stops_working(client):
    user = UserFactory(roles=[Role.STUDENT])
    token = login_token(client, user.email)
    assert (
        client.delete("/_allauth/app/v1/auth/session", HTTP_X_SESSION_TOKEN=token).status_code
        == 401
    )
    assert Client().get("/api/v1/me", HTTP_X_SESSION_TOKEN=token).status_code == 401


@pytest.mark.django_db
def test_a_browser_uses_the_session_cookie_and_must_send_the_csrf_token():
    user = UserFactory(roles=[Role.STUDENT])
    browser = Client(enforce_csrf_checks=True)
    # The browser flow hands out the CSRF cookie on its config/session endpoints.
    browser.get("/_allauth/browser/v1/auth/session")
    csrf = browser.cookies["csrftoken"].value
    login = browser.post(
        "/_allauth/browser/v1/auth/login",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert login.status_code == 200, login.content
    assert browser.get("/api/v1/me").status_code == 200
    csrf = browser.cookies["csrftoken"].value  # rotated at login
    refused = browser.patch(
        "/api/v1/me", {"display_name": "No token"}, content_type="application/json"
    )
    assert refused.status_code == 403
    accepted = browser.patch(
        "/api/v1/me",
        {"display_name": "With token"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert accepted.status_code == 200
    assert accepted.json()["display_name"] == "With token"


@pytest.mark.django_db
@override_settings(API_DOCS_PUBLIC=False)
def test_api_docs_and_schema_are_for_staff_only_when_not_public(client):
    assert client.get("/api/v1/docs").status_code == 404
    assert client.get("/api/v1/openapi.json").status_code == 404
    student = UserFactory(roles=[Role.STUDENT])
    client.force_login(student)
    assert client.get("/api/v1/docs").status_code == 404
    admin = UserFactory(roles=[Role.ADMIN], is_staff=True)
    client.force_login(admin)
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.django_db
def test_api_errors_use_one_shape_with_field_messages(client):
    user = UserFactory(roles=[Role.STUDENT])
    token = login_token(client, user.email)
    response = client.patch(
        "/api/v1/me",
        {"language": "xx", "is_staff": True},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors", "code", "error_codes"}
    assert body["error_codes"] == {"language": ["invalid_choice"], "is_staff": ["unknown_field"]}
    assert set(body["errors"]) == {"language", "is_staff"}
    user.refresh_from_db()
    assert user.is_staff is False


@pytest.mark.django_db
def test_malformed_json_is_a_4xx_not_a_500(client):
    user = UserFactory(roles=[Role.STUDENT])
    token = login_token(client, user.email)
    response = client.patch(
        "/api/v1/me", "{not json", content_type="application/json", HTTP_X_SESSION_TOKEN=token
    )
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


@pytest.mark.django_db
def test_lists_refuse_a_page_size_over_100(client):
    assert client.get("/api/v1/teachers", {"limit": 101}).status_code == 422
    body = client.get("/api/v1/teachers", {"limit": 100}).json()
    assert set(body) == {"count", "limit", "offset", "has_more", "next", "items"}
