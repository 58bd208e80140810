"""Errors a program can handle, on every operation of the schema: a bad or expired session token is
401 everywhere and never falls back to the cookie; 404 / 405 under /api/ are JSON; every error has
an overall code and a code per field message; 422 means the input does not validate and 400 that
the body cannot be read; messages come in the caller's language and `Content-Language` says which."""

import pytest
from django.test import Client
from django.utils import translation

from authentication.choices import Role
from cplatform.error_codes import CODES, FIELD_CODES
from tests.api.test_permission_matrix import MATRIX, call, world  # noqa: F401
from tests.authentication.factories import UserFactory
from tests.booking.factories import bookable_teacher, days_ahead
from tests.conftest import login_token

METHODS = ("get", "post", "put", "patch", "delete")
ERROR_KEYS = {"detail", "code", "errors", "error_codes"}


def schema(client) -> dict:
    return client.get("/api/v1/openapi.json").json()


def concrete(path: str) -> str:
    """A schema path with every `{param}` filled with an id (whatever it names)."""
    import re

    return re.sub(r"\{[^}]+\}", "1", path)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["code"] == code, body
    assert body["code"] in CODES
    assert set(body["errors"]) == set(body["error_codes"]), body
    for field, messages in body["errors"].items():
        assert len(messages) == len(body["error_codes"][field]), body
    return body


def send(client, method: str, path: str, **headers):
    if method in ("post", "put", "patch"):
        return getattr(client, method)(path, {}, content_type="application/json", **headers)
    return getattr(client, method)(path, **headers)


def every_operation(client) -> list[tuple[str, str]]:
    return [
        (method, path)
        for path, item in schema(client)["paths"].items()
        for method in item
        if method in METHODS
    ]


def logged_out_token(client, user) -> str:
    token = login_token(client, user.email)
    client.delete("/_allauth/app/v1/auth/session", HTTP_X_SESSION_TOKEN=token)
    return token


# --- the session token: 401, never the cookie --------------------------------------------------


@pytest.mark.django_db
def test_a_bad_or_signed_out_token_answers_401_on_every_operation_even_with_a_session_cookie():
    """Public operations included: a client that sends a token believes it is signed in, and its
    re-login must fire rather than an anonymous answer. A valid session cookie (and no CSRF
    token) beside the bad token changes nothing: no fallback, no "403 CSRF check Failed"."""
    user = UserFactory(roles=[Role.STUDENT, Role.TEACHER, Role.PARENT])
    signed_out = logged_out_token(Client(), user)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    operations = every_operation(browser)
    assert len(operations) > 40
    for method, path in operations:
        url = concrete(path)
        for client, token in (
            (Client(), "not-a-token"),
            (Client(), signed_out),
            (browser, "not-a-token"),
            (browser, signed_out),
        ):
            response = send(client, method, url, HTTP_X_SESSION_TOKEN=token)
            assert_error(response, 401, "session_invalid")


@pytest.mark.django_db
def test_a_bad_token_on_an_unknown_path_is_401_too():
    response = Client().get("/api/v1/no-such-thing", HTTP_X_SESSION_TOKEN="stale")
    assert_error(response, 401, "session_invalid")


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_a_good_token_answers_as_usual_without_csrf_beside_a_session_cookie(world, key):  # noqa: F811
    """The token's person, whatever the cookie says: a browser-like client holding another
    person's logged-in session cookie and no CSRF token gets the token holder's usual answer."""
    spec = MATRIX[key]
    principal = next(
        (p for p, status in spec.expect.items() if p != "anonymous" and status < 300), "admin"
    )
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(roles=[Role.STUDENT]))  # someone else's cookie
    response = call(browser, world, key, principal)
    assert response.status_code == spec.expect[principal], (
        key,
        principal,
        response.status_code,
        response.content[:300],
    )


@pytest.mark.django_db
def test_the_token_decides_who_asks_not_the_cookie():
    holder = UserFactory(roles=[Role.STUDENT], email="holder@example.com")
    other = UserFactory(roles=[Role.STUDENT], email="cookie@example.com")
    token = login_token(Client(), holder.email)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(other)
    response = browser.patch(
        "/api/v1/me",
        {"display_name": "Token"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 200, response.content
    assert response.json()["email"] == holder.email
    other.refresh_from_db()
    assert other.display_name != "Token"


@pytest.mark.django_db
def test_without_a_token_the_cookie_still_needs_its_csrf_token():
    user = UserFactory(roles=[Role.STUDENT])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.patch("/api/v1/me", {"display_name": "x"}, content_type="application/json")
    assert response.status_code == 403


# --- 404 and 405 in JSON ---------------------------------------------------------------------


@pytest.mark.django_db
def test_every_path_answers_a_method_it_does_not_take_with_json_405_and_allow():
    client = Client()
    paths = schema(client)["paths"]
    checked = 0
    for path, item in paths.items():
        allowed = {m.upper() for m in item if m in METHODS}
        for method in METHODS:
            if method.upper() in allowed:
                continue
            response = send(client, method, concrete(path))
            assert_error(response, 405, "method_not_allowed")
            assert set(response["Allow"].replace(" ", "").split(",")) == allowed, (path, method)
            checked += 1
    assert checked > 50


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing",
        "/api/v1/no-such-thing/",
        "/api/v1/me/",  # a real operation behind a trailing slash
        "/api/v2/teachers",
        "/api/",
        "/api",
    ],
)
@pytest.mark.parametrize("method", METHODS)
def test_an_unknown_api_address_is_a_json_404_not_a_page_or_a_redirect(path, method):
    response = send(Client(), method, path)
    if path == "/api":  # not under /api/: the site's own 404 page, not the API's
        assert response.status_code in (301, 404)
        return
    assert_error(response, 404, "not_found")


# --- codes per field, 400 vs 422 -------------------------------------------------------------


def _admin_headers():
    admin = UserFactory(roles=[Role.ADMIN], is_staff=True)
    return {"HTTP_X_SESSION_TOKEN": login_token(Client(), admin.email)}


def _me_headers():
    user = UserFactory(roles=[Role.STUDENT])
    return {"HTTP_X_SESSION_TOKEN": login_token(Client(), user.email)}


def _patch_me(body):
    return Client().patch("/api/v1/me", body, content_type="application/json", **_me_headers())


def _create_user(body):
    return Client().post(
        "/api/v1/admin/users", body, content_type="application/json", **_admin_headers()
    )


# Each field code, reached through the API: (request, the field that carries it).
FIELD_CODE_CASES = {
    "invalid": (lambda: Client().get("/api/v1/slots", {"teacher_id": "abc"}), "teacher_id"),
    "required": (lambda: Client().get("/api/v1/slots"), "teacher_id"),
    "unknown_field": (lambda: _patch_me({"is_staff": True}), "is_staff"),
    "not_nullable": (lambda: _patch_me({"timezone": None}), "timezone"),
    "invalid_choice": (lambda: _patch_me({"language": "xx"}), "language"),
    "too_short": (
        lambda: _create_user({"email": "a@example.com", "password": "short"}),
        "password",
    ),
    "too_long": (lambda: _patch_me({"display_name": "x" * 81}), "display_name"),
    "too_small": (lambda: Client().get("/api/v1/teachers", {"limit": 0}), "limit"),
    "too_large": (lambda: Client().get("/api/v1/teachers", {"limit": 101}), "limit"),
    "control_characters": (lambda: _patch_me({"display_name": "a\nb"}), "display_name"),
    "password_too_common": (
        lambda: _create_user({"email": "b@example.com", "password": "password1"}),
        "password",
    ),
    "password_entirely_numeric": (
        lambda: _create_user({"email": "c@example.com", "password": "90817263544"}),
        "password",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(FIELD_CODES))
def test_every_field_code_is_reached_through_the_api_as_a_422(code):
    assert code in FIELD_CODE_CASES, f"add a request that answers the field code {code!r}"
    make, field = FIELD_CODE_CASES[code]
    body = assert_error(make(), 422, "invalid")
    assert code in body["error_codes"].get(field, []), body


def test_every_field_code_case_names_a_registered_code():
    assert set(FIELD_CODE_CASES) <= set(FIELD_CODES)


@pytest.mark.django_db
def test_a_domain_refusal_carries_its_code_overall_and_on_its_fields():
    teacher = bookable_teacher()
    first = UserFactory(roles=[Role.STUDENT])
    second = UserFactory(roles=[Role.STUDENT])
    start = days_ahead(3, hour=10).isoformat()
    for learner, status in ((first, 201), (second, 409)):
        response = Client().post(
            "/api/v1/lessons",
            {"teacher_id": teacher.pk, "start": start, "length": 60},
            content_type="application/json",
            HTTP_X_SESSION_TOKEN=login_token(Client(), learner.email),
        )
        assert response.status_code == status, response.content
    body = assert_error(response, 409, "slot_taken")
    assert body["error_codes"] == {"start": ["slot_taken"]}


@pytest.mark.django_db
def test_a_rule_of_the_domain_on_input_is_422_like_the_schema():
    """ValidationFailed (a service's input rule) answers 422, as pydantic's refusals do."""
    teacher = bookable_teacher()
    token = login_token(Client(), teacher.user.email)
    response = Client().post(
        "/api/v1/availability/time-off",
        {"start": days_ahead(5).isoformat(), "end": days_ahead(4).isoformat()},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    body = assert_error(response, 422, "invalid")
    assert body["errors"] and all(c == ["invalid"] for c in body["error_codes"].values()), body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{not json", "application/json"), ("[" * 40 + "]" * 40, "application/json")],
)
def test_a_body_that_cannot_be_read_is_400_malformed_request(body, content_type):
    response = Client().patch("/api/v1/me", body, content_type=content_type, **_me_headers())
    assert_error(response, 400, "malformed_request")


# --- the caller's language ------------------------------------------------------------------


def _spanish_student():
    user = UserFactory(roles=[Role.STUDENT], language="es")
    return user, login_token(Client(), user.email)


@pytest.mark.django_db
def test_a_spanish_profile_gets_validation_errors_in_spanish_whatever_the_header():
    _user, token = _spanish_student()
    response = Client().patch(
        "/api/v1/me",
        {"display_name": "x" * 81, "is_staff": True},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = assert_error(response, 422, "invalid")
    assert response["Content-Language"] == "es"
    assert body["detail"] == "Algunos campos no son válidos."
    assert body["errors"]["display_name"] == ["Escribe como máximo 80 caracteres."]
    assert body["errors"]["is_staff"] == ["Esta operación no admite este campo."]


@pytest.mark.django_db
def test_a_spanish_profile_gets_a_domain_conflict_in_spanish():
    teacher = bookable_teacher()
    start = days_ahead(3, hour=10).isoformat()
    payload = {"teacher_id": teacher.pk, "start": start, "length": 60}
    first = UserFactory(roles=[Role.STUDENT])
    booked = Client().post(
        "/api/v1/lessons",
        payload,
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=login_token(Client(), first.email),
    )
    assert booked.status_code == 201, booked.content
    english = Client().post(
        "/api/v1/lessons",
        payload,
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=login_token(Client(), UserFactory(roles=[Role.STUDENT]).email),
        HTTP_ACCEPT_LANGUAGE="es",
    )
    _user, token = _spanish_student()
    spanish = Client().post(
        "/api/v1/lessons",
        payload,
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert_error(english, 409, "slot_taken")
    assert_error(spanish, 409, "slot_taken")
    assert english["Content-Language"] == "en"  # their profile says English
    assert spanish["Content-Language"] == "es"
    detail = english.json()["detail"]
    with translation.override("es"):
        assert spanish.json()["detail"] == translation.gettext(detail) != detail
        assert spanish.json()["errors"]["start"] == [translation.gettext(detail)]


@pytest.mark.django_db
def test_anonymous_callers_get_the_accept_language():
    spanish = Client().get("/api/v1/lessons", HTTP_ACCEPT_LANGUAGE="es")
    body = assert_error(spanish, 401, "not_authenticated")
    assert spanish["Content-Language"] == "es"
    assert body["detail"] == "Hace falta iniciar sesión."
    english = Client().get("/api/v1/lessons", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    assert english.json()["detail"] == "Authentication required."
    invalid = Client().get("/api/v1/slots", {"teacher_id": "x"}, HTTP_ACCEPT_LANGUAGE="es")
    assert assert_error(invalid, 422, "invalid")["errors"]["teacher_id"] == [
        "Escribe un número entero."
    ]
    gone = Client().get("/api/v1/nowhere", HTTP_ACCEPT_LANGUAGE="es")
    assert assert_error(gone, 404, "not_found")["detail"] == "No encontrado."


@pytest.mark.django_db
def test_every_api_answer_says_its_language():
    for path in ("/api/v1/teachers", "/api/v1/openapi.json", "/api/v1/nowhere"):
        response = Client().get(path, HTTP_ACCEPT_LANGUAGE="es")
        assert response["Content-Language"] == "es", path
        assert "Accept-Language" in response["Vary"], path
