"""One meaning for `null` in a PATCH and for a repeated DELETE, on every such operation of the schema
(cplatform.api_base: PatchSchema, DELETE_RULE).

- PATCH: a field left out keeps its value (`{}` changes nothing); `null` on a field the schema
  types as nullable clears it (read back through the GET of the same path: `null` or `""`); `null`
  on any other field answers 422 naming it with the code `not_nullable`, and changes nothing.
- DELETE, repeated: 404 `not_found` when the path ends in the id of what it removed; the first
  answer again when the path names a singleton of the caller's (`/me/avatar`, `…/seat`).

The operations come from the OpenAPI document and the objects and principals from the permission
matrix's World (every operation has a row there), so a new PATCH or DELETE is held to the rule the day
it gets its row. Every call runs in a savepoint that is rolled back.
"""

import pytest
from django.db import transaction

from tests.api.test_permission_matrix import MATRIX, _request, operation
from tests.api.test_permission_matrix import world as world  # noqa: PLC0414 - the fixture

pytestmark = pytest.mark.django_db

EMPTY = (None, "")

# A value for each nullable field, sent before the field is cleared so that clearing is seen. A
# dict is the whole body to send (a field that only some states of the object hold). A nullable
# field of a new PATCH operation fails the test until it has one here.
FILL = {
    "PATCH /api/v1/me": {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "display_name": "Ana R.",
        "bio": "Loves maths\nand chess",
        "phone": "+34 600 111 222",
    },
    "PATCH /api/v1/me/teacher-profile": {
        "headline": "Maths tutor",
        "bio": "Ten years of teaching",
        "hourly_rate": "25.00",
        "location": "Madrid",
        "teaching_preferences": "Evenings",
    },
    "PATCH /api/v1/me/student-profile": {
        "date_of_birth": "2001-02-03",
        "level": "beginner",
        "learning_goals": "Pass the exam",
    },
    "PATCH /api/v1/courses/{course_id}": {
        "summary": "Equations, step by step",
        # Seats are what a group course sells: a 1:1 course may have none.
        "capacity": {"format": "one_to_one", "capacity": 4},
        "lessons_included": {"format": "one_to_one", "lessons_included": 10},
        "cancellation_cutoff_hours": 48,
        "free_cancellation_outcome": "credit",
        "level": "beginner",
        "language": "en",
        "starts_on": "2027-01-11",
        "ends_on": "2027-03-01",
    },
    "PATCH /api/v1/lessons/{lesson_id}": {
        "title": "Fractions",
        "notes": "Went well",
        "homework": "Page 12",
        "homework_due": "2030-01-01T10:00:00Z",
        "video_call_url": "https://meet.example/room",
    },
}


def _keys(method: str) -> list[str]:
    return sorted(key for key in MATRIX if key.startswith(f"{method} ") and " #" not in key)


def _principal(key: str) -> str:
    """The first principal whose call of the row succeeds."""
    return next(p for p, status in MATRIX[key].expect.items() if 200 <= status < 300)


def _path(world, key: str) -> str:
    path = operation(key).split(" ", 1)[1]
    for name, attribute in MATRIX[key].path_params.items():
        path = path.replace("{" + name + "}", str(getattr(world, attribute)))
    return path


@pytest.fixture(scope="module")
def document(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def _body_fields(document: dict, key: str) -> dict[str, bool]:
    """Each field of the operation's JSON body → whether the schema lets it be null."""
    method, path = operation(key).split(" ", 1)
    schema = document["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]
    schema = schema["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return {
        name: any(option.get("type") == "null" for option in prop.get("anyOf", ()))
        or prop.get("type") == "null"
        for name, prop in schema["properties"].items()
    }


class Caller:
    def __init__(self, client, world, key):
        self.client, self.key = client, key
        self.path = _path(world, key)
        self.headers = world.headers(_principal(key))

    def patch(self, body):
        return self.client.patch(self.path, body, content_type="application/json", **self.headers)

    def read(self) -> dict:
        response = self.client.get(self.path, **self.headers)
        assert response.status_code == 200, (self.key, response.content[:300])
        return response.json()


def test_every_patch_and_delete_of_the_schema_is_walked_here(document):
    walked = {operation(key) for key in _keys("PATCH") + _keys("DELETE")}
    in_schema = {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in ("patch", "delete")
    }
    assert walked == in_schema


@pytest.mark.parametrize("key", _keys("PATCH"))
def test_an_empty_patch_changes_nothing(world, client, key):
    caller = Caller(client, world, key)
    with transaction.atomic():
        before = caller.read()
        response = caller.patch({})
        after = caller.read()
        transaction.set_rollback(True)
    assert response.status_code == 200, response.content[:300]
    assert after == before


@pytest.mark.parametrize("key", _keys("PATCH"))
def test_null_clears_each_nullable_field_and_is_refused_on_every_other(
    world, client, document, key
):
    caller = Caller(client, world, key)
    fields = _body_fields(document, key)
    assert fields, key
    for field, nullable in fields.items():
        with transaction.atomic():
            before = caller.read()
            assert field in before, f"{key}: the GET answer has no `{field}` to read back"
            if nullable:
                assert field in FILL.get(key, {}), f"{key}: give FILL a value for `{field}`"
                fill = FILL[key][field]
                filled = caller.patch(fill if isinstance(fill, dict) else {field: fill})
                assert filled.status_code == 200, (key, field, filled.content[:300])
                assert caller.read()[field] not in EMPTY, (key, field)
                cleared = caller.patch({field: None})
                assert cleared.status_code == 200, (key, field, cleared.content[:300])
                assert cleared.json()[field] in EMPTY, (key, field, cleared.json()[field])
                assert caller.read()[field] in EMPTY, (key, field)
            else:
                refused = caller.patch({field: None})
                assert refused.status_code == 422, (key, field, refused.content[:300])
                body = refused.json()
                assert body["code"] == "invalid"
                assert body["error_codes"] == {field: ["not_nullable"]}, (key, body)
                assert list(body["errors"]) == [field]
                assert caller.read() == before, (key, field)
            transaction.set_rollback(True)


@pytest.mark.parametrize("key", _keys("DELETE"))
def test_a_repeated_delete_answers_by_the_one_rule(world, client, key):
    principal = _principal(key)
    with transaction.atomic():
        first = _request(client, world, key, principal)
        second = _request(client, world, key, principal)
        transaction.set_rollback(True)
    assert 200 <= first.status_code < 300, (key, first.content[:300])
    if operation(key).endswith("}"):  # the path ends in the id of what it removed
        assert second.status_code == 404, (key, second.status_code, second.content[:300])
        assert second.json()["code"] == "not_found"
    else:  # a singleton of the caller's: idempotent
        assert second.status_code == first.status_code, (key, second.content[:300])
        assert second.content == first.content
