"""Every reference in every answer names the thing it says, for whoever was given it.

The convention (docs/architecture.md, "API conventions"): a resource's own id is `id`; every reference
to another resource, a flat field or inside a brief (TeacherBrief, StudentBrief, CourseBrief,
PersonBrief), is `<thing>_id` and holds the id that `GET /<things>/{id}` accepts.

The test calls every GET operation of the OpenAPI schema as every principal of the permission
matrix's World (whose objects share ids across types, so a user id where a teacher id belongs lands
on somebody else), walks each answer beside its schema, and follows every reference as the same
caller: the answer is 200 and its `id` is the reference. A new `*_id` field, or a new component with
an `id`, fails until it is classified below.
"""

import re

import pytest
from django.db import transaction

from tests.api.matrix.base import ADMINS, PRINCIPALS
from tests.api.test_permission_matrix import MATRIX, call, operation, world  # noqa: F401

API = "/api/v1"

# `<thing>_id` → the operation that reads the thing.
REFERENCES = {
    "teacher_id": "/teachers/{}",
    "course_id": "/courses/{}",
    "lesson_id": "/lessons/{}",
    "student_id": "/students/{}",
    "series_id": "/series/{}",
    "enrollment_id": "/enrollments/{}",
    "module_id": "/modules/{}",
    "material_id": "/materials/{}",
    "thread_id": "/threads/{}",
    "user_id": "/admin/users/{}",  # an account: admins read any (`/me` is one's own)
    "room_id": "/rooms/{}",
}
ADMIN_ONLY_REFERENCES = {"user_id"}
# Ids of parts that have no GET of their own: they are read inside their parent. (None today: a
# new one is listed here with where its parent shows it.)
PARTS: dict[str, str] = {
    # A report's message (inbox safety): read through the dm part's `GET /messages/{message_id}`;
    # until both parts are merged that GET is not here. At merge: move to REFERENCES.
    "message_id": "GET /reports/{report_id}",
    # Cursors into a room's history (message ids): read in `GET /rooms/{room_id}/messages`.
    "last_read_id": "GET /rooms/{room_id}/messages",
    "last_message_id": "GET /rooms/{room_id}/messages",
}
# Components whose `id` is the resource's own id → the operation that reads it.
OWN_IDS = {
    "TeacherOut": "/teachers/{}",
    "MyTeacherProfileOut": "/teachers/{}",
    "CourseOut": "/courses/{}",
    "LessonOut": "/lessons/{}",
    "HistoryLessonOut": "/lessons/{}",
    "SeriesOut": "/series/{}",
    "StudentOut": "/students/{}",
    "MyStudentOut": "/students/{}",
    "EnrollmentOut": "/enrollments/{}",
    "ModuleOut": "/modules/{}",
    "ModuleProgressOut": "/modules/{}",  # a module, within an enrolment's progress
    "MaterialOut": "/materials/{}",
    "ProgressNoteOut": "/progress-notes/{}",
    "TimeOffOut": "/availability/time-off/{}",
    "GuardianLinkOut": "/guardians/{}",
    "AdminUserOut": "/admin/users/{}",
    "MeOut": "/admin/users/{}",
    "BlockOut": "/blocks/{}",
    "ReportOut": "/reports/{}",
    "NotificationOut": "/notifications/{}",
    "MessageOut": "/messages/{}",
    "ThreadOut": "/threads/{}",
    "RoomOut": "/rooms/{}",
}
# Components with an `id` that no GET reads on its own (written, deleted or listed only). (None
# today.)
# A room message is read at /rooms/{room_id}/messages/{id}: two ids, so not followed here.
# An attachment's id is read at its `url` (GET /attachments/{id}), which answers the file, not JSON
# with an `id` (tests/inbox/test_attachments.py downloads it).
OWN_IDS_OF_PARTS: set[str] = {"RoomMessageOut", "AttachmentOut"}
# Fields, by where they sit in an operation's answer (`GET <path>.<field>`, list items as `[]`; see
# `_field_of_operation`), that look like a reference or an own id but are not followed: each says
# why. (None here: the parts add theirs below.)
NOT_REFERENCES: dict[str, str] = {}


def _resolve(schema: dict, node: dict) -> tuple[str | None, dict]:
    """The component name (if any) and the schema of `node`, through `$ref` and nullable anyOf."""
    name = None
    while True:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            node = schema["components"]["schemas"][name]
        elif "anyOf" in node:
            options = [o for o in node["anyOf"] if o.get("type") != "null"]
            if len(options) != 1:
                return name, {}
            node = options[0]
        elif "allOf" in node and len(node["allOf"]) == 1:
            node = node["allOf"][0]
        else:
            return name, node


def _field_of_operation(here: str) -> str:
    """`GET <path> #variant.items[3].id` → `GET <path>.items[].id`: where a field sits, whatever the
    matrix row's variant and the item's index."""
    return re.sub(r"\[\d+\]", "[]", re.sub(r" #[^.\[]*", "", here, count=1))


def references_in(schema: dict, node: dict, value, where: str, found: list, problems: list):
    """Collect (where, key, path template, id) for every reference in `value`, which `node`
    describes; unclassified `*_id` fields and components with an `id` go to `problems`."""
    name, node = _resolve(schema, node)
    if isinstance(value, list):
        for n, item in enumerate(value):
            references_in(schema, node.get("items", {}), item, f"{where}[{n}]", found, problems)
        return
    if not isinstance(value, dict):
        return
    properties = node.get("properties", {})
    for key, item in value.items():
        here = f"{where}.{key}"
        if _field_of_operation(here) in NOT_REFERENCES:
            pass
        elif key == "id" and isinstance(item, int):
            if name in OWN_IDS:
                found.append((here, name, OWN_IDS[name], item))
            elif name not in OWN_IDS_OF_PARTS:
                problems.append(
                    f"{here}: classify the `id` of {name} (OWN_IDS or OWN_IDS_OF_PARTS)"
                )
        elif key.endswith("_id") and (isinstance(item, int) or item is None):
            if key in REFERENCES:
                if item is not None:
                    found.append((here, key, REFERENCES[key], item))
            elif key not in PARTS:
                problems.append(f"{here}: `{key}` names no resource (REFERENCES or PARTS)")
        if key in properties:
            references_in(schema, properties[key], item, here, found, problems)


def _get(client, built, principal, path):
    with transaction.atomic():
        response = client.get(path, **built.headers(principal))
        transaction.set_rollback(True)
    return response


def _success_schema(schema: dict, key: str) -> dict | None:
    method, path = operation(key).split(" ", 1)
    responses = schema["paths"].get(path, {}).get(method.lower(), {}).get("responses", {})
    content = responses.get("200", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


GET_ROWS = sorted(key for key in MATRIX if key.startswith("GET "))


def test_every_get_operation_of_the_schema_is_walked(client):
    schema = client.get(f"{API}/openapi.json").json()
    gets = {f"GET {path}" for path, item in schema["paths"].items() if "get" in item}
    assert gets <= {operation(key) for key in GET_ROWS}


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_every_reference_in_every_answer_resolves_to_what_it_names(world, client, principal):  # noqa: F811
    schema = client.get(f"{API}/openapi.json").json()
    found, problems, answers = [], [], 0
    for key in GET_ROWS:
        node = _success_schema(schema, key)
        if node is None:  # a file download, not JSON
            continue
        response = call(client, world, key, principal)
        if response.status_code != 200:
            continue
        answers += 1
        references_in(schema, node, response.json(), key, found, problems)
    assert answers, f"{principal} read nothing"
    followed: dict[str, int] = {}
    for where, what, template, pk in found:
        if what in ADMIN_ONLY_REFERENCES | {"AdminUserOut", "MeOut"} and principal not in ADMINS:
            continue
        path = API + template.format(pk)
        if path not in followed:
            response = _get(client, world, principal, path)
            followed[path] = response.status_code
            if response.status_code == 200 and response.json().get("id") != pk:
                problems.append(f"{where} = {pk}: {path} answers id {response.json().get('id')}")
        if followed[path] != 200:
            problems.append(f"{where} = {pk}: {path} answers {followed[path]} to {principal}")
    assert not problems, "\n".join(sorted(set(problems)))
    kinds = {template for _where, _what, template, _pk in found}
    if principal in ("student_a", "teacher", "admin"):
        # The World gives these principals lessons, courses, teachers and students to refer to.
        assert {"/teachers/{}", "/courses/{}", "/lessons/{}", "/students/{}"} <= kinds, kinds
        # … and the parts of a course: its modules, materials and progress notes.
        assert {"/modules/{}", "/materials/{}", "/progress-notes/{}"} <= kinds, kinds
    if principal == "teacher":
        assert "/availability/time-off/{}" in kinds, kinds
    if principal in ("student_a", "parent_of_a"):
        assert "/guardians/{}" in kinds, kinds


# billing, front: orders and invoices have their GET; payments and credit movements are read in
# their lists only; a credit note names the invoice it corrects.
REFERENCES["order_id"] = "/orders/{}"
REFERENCES["corrects_id"] = "/invoices/{}"
OWN_IDS.update(
    {"OrderOut": "/orders/{}", "InvoiceOut": "/invoices/{}", "InvoiceBrief": "/invoices/{}"}
)
OWN_IDS_OF_PARTS |= {"PaymentOut", "CreditEntryOut"}

# billing (policy): a plan and a subscription are read in their lists (GET /plans, GET
# /subscriptions) and acted on by id (pause, resume, cancel); no GET reads one on its own.
OWN_IDS_OF_PARTS |= {"PlanOut", "SubscriptionOut"}

# billing (admin): a payment is read in the admin list (GET /admin/payments) and refunded by id; no
# GET reads one payment on its own.
OWN_IDS_OF_PARTS |= {"AdminPaymentOut"}

# billing (policy): an earnings statement names whose it is (`teacher_id`, the caller themself or the
# teacher an admin asked for); it is not a link to the public profile, which exists only for listed
# teachers (GET /teachers/{id} answers 404 for an unlisted one).
NOT_REFERENCES["GET /api/v1/earnings.teacher_id"] = "whose statement it is"
# A statement's line is read in the statement only; its `order_id` names the sale it came from, an
# order that is the buyer's (GET /orders/{id} answers the buyer and admins, 404 to the teacher).
OWN_IDS_OF_PARTS |= {"EarningLineOut"}
NOT_REFERENCES["GET /api/v1/earnings.entries[].order_id"] = "the buyer's order, not the teacher's"

# dashboards: the analytics tables' rows are report rows (`items: list[dict]`, no component), keyed by
# the `id` of the student, course or teacher the row counts (a teacher's user id, as the `teacher_id`
# filter); the table's description names which. A row is not a resource and is not followed.
NOT_REFERENCES["GET /api/v1/analytics/tables/{table}.items[].id"] = "a report row's key"
