"""`Idempotency-Key` on the POSTs that create things (cplatform/idempotency.py): a retry replays the
first answer, a reused key with another request is refused, a key still running answers 409, keys are
the caller's own and are forgotten after a day."""

import http.client
import json
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from classroom.models import Lesson
from cplatform.models import IdempotencyKey
from tests import race
from tests.authentication.factories import PASSWORD
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.conftest import login_token
from tests.race import session_token

pytestmark = pytest.mark.django_db

wide_live_server = race.wide_live_server


def _headers(client, user, key=None) -> dict:
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, user.email, PASSWORD)}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return headers


def _book(client, headers, teacher, start, **extra):
    body = {"teacher_id": teacher.pk, "start": start.isoformat(), "length": 60, **extra}
    return client.post("/api/v1/lessons", body, content_type="application/json", **headers)


def test_a_retried_booking_with_its_key_replays_the_201_instead_of_slot_taken(client):
    teacher, learner = bookable_teacher(), student()
    start = days_ahead(3)
    headers = _headers(client, learner, key="b8c3a5e0-booking-1")

    first = _book(client, headers, teacher, start)
    retry = _book(client, headers, teacher, start)

    assert first.status_code == 201, first.content
    assert retry.status_code == 201, retry.content
    assert retry.json() == first.json()
    assert retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Lesson.objects.filter(teacher=teacher).count() == 1
    # Without the key, the same retry is what it was before: indistinguishable from losing the slot.
    blind = _book(client, _headers(client, learner), teacher, start)
    assert blind.status_code == 409
    assert blind.json()["code"] == "slot_taken"


def test_the_same_key_with_another_body_is_refused_with_its_code(client):
    teacher, learner = bookable_teacher(), student()
    headers = _headers(client, learner, key="one-intent")
    assert _book(client, headers, teacher, days_ahead(3)).status_code == 201

    other = _book(client, headers, teacher, days_ahead(4))

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Lesson.objects.filter(teacher=teacher).count() == 1


def test_the_same_json_written_differently_is_the_same_request(client):
    teacher, learner = bookable_teacher(), student()
    headers = _headers(client, learner, key="spacing")
    start = days_ahead(3).isoformat()
    compact = json.dumps({"teacher_id": teacher.pk, "start": start, "length": 60})
    spaced = json.dumps({"length": 60, "start": start, "teacher_id": teacher.pk}, indent=2)
    first = client.post("/api/v1/lessons", compact, content_type="application/json", **headers)
    again = client.post("/api/v1/lessons", spaced, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"


def test_keys_belong_to_the_caller(client):
    teacher, ana, bea = bookable_teacher(), student(), student()
    key = "shared-string"
    assert _book(client, _headers(client, ana, key), teacher, days_ahead(3)).status_code == 201
    theirs = _book(client, _headers(client, bea, key), teacher, days_ahead(4))
    assert theirs.status_code == 201
    assert not theirs.has_header("Idempotent-Replayed")
    assert Lesson.objects.filter(teacher=teacher).count() == 2


def test_a_refusal_is_replayed_too_and_invalid_input_is_not_kept(client):
    teacher, ana, bea = bookable_teacher(), student(), student()
    start = days_ahead(3)
    assert _book(client, _headers(client, ana), teacher, start).status_code == 201
    headers = _headers(client, bea, key="late")
    lost = _book(client, headers, teacher, start)
    assert lost.status_code == 409 and lost.json()["code"] == "slot_taken"
    assert _book(client, headers, teacher, start)["Idempotent-Replayed"] == "true"
    # Input the API refuses (422) never ran: the client fixes it and retries with the same key.
    fixed = _headers(client, bea, key="typo")
    assert _book(client, fixed, teacher, days_ahead(4), length="sixty").status_code == 422
    assert _book(client, fixed, teacher, days_ahead(4)).status_code == 201


def test_a_bad_key_is_a_422_naming_the_header(client):
    learner = student()
    response = _book(
        client, _headers(client, learner, "x" * 256), bookable_teacher(), days_ahead(3)
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["Idempotency-Key"]


def test_keys_are_forgotten_after_a_day(client):
    teacher, learner = bookable_teacher(), student()
    headers = _headers(client, learner, key="yesterday")
    assert _book(client, headers, teacher, days_ahead(3)).status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    fresh = IdempotencyKey.objects.create(user_id=learner.pk, key="today", fingerprint="-")

    call_command("purge_idempotency_keys", verbosity=0)

    assert list(IdempotencyKey.objects.values_list("pk", flat=True)) == [fresh.pk]
    # The key is new again: this request runs (and meets the lesson it booked yesterday).
    again = _book(client, headers, teacher, days_ahead(3))
    assert again.status_code == 409 and again.json()["code"] == "slot_taken"


def test_every_post_that_creates_documents_the_header_and_its_409(client):
    schema = client.get("/api/v1/openapi.json").json()
    creating = {
        f"POST {path}": operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method == "post" and "201" in operation["responses"]
    }
    assert len(creating) >= 10
    for name, operation in creating.items():
        parameters = {p["name"]: p for p in operation.get("parameters", [])}
        assert parameters.get("Idempotency-Key", {}).get("in") == "header", name
        assert {"409", "422"} <= set(operation["responses"]), name


def _post_all(url: str, path: str, body: str, headers: dict, n: int) -> list[tuple[int, dict]]:
    """The same request n times on n connections, released together; (status, JSON body) each."""
    parts = urlsplit(url)
    barrier = threading.Barrier(n)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def send():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        try:
            barrier.wait(timeout=60)
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            answer = (response.status, json.loads(response.read() or b"{}"))
        finally:
            conn.close()
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=send) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="races are measured on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_with_one_key_book_once_and_never_say_slot_taken(
    wide_live_server, client
):
    teacher, learner = bookable_teacher(), student()
    token = session_token(client, learner.email, 1)
    headers = {"Content-Type": "application/json", "X-Session-Token": token}
    start = days_ahead(3)
    body = json.dumps({"teacher_id": teacher.pk, "start": start.isoformat(), "length": 60})

    answers = _post_all(
        wide_live_server, "/api/v1/lessons", body, {**headers, "Idempotency-Key": "k"}, 6
    )

    print("same key:", sorted((status, b.get("code")) for status, b in answers))
    assert Lesson.objects.filter(teacher=teacher).count() == 1
    created = [b for status, b in answers if status == 201]
    waiting = [b for status, b in answers if status != 201]
    assert created and all(b == created[0] for b in created)
    assert all(b.get("code") == "idempotency_key_in_use" for b in waiting), waiting
    # Control: the same stampede without a key is six bookings racing for one slot.
    other = days_ahead(4)
    body = json.dumps({"teacher_id": teacher.pk, "start": other.isoformat(), "length": 60})
    control = _post_all(wide_live_server, "/api/v1/lessons", body, headers, 6)
    assert sorted(status for status, _ in control) == [201, 409, 409, 409, 409, 409]
    assert {b["code"] for status, b in control if status == 409} == {"slot_taken"}
