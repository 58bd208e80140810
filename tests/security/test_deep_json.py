"""Finding 7 of issue 8: a deeply nested JSON body answered 500 on every POST (a RecursionError in the
NUL check, or later in a parser). Every body-taking endpoint answers 400 instead, and a body nested
just within the limit reaches the endpoint's own validation without a server error."""

import json

import pytest
from django.test import Client

from authentication.choices import Role
from cplatform.middleware import MAX_JSON_DEPTH
from tests.authentication.factories import UserFactory
from tests.conftest import login_token

from .endpoints import allauth_headless_paths, api_operations, concrete

VERY_DEEP = "[" * 100_000 + "]" * 100_000
JUST_TOO_DEEP = json.dumps({"title": json.loads("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)})
# The fields allauth's headless forms read; each holds a list nested to the limit.
ALLAUTH_FIELDS = (
    "email", "password", "key", "code", "phone", "current_password", "new_password",
    "refresh_token", "authenticator", "authenticators", "provider", "process", "token",
)  # fmt: skip


def nested(depth: int):
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def within_limit_body() -> str:
    """A dict whose every value is nested as deep as the middleware lets through."""
    body = {name: nested(MAX_JSON_DEPTH - 1) for name in ALLAUTH_FIELDS}
    return json.dumps(body)


def browser() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def everyone_token(db):
    """A superuser holding every role, so every operation gets past its role check to the body."""
    user = UserFactory(is_staff=True, is_superuser=True, roles=list(Role))
    return login_token(Client(), user.email)


def test_the_limit_itself_is_a_json_body_the_middleware_accepts():
    assert json.loads(within_limit_body())


@pytest.mark.django_db
@pytest.mark.parametrize("body", [VERY_DEEP, JUST_TOO_DEEP], ids=["100000-levels", "limit+1"])
def test_every_api_operation_with_a_body_refuses_deep_json_with_400(body, everyone_token):
    failures = []
    for method, path, _operation in api_operations(with_body=True):
        for headers in ({}, {"HTTP_X_SESSION_TOKEN": everyone_token}):
            # The API and allauth parse a body as JSON whatever its Content-Type says.
            for content_type in ("application/json", "text/plain"):
                response = browser().generic(
                    method, concrete(path), body, content_type=content_type, **headers
                )
                if response.status_code != 400:
                    failures.append((method, path, content_type, response.status_code))
                    continue
                assert "nested too deeply" in response.json()["detail"]
    assert not failures


@pytest.mark.django_db
def test_every_api_operation_answers_a_body_nested_to_the_limit_without_a_server_error(
    everyone_token,
):
    body = within_limit_body()
    failures = []
    for method, path, _operation in api_operations(with_body=True):
        for wrapped in (body, json.dumps(nested(MAX_JSON_DEPTH))):
            response = browser().generic(
                method,
                concrete(path),
                wrapped,
                content_type="application/json",
                HTTP_X_SESSION_TOKEN=everyone_token,
            )
            if (
                response.status_code >= 500
                or response.status_code == 400
                and ("nested too deeply" in response.json()["detail"])
            ):
                failures.append((method, path, response.status_code))
    assert not failures


@pytest.mark.django_db
@pytest.mark.parametrize("body", [VERY_DEEP, JUST_TOO_DEEP], ids=["100000-levels", "limit+1"])
def test_every_allauth_headless_endpoint_refuses_deep_json_with_400(body, everyone_token):
    failures = []
    for path in allauth_headless_paths():
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            for headers in ({}, {"HTTP_X_SESSION_TOKEN": everyone_token}):
                response = browser().generic(
                    method, path, body, content_type="application/json", **headers
                )
                if response.status_code != 400:
                    failures.append((method, path, response.status_code))
    assert not failures


@pytest.mark.django_db
def test_every_allauth_headless_endpoint_answers_a_body_nested_to_the_limit_without_a_server_error(
    everyone_token,
):
    failures = []
    for path in allauth_headless_paths():
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            headers = {"HTTP_X_SESSION_TOKEN": everyone_token} if "/app/" in path else {}
            response = browser().generic(
                method, path, within_limit_body(), content_type="application/json", **headers
            )
            if response.status_code >= 500:
                failures.append((method, path, response.status_code))
    assert not failures


@pytest.mark.django_db
def test_a_deep_json_body_posted_to_a_page_is_refused_with_400():
    response = browser().post("/auth/login/", VERY_DEEP, content_type="application/json")
    assert response.status_code == 400
