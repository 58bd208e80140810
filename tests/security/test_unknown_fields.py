"""Finding 9 of issue 8: CourseIn, CoursePatch, EnrollmentIn, ModuleIn and MaterialIn dropped unknown
fields (`owner`, `status`, `slug` …) without a word while other schemas answered 422. One rule for
every input: a field the operation does not declare answers 422 naming it. Walks every operation
that takes input, so a new one is covered without editing this file."""

import json
import typing

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pydantic import BaseModel

from authentication.choices import Role
from cplatform.api import api
from cplatform.api_base import InputSchema
from tests.authentication.factories import UserFactory
from tests.conftest import login_token

from .endpoints import api_operations, concrete

UNKNOWN = "zz_not_a_field"


def input_models() -> dict[str, set[type[BaseModel]]]:
    """Every pydantic model an operation reads its body or form from, nested ones included."""
    found: dict[str, set[type[BaseModel]]] = {}

    def collect(annotation, into: set):
        is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        if is_model and annotation not in into:
            into.add(annotation)
            for field in annotation.model_fields.values():
                collect(field.annotation, into)
        for arg in typing.get_args(annotation):
            collect(arg, into)

    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for params in operation.models:
                    if params.__ninja_param_source__ not in ("body", "form"):
                        continue
                    models = found.setdefault(f"{operation.methods} {path}", set())
                    for field in params.model_fields.values():
                        collect(field.annotation, models)
    assert len(found) > 20
    return found


def test_every_input_schema_derives_from_the_one_base():
    forgot = {
        op: sorted(m.__name__ for m in models if not issubclass(m, InputSchema))
        for op, models in input_models().items()
    }
    assert {op: names for op, names in forgot.items() if names} == {}


def test_the_base_forbids_unknown_fields_and_no_schema_loosens_it():
    loosened = {
        m.__name__
        for models in input_models().values()
        for m in models
        if m.model_config.get("extra") != "forbid"
    }
    assert loosened == set()


@pytest.fixture
def token(db):
    user = UserFactory(is_staff=True, is_superuser=True, roles=list(Role))
    return login_token(Client(), user.email)


def client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_every_json_body_answers_422_naming_an_unknown_field(token):
    wrong = {}
    for method, path, operation in api_operations(with_body=True):
        content = operation["requestBody"]["content"]
        if "application/json" not in content:
            continue
        is_list = content["application/json"]["schema"].get("type") == "array"
        body = {UNKNOWN: 1, "owner": 2, "slug": "x"}
        response = client().generic(
            method,
            concrete(path),
            json.dumps([body] if is_list else body),
            content_type="application/json",
            HTTP_X_SESSION_TOKEN=token,
        )
        named = response.status_code == 422 and any(
            f.split(".")[-1] == UNKNOWN for f in response.json()["errors"]
        )
        if not named:
            wrong[f"{method} {path}"] = (response.status_code, response.content[:120])
    assert wrong == {}


# Valid form input for each multipart operation, so the unknown field is the only thing wrong.
def _image():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (64, 64), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


VALID_FORMS = {
    ("POST", "/api/v1/me/avatar"): lambda: {"avatar": _image()},
    ("POST", "/api/v1/courses/{course_id}/materials"): lambda: {
        "title": "Reading list",
        "kind": "link",
        "url": "https://example.org/reading",
    },
    # The inbox's multipart twins (a message with files): the unknown part is refused before the
    # recipient, message or room is looked up.
    ("POST", "/api/v1/messages/with-attachments"): lambda: {
        "recipient_id": "1",
        "subject": "Hello",
        "body": "A file for you.",
    },
    ("POST", "/api/v1/messages/{message_id}/reply/with-attachments"): lambda: {
        "body": "A file for you."
    },
    ("POST", "/api/v1/rooms/{room_id}/messages/with-attachments"): lambda: {
        "body": "A file for you."
    },
}


def form_operations() -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path, operation in api_operations(with_body=True)
        if "multipart/form-data" in operation["requestBody"]["content"]
    ]


def test_every_form_operation_has_valid_input_here():
    assert sorted(form_operations()) == sorted(VALID_FORMS)


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [{UNKNOWN: "1"}, {"owner": "2"}], ids=["text", "owner"])
def test_every_form_operation_answers_422_naming_an_unknown_field(extra, token):
    wrong = {}
    for method, path in form_operations():
        data = {**VALID_FORMS[(method, path)](), **extra}
        response = client().post(concrete(path), data, HTTP_X_SESSION_TOKEN=token)
        if response.status_code != 422 or set(response.json()["errors"]) != set(extra):
            wrong[f"{method} {path}"] = (response.status_code, response.content[:120])
    assert wrong == {}


@pytest.mark.django_db
def test_an_unknown_file_part_is_refused_too(token):
    response = client().post(
        "/api/v1/me/avatar",
        {"avatar": _image(), "second": _image()},
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"second"}


@pytest.mark.django_db
def test_the_valid_forms_alone_are_accepted(token):
    from tests.courses.factories import CourseFactory

    teacher = UserFactory(roles=[Role.TEACHER])
    course = CourseFactory(owner=teacher)
    teacher_token = login_token(Client(), teacher.email)
    avatar = client().post(
        "/api/v1/me/avatar",
        VALID_FORMS[("POST", "/api/v1/me/avatar")](),
        HTTP_X_SESSION_TOKEN=token,
    )
    assert avatar.status_code == 200, avatar.content
    material = client().post(
        f"/api/v1/courses/{course.pk}/materials",
        VALID_FORMS[("POST", "/api/v1/courses/{course_id}/materials")](),
        HTTP_X_SESSION_TOKEN=teacher_token,
    )
    assert material.status_code == 201, material.content


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("owner", 1), ("slug", "mine"), ("teachers", [1])])
def test_a_teacher_cannot_slip_an_owner_or_a_slug_into_a_new_course(field, value):
    teacher = UserFactory(roles=[Role.TEACHER])
    token = login_token(Client(), teacher.email)
    body = {"title": "Algebra", "format": "self_paced", "subject": "mathematics", field: value}
    response = client().post(
        "/api/v1/courses", body, content_type="application/json", HTTP_X_SESSION_TOKEN=token
    )
    assert response.status_code == 422
    assert response.json()["error_codes"] == {field: ["unknown_field"]}
