"""The published OpenAPI document, as third-party tools take it: a spec validator accepts it,
openapi-python-client generates an importable client from it without a warning, and every operation,
enum, example and error answer follows one convention. Each test walks the whole document, so an
operation added later is checked without a line here."""

import importlib
import json
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_spec

from authentication.choices import Role
from cplatform.api import api
from cplatform.openapi import HTTP_METHODS, REF_PREFIX
from tests.authentication.factories import UserFactory
from tests.conftest import login_token

ERROR_REF = REF_PREFIX + "ErrorOut"


@pytest.fixture(scope="module")
def document():
    # Through JSON, as a client reads it (integer status keys become strings).
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def test_the_site_serves_the_document_the_tests_check(client, document, db):
    with override_settings(API_DOCS_PUBLIC=True):
        served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json() == document


def test_the_document_passes_the_openapi_spec_validator(document):
    validate_spec(document)  # raises on the first error


def test_openapi_python_client_generates_an_importable_client_without_a_warning(document, tmp_path):
    source = tmp_path / "openapi.json"
    source.write_text(json.dumps(document))
    bin_dir = Path(sys.executable).parent
    generator = shutil.which("openapi-python-client", path=str(bin_dir))
    assert generator, "openapi-python-client is installed with the dev extra"
    output = tmp_path / "cplatform_api_client"
    # Its post-generation hooks run ruff, which the dev extra installs beside it.
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "NO_COLOR": "1"}
    result = subprocess.run(  # noqa: S603 - our own tool on our own file
        [generator, "generate", "--path", str(source), "--output-path", str(output)]
        + ["--meta", "none"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    said = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, said
    # Its whole output is one line naming what it generated: no warning, no skipped part.
    assert said.splitlines() == [f"Generating {output}"], said

    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module("cplatform_api_client")
        modules = [
            importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package.__path__, prefix="cplatform_api_client.")
        ]
        client_module = importlib.import_module("cplatform_api_client.client")
        models = importlib.import_module("cplatform_api_client.models")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith("cplatform_api_client")]:
            del sys.modules[name]
    operation_modules = [m for m in modules if m.__name__.startswith("cplatform_api_client.api.")]
    assert len([m for m in operation_modules if hasattr(m, "sync_detailed")]) == len(
        list(operations(document))
    )
    assert hasattr(client_module, "AuthenticatedClient")
    # One type per enum, shared by input and output.
    for enum in ("Role", "CourseFormat", "EnrollmentStatus", "Currency", "LessonStatus"):
        assert hasattr(models, enum), enum


def test_operation_ids_are_unique_camel_case_names_of_the_views(document):
    ids = [operation["operationId"] for _, operation in operations(document)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for operation_id in ids:
        assert re.fullmatch(r"[a-z]+(?:[A-Z0-9][a-z0-9]*)*", operation_id), operation_id
    assert "bookLesson" in ids
    assert "listLessons" in ids


def test_every_operation_is_described(document):
    for key, operation in operations(document):
        assert operation.get("summary"), key
        assert operation.get("description"), key
        assert operation.get("tags"), key


def test_public_operations_say_so_and_the_document_names_a_server(document):
    assert document["servers"]
    schemes = set(document["components"]["securitySchemes"])
    for key, operation in operations(document):
        assert "security" in operation, key
        for requirement in operation["security"]:
            assert set(requirement) <= schemes, key
    public = {key for key, operation in operations(document) if operation["security"] == []}
    assert "GET /api/v1/courses" in public
    assert "GET /api/v1/lessons" not in public


def test_every_operation_documents_the_errors_it_can_give(document):
    for key, operation in operations(document):
        responses = operation["responses"]
        expected = set()
        if operation["security"]:
            expected.add("401")
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            expected.add("404")
        if operation.get("parameters") or operation.get("requestBody"):
            expected.add("422")
        assert expected <= set(responses), (key, expected - set(responses))
        for status, answer in responses.items():
            assert answer.get("description"), (key, status)
            if int(status) >= 400:
                media = answer["content"]["application/json"]
                assert media["schema"] == {"$ref": ERROR_REF}, (key, status)
                assert "example" in media, (key, status)
            elif int(status) != 204:
                assert answer.get("content"), (key, status)


def test_every_request_body_and_json_answer_has_an_example(document):
    for key, operation in operations(document):
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None:
            assert "example" in body, key
        for status, answer in operation["responses"].items():
            media = answer.get("content", {}).get("application/json")
            if media is not None:
                assert "example" in media, (key, status)


def _schemas_with_examples(node, where="#"):
    """(where, schema, example) for every example in the document: media types and parameters
    (`example`) and schemas (`examples`)."""
    if isinstance(node, dict):
        if "schema" in node and "example" in node:
            yield where, node["schema"], node["example"]
        if isinstance(node.get("examples"), list) and (
            "type" in node or "$ref" in node or ("anyOf" in node)
        ):
            schema = {k: v for k, v in node.items() if k != "examples"}
            for example in node["examples"]:
                yield where, schema, example
        for key, value in node.items():
            yield from _schemas_with_examples(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _schemas_with_examples(value, f"{where}/{index}")


def format_checker() -> FormatChecker:
    """jsonschema's format checks, with `uri` checked too (jsonschema leaves it unchecked unless an
    optional package is installed; Redocly and clients check it): an absolute URL."""
    checker = FormatChecker()

    @checker.checks("uri")
    def _is_uri(value) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc)

    return checker


def test_every_example_is_valid_for_its_schema_and_formats(document):
    components = document["components"]
    checked = 0
    for where, schema, example in _schemas_with_examples(document):
        # `$ref`s point into the document's components: validate with them at the root.
        validator = Draft202012Validator(
            {"allOf": [schema], "components": components}, format_checker=format_checker()
        )
        problems = [error.message for error in validator.iter_errors(example)]
        assert not problems, (where, example, problems)
        checked += 1
    assert checked > 150  # every operation's examples, not a handful


def test_the_format_checker_would_catch_a_bad_example():
    # The check above can fail: a time without an offset is not a JSON Schema `time`.
    validator = Draft202012Validator(
        {"type": "string", "format": "time"}, format_checker=format_checker()
    )
    assert list(validator.iter_errors("17:00"))
    # Nor is a path a `uri` (answers carry absolute URLs).
    uri = Draft202012Validator({"type": "string", "format": "uri"}, format_checker=format_checker())
    assert list(uri.iter_errors("/media/avatars/3/ana.png"))
    assert not list(uri.iter_errors("https://example.com/media/avatars/3/ana.png"))


def _reachable(document) -> set[str]:
    def refs(node):
        text = json.dumps(node)
        return set(re.findall(r'"#/components/schemas/([^"]+)"', text))

    reached = refs(document["paths"])
    todo = list(reached)
    while todo:
        for name in refs(document["components"]["schemas"][todo.pop()]):
            if name not in reached:
                reached.add(name)
                todo.append(name)
    return reached


def test_every_component_is_used(document):
    assert set(document["components"]["schemas"]) == _reachable(document)


def _inline_enums(node, where="#"):
    if isinstance(node, dict):
        if "enum" in node:
            yield where
        for key, value in node.items():
            yield from _inline_enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _inline_enums(value, f"{where}/{index}")


def test_every_enum_is_a_named_component_used_by_reference(document):
    components = document["components"]["schemas"]
    inline = [
        where
        for name, schema in components.items()
        for where in _inline_enums({k: v for k, v in schema.items() if k != "enum"}, name)
    ]
    inline += list(_inline_enums(document["paths"], "paths"))
    assert not inline
    enums = {name for name, schema in components.items() if "enum" in schema}
    assert {
        "Role",
        "CourseFormat",
        "CourseStatus",
        "EnrollmentStatus",
        "Currency",
        "LessonStatus",
        "AttendanceStatus",
        "ErrorCode",
    } <= enums
    # No enum lists the ~600 time zones: a time zone is a string checked on the server.
    assert all(len(components[name]["enum"]) < 100 for name in enums)


def test_an_enum_is_the_same_type_in_a_request_and_in_an_answer(document):
    schemas = document["components"]["schemas"]

    def ref_of(schema_name, field):
        text = json.dumps(schemas[schema_name]["properties"][field])
        return re.findall(r'"#/components/schemas/([^"]+)"', text)

    assert ref_of("CourseIn", "format") == ref_of("CourseOut", "format") == ["CourseFormat"]
    assert ref_of("AdminUserIn", "roles") == ref_of("MeOut", "roles") == ["Role"]
    assert ref_of("AttendanceMarkIn", "status") == ref_of("AttendanceOut", "status")
    assert ref_of("MePatch", "language") == ref_of("MeOut", "language") == ["SiteLanguage"]


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused_on_its_field_without_listing_the_zones(client):
    user = UserFactory(roles=[Role.STUDENT])
    token = login_token(client, user.email)
    app = Client()

    refused = app.patch(
        "/api/v1/me",
        data={"timezone": "Mars/Olympus_Mons"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert refused.status_code == 422
    body = refused.json()
    assert list(body["errors"]) == ["timezone"]
    assert len(refused.content) < 400  # one short message, not the ~600 zone names
    assert "Europe/Madrid" in body["errors"]["timezone"][0]

    accepted = app.patch(
        "/api/v1/me",
        data={"timezone": "America/Mexico_City"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert accepted.status_code == 200
    assert accepted.json()["timezone"] == "America/Mexico_City"
