"""Finding 8 of issue 8, the API: a display name with CR/LF was accepted (and then broke the owner's
calendar feed). Every text field of every input schema refuses control characters with 422 naming
the field: one line unless the field is MultilineText (which keeps tabs and line breaks)."""

import json
import re
import types
import typing

import pytest
from django.test import Client
from pydantic import BaseModel

from authentication.choices import Role
from cplatform.api import api
from cplatform.api_base import _is_multiline
from cplatform.validators import MULTILINE_MESSAGE, SINGLE_LINE_MESSAGE
from tests.authentication.factories import UserFactory
from tests.conftest import login_token

BREAKS = ["a\r\nb", "a\nb", "a\rb", "a\tb", "a\u2028b", "a\u2029b"]
CONTROLS = ["a\x07b", "a\x1bb", "a\x7fb", "a\x85b", "a\x9fb", "a\x0bb", "a\x0cb"]


def _text(annotation) -> bool:
    """str, or str | None: free text (not a Literal, an email, a date)."""
    if annotation is str:
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        return _text(typing.get_args(annotation)[0])
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and (
        len(args) == 1 and _text(args[0])
    )


def text_fields() -> list[tuple[str, str, str, bool, bool, int]]:
    """(method, url, field, multiline, list body, min_length) for every top-level text field of every JSON body."""
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for params in operation.models:
                    if params.__ninja_param_source__ != "body":
                        continue
                    (annotation,) = [f.annotation for f in params.model_fields.values()]
                    # An optional body (`payload: X | None = None`) is X when it is sent.
                    optional = [a for a in typing.get_args(annotation) if a is not type(None)]
                    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
                        (annotation,) = optional
                    is_list = typing.get_origin(annotation) is list
                    model = typing.get_args(annotation)[0] if is_list else annotation
                    assert issubclass(model, BaseModel)
                    url = "/api/v1/" + f"{prefix}/{path}".strip("/").replace("//", "/")
                    url = re.sub(r"\{[^}]+\}", "1", url)
                    for name, field in model.model_fields.items():
                        if _text(field.annotation):
                            multiline = _is_multiline(field.annotation, field.metadata)
                            min_length = max(
                                [getattr(m, "min_length", 0) for m in field.metadata] + [0]
                            )
                            for method in operation.methods:
                                found.append((method, url, name, multiline, is_list, min_length))
    assert len(found) > 20
    return found


@pytest.fixture
def token(db):
    user = UserFactory(is_staff=True, is_superuser=True, roles=list(Role))
    return login_token(Client(), user.email)


def send(method, url, field, value, is_list, token):
    body = {field: value}
    return Client(raise_request_exception=False).generic(
        method,
        url,
        json.dumps([body] if is_list else body),
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )


@pytest.mark.django_db
def test_every_text_field_of_every_json_body_refuses_control_characters(token):
    wrong = []
    for method, url, field, multiline, is_list, min_length in text_fields():
        message = str(MULTILINE_MESSAGE if multiline else SINGLE_LINE_MESSAGE)
        for value in CONTROLS + ([] if multiline else BREAKS):
            value = value.ljust(min_length, "x")  # a password is checked for length first
            response = send(method, url, field, value, is_list, token)
            errors = response.json().get("errors", {}) if response.status_code == 422 else {}
            key = f"0.{field}" if is_list else field
            if message not in errors.get(key, []):
                wrong.append((method, url, field, repr(value), response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))


@pytest.mark.django_db
def test_multiline_fields_keep_line_breaks_and_tabs(token):
    multiline = [f for f in text_fields() if f[3]]
    assert {f[2] for f in multiline} >= {"bio", "summary", "description", "body", "notes"}
    wrong = []
    for method, url, field, _multiline, is_list, _min_length in multiline:
        response = send(method, url, field, "Line one\r\n\tline two\u2028three", is_list, token)
        if response.status_code == 422 and field in response.json()["errors"]:
            wrong.append((method, url, field, response.json()["errors"][field]))
    assert wrong == []


@pytest.mark.django_db
def test_a_display_name_with_a_line_break_is_refused_and_not_stored():
    user = UserFactory(roles=[Role.STUDENT], display_name="Sofía")
    token = login_token(Client(), user.email)
    response = Client().patch(
        "/api/v1/me",
        {"display_name": "Sofía\r\nX-Evil: 1"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"display_name": [str(SINGLE_LINE_MESSAGE)]}
    user.refresh_from_db()
    assert user.display_name == "Sofía"


@pytest.mark.django_db
def test_nested_and_form_input_refuse_them_too():
    teacher = UserFactory(roles=[Role.TEACHER])
    token = login_token(Client(), teacher.email)
    response = Client().patch(
        "/api/v1/me/teacher-profile",
        {"translations": {"es": {"headline": "Hola\nmundo"}}, "subjects": ["maths\r"]},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"translations.es.headline", "subjects"}

    from tests.courses.factories import CourseFactory

    course = CourseFactory(owner=teacher)
    response = Client().post(
        f"/api/v1/courses/{course.pk}/materials",
        {"title": "Week\n1", "kind": "text", "body": "Line one\nline two"},
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"title": [str(SINGLE_LINE_MESSAGE)]}
