"""Lists behave the same everywhere (issue 10): one pagination envelope with `has_more` / `next`, a
`limit` above the maximum refused alike, a validated `sort` enum on every list, an unknown query
parameter or filter value answering 422 on every operation; `/lessons` as calendars and parents use
it; `/slots` bounded, with the same default length as booking and a 422 for a length not offered.

The "every operation" tests walk the published OpenAPI schema, so a new list or operation is covered
without a row here."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from authentication.choices import Role
from classroom.models import Lesson
from classroom.scheduling.services import lesson_book
from tests.authentication.factories import UserFactory
from tests.booking.factories import bookable_teacher, days_ahead
from tests.classroom.conftest import People
from tests.conftest import login_token
from tests.courses.factories import CourseFactory
from tests.query_budget import assert_constant_queries, json_rows
from tests.teaching.factories import group_course, session

pytestmark = pytest.mark.django_db

UNKNOWN = "sudent_id"  # a misspelt filter: it must never read as "no filter"


def _schema(client) -> dict:
    return client.get("/api/v1/openapi.json").json()


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _get_operations(schema: dict):
    for path, item in schema["paths"].items():
        if "get" in item:
            yield path, item["get"]


def _paginated(schema: dict, operation: dict) -> bool:
    content = operation["responses"].get("200", {}).get("content", {})
    body = content.get("application/json", {}).get("schema")
    if not body:
        return False
    return "items" in _resolve(schema, body).get("properties", {})


def _filled(schema: dict, path: str, operation: dict) -> tuple[str, dict]:
    """The path with its ids set to 1 and every required query parameter given a valid value."""
    params = {}
    for parameter in operation.get("parameters", []):
        kind = _resolve(schema, parameter["schema"]).get("type")
        value = 1 if kind == "integer" else "x"
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(value))
        elif parameter["required"]:
            params[parameter["name"]] = value
    return path, params


@pytest.fixture
def everyone(client):
    """A signed-in person holding every role, so no operation stops at the role check."""
    user = UserFactory(roles=[Role.STUDENT, Role.TEACHER, Role.PARENT, Role.ADMIN])
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email)}


def test_every_get_operation_refuses_a_query_parameter_it_does_not_declare(client, everyone):
    schema = _schema(client)
    answers = {}
    for path, operation in _get_operations(schema):
        url, params = _filled(schema, path, operation)
        response = client.get(url, {**params, UNKNOWN: "7"}, **everyone)
        answers[path] = (response.status_code, response.json().get("errors", {}))
    wrong = {
        path: answer
        for path, answer in answers.items()
        if answer[0] != 422 or UNKNOWN not in answer[1]
    }
    assert len(answers) > 20
    assert not wrong, wrong


def test_a_write_refuses_an_unknown_query_parameter_too(client, people):
    token = login_token(client, people.student_a.email)
    response = client.patch(
        f"/api/v1/me?{UNKNOWN}=1",
        {"first_name": "Ada"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert response.status_code == 422
    assert response.json()["error_codes"] == {UNKNOWN: ["unknown_field"]}


# Lists paged by cursor instead of limit/offset, and why. A room's history grows at its end while it
# is read (and is polled with `after=`), so an offset would shift under the reader; a message's id
# is its stable place. Held to their own envelope below.
CURSOR_PAGED = {
    "/api/v1/rooms/{room_id}/messages": "a room's history: `before=` / `after=` message ids",
}

# Answers with `items` that are not lists of objects but one whole report, and why.
WHOLE_REPORTS = {
    "/api/v1/analytics/tables/{table}": "one report table of a period, with its `from` and `to`: "
    "the dashboard's table as JSON, read in a fixed number of queries (the exports stream it)",
}


def test_a_whole_report_names_its_period_and_counts_its_rows(client):
    schema = _schema(client)
    operations = dict(_get_operations(schema))
    for path in WHOLE_REPORTS:
        body = operations[path]["responses"]["200"]["content"]["application/json"]["schema"]
        assert {"from", "to", "count", "items"} <= set(_resolve(schema, body)["properties"]), path


def test_every_paginated_list_has_one_envelope_a_bounded_limit_and_a_sort_enum(client, everyone):
    schema = _schema(client)
    lists = [
        (p, op)
        for p, op in _get_operations(schema)
        if _paginated(schema, op) and p not in CURSOR_PAGED and p not in WHOLE_REPORTS
    ]
    assert len(lists) >= 12, [p for p, _ in lists]
    maximum = settings.API_MAX_PAGE_SIZE
    for path, operation in lists:
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        envelope = _resolve(schema, body)
        assert set(envelope["properties"]) == {
            "count",
            "limit",
            "offset",
            "has_more",
            "next",
            "items",
        }, path
        parameters = {p["name"]: p for p in operation["parameters"]}
        sort = parameters.get("sort")
        assert sort is not None, f"{path} has no sort parameter"
        options = sort["schema"].get("anyOf") or sort["schema"].get("allOf") or [sort["schema"]]
        enum = next(_resolve(schema, o) for o in options if "$ref" in o or "enum" in o)
        assert enum["enum"], path
        assert all(k.lstrip("-") in enum["enum"] for k in enum["enum"]), path

        url, params = _filled(schema, path, operation)
        too_many = client.get(url, {**params, "limit": maximum + 1}, **everyone)
        assert too_many.status_code == 422, (path, too_many.status_code)
        assert "limit" in too_many.json()["errors"], path
        bad_sort = client.get(url, {**params, "sort": "-banana"}, **everyone)
        assert bad_sort.status_code == 422, (path, bad_sort.status_code)
        assert "sort" in bad_sort.json()["errors"], path
        if "{" not in path:
            page = client.get(url, {**params, "limit": maximum}, **everyone)
            assert page.status_code == 200, (path, page.content[:200])
            assert page.json()["limit"] == maximum


def test_a_cursor_paged_list_has_its_envelope_and_a_bounded_limit(client, everyone):
    schema = _schema(client)
    operations = dict(_get_operations(schema))
    assert set(CURSOR_PAGED) <= set(operations), "a CURSOR_PAGED path no longer exists"
    maximum = None
    for path in CURSOR_PAGED:
        operation = operations[path]
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert set(_resolve(schema, body)["properties"]) == {"items", "has_older", "has_newer"}
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert {"before", "after", "limit"} <= set(parameters), path
        maximum = parameters["limit"]["schema"]["maximum"]
        assert maximum <= settings.API_MAX_PAGE_SIZE, path


def test_next_walks_the_pages_keeping_filters_and_sort(client):
    for n in range(5):
        CourseFactory(title=f"Course {n}", price=10 + n)
    first = client.get("/api/v1/courses", {"limit": 2, "sort": "-price", "free": "false"}).json()
    assert first["count"] == 5 and first["has_more"] is True
    assert [c["title"] for c in first["items"]] == ["Course 4", "Course 3"]
    parts = urlsplit(first["next"])
    assert parts.scheme == "http" and parts.netloc == "testserver"
    assert parse_qs(parts.query) == {
        "limit": ["2"],
        "offset": ["2"],
        "sort": ["-price"],
        "free": ["false"],
    }
    seen = [c["title"] for c in first["items"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [c["title"] for c in page["items"]]
    assert seen == [f"Course {n}" for n in (4, 3, 2, 1, 0)]
    assert page["has_more"] is False and page["next"] is None


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/courses", {"format": "banana"}, "format"),
        ("/api/v1/courses", {"subject": "no-such-subject"}, "subject"),
        ("/api/v1/courses", {"level": "no-such-level"}, "level"),
        ("/api/v1/teachers", {"language": "zz"}, "language"),
        ("/api/v1/courses", {"sort": "newest"}, "sort"),
    ],
)
def test_a_filter_value_that_names_nothing_is_a_422_not_an_empty_page(client, url, params, field):
    CourseFactory()
    response = client.get(url, params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert field in body["errors"]
    assert body["code"] == "invalid"


def test_a_known_filter_value_still_filters(client):
    group = CourseFactory(format="group")
    CourseFactory(format="self_paced")
    body = client.get("/api/v1/courses", {"format": "group"}).json()
    assert [c["id"] for c in body["items"]] == [group.pk]


# --- /lessons for calendars and parents --------------------------------------------------------------


@pytest.fixture
def family(people: People):
    """student_a (child of parent_of_a) has a 1:1 lesson in 3 days and a seat in a group session in
    5 days; student_b a 1:1 lesson in 4 days, all with the same teacher."""
    teacher = bookable_teacher(email="cal.teacher@example.com")
    one_to_one = lesson_book(
        actor=people.student_a,
        teacher=teacher,
        student=people.student_a,
        start=days_ahead(3, hour=10),
        length=60,
    )
    other = lesson_book(
        actor=people.student_b,
        teacher=teacher,
        student=people.student_b,
        start=days_ahead(4, hour=10),
        length=60,
    )
    course = group_course(teacher=teacher.user, students=[people.student_a])
    group = session(course=course, day=5, hour=12)
    return people, teacher, one_to_one, other, group


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [item["id"] for item in response.json()["items"]]


def test_a_parent_sees_a_childs_1to1_and_group_lessons_alike_by_default_and_by_student_id(
    client, family
):
    people, _teacher, one_to_one, _other, group = family
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, people.parent_of_a.email)}
    default = _ids(client.get("/api/v1/lessons", **headers))
    narrowed = _ids(client.get("/api/v1/lessons", {"student_id": people.student_a.pk}, **headers))
    assert default == narrowed == [one_to_one.pk, group.pk]


def test_a_student_id_the_caller_may_not_see_answers_404_on_every_list(client, family):
    people, *_ = family
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, people.parent_of_a.email)}
    for url in ("/lessons", "/enrollments", "/progress", "/history/lessons"):
        response = client.get(f"/api/v1{url}", {"student_id": people.student_b.pk}, **headers)
        assert response.status_code == 404, (url, response.status_code)
        assert response.json()["code"] == "not_found"


def test_a_parents_lists_default_to_their_childrens_items(client, family):
    people, *_ = family
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, people.parent_of_a.email)}
    upcoming = client.get("/api/v1/history/lessons", {"when": "upcoming"}, **headers)
    assert len(_ids(upcoming)) == 2
    enrollments = client.get("/api/v1/enrollments", **headers).json()["items"]
    progress = client.get("/api/v1/progress", **headers).json()["items"]
    assert {e["student"]["student_id"] for e in enrollments} == {people.student_a.pk}
    assert len(progress) == len(enrollments) == 1


def test_lessons_filter_by_window_course_status_and_sort(client, family):
    people, teacher, one_to_one, other, group = family
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, teacher.user.email)}
    window = {
        "from": (one_to_one.end + timedelta(minutes=1)).isoformat(),
        "to": group.start.isoformat(),  # a lesson starting at `to` is outside the window
    }
    assert _ids(client.get("/api/v1/lessons", window, **headers)) == [other.pk]
    assert _ids(client.get("/api/v1/lessons", {"course_id": group.course_id}, **headers)) == [
        group.pk
    ]
    assert _ids(client.get("/api/v1/lessons", {"status": "cancelled"}, **headers)) == []
    assert _ids(client.get("/api/v1/lessons", {"sort": "-start"}, **headers)) == [
        group.pk,
        other.pk,
        one_to_one.pk,
    ]
    backwards = client.get(
        "/api/v1/lessons",
        {"from": group.start.isoformat(), "to": one_to_one.start.isoformat()},
        **headers,
    )
    assert backwards.status_code == 422 and "to" in backwards.json()["errors"]
    assert client.get("/api/v1/lessons", {"status": "done"}, **headers).status_code == 422


def test_lessons_are_written_in_the_zone_asked_for(client, family):
    people, _teacher, one_to_one, *_ = family
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, people.student_a.email)}
    utc = client.get("/api/v1/lessons", {"limit": 1}, **headers).json()["items"][0]
    tokyo = client.get("/api/v1/lessons", {"limit": 1, "tz": "Asia/Tokyo"}, **headers)
    item = tokyo.json()["items"][0]
    assert item["start"].endswith("+09:00")
    assert datetime.fromisoformat(item["start"]) == datetime.fromisoformat(utc["start"])
    assert datetime.fromisoformat(item["start"]) == one_to_one.start
    bad = client.get("/api/v1/lessons", {"tz": "Mars/Olympus"}, **headers)
    assert bad.status_code == 422
    assert list(bad.json()["errors"]) == ["tz"]
    assert len(bad.content) < 500  # the refusal does not echo every zone


def test_the_parents_lesson_list_makes_the_same_queries_for_few_and_many_lessons(client, people):
    teacher = bookable_teacher(email="busy.teacher@example.com")
    course = group_course(teacher=teacher.user, students=[people.student_a], capacity=50)
    slots = iter(range(100))

    def grow(n=6):
        for _ in range(n):
            k = next(slots)
            session(course=course, day=2 + k // 5, hour=8 + 2 * (k % 5))

    grow(2)
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, people.parent_of_a.email)}
    assert_constant_queries(
        lambda: client.get(
            "/api/v1/lessons",
            {"student_id": people.student_a.pk, "limit": 100, "sort": "-start"},
            **headers,
        ),
        grow=grow,
        budget=12,
        rows=json_rows,
    )


# --- /slots and booking ------------------------------------------------------------------------------


def test_slots_and_booking_default_to_the_length_the_teacher_page_states(client, people):
    teacher = bookable_teacher(lesson_lengths=(45, 90), email="len.teacher@example.com")
    profile = client.get(f"/api/v1/teachers/{teacher.pk}").json()
    assert profile["lesson_lengths"] == [45, 90]
    assert profile["default_lesson_length"] == 45
    slots = client.get("/api/v1/slots", {"teacher_id": teacher.pk}).json()
    assert slots["length"] == 45
    first = slots["slots"][0]
    token = login_token(client, people.student_a.email)
    booked = client.post(
        "/api/v1/lessons",
        {"teacher_id": teacher.pk, "start": first["start"]},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert booked.status_code == 201, booked.content
    lesson = Lesson.objects.get(pk=booked.json()["id"])
    assert lesson.end - lesson.start == timedelta(minutes=45)


def test_slots_refuse_a_length_the_teacher_does_not_offer(client):
    teacher = bookable_teacher(lesson_lengths=(45, 90), email="len2.teacher@example.com")
    response = client.get("/api/v1/slots", {"teacher_id": teacher.pk, "length": 60})
    assert response.status_code == 422
    assert response.json()["code"] == "length_not_offered"
    assert list(response.json()["errors"]) == ["length"]


def test_slots_are_bounded_to_a_31_day_window(client):
    teacher = bookable_teacher(email="window.teacher@example.com")
    start = timezone.now().replace(microsecond=0)
    wide = client.get(
        "/api/v1/slots",
        {
            "teacher_id": teacher.pk,
            "from": start.isoformat(),
            "to": (start + timedelta(days=32)).isoformat(),
        },
    )
    assert wide.status_code == 422 and "to" in wide.json()["errors"]
    ok = client.get(
        "/api/v1/slots",
        {
            "teacher_id": teacher.pk,
            "from": start.isoformat(),
            "to": (start + timedelta(days=31)).isoformat(),
        },
    )
    assert ok.status_code == 200
    schema = _schema(client)
    to = next(p for p in schema["paths"]["/api/v1/slots"]["get"]["parameters"] if p["name"] == "to")
    assert "31 days" in to["description"]
