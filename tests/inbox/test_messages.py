"""Direct messages through the API and the pages: the one rule of who may write to whom as a matrix
of every pair of people, the same refusal for a refused and an unknown recipient, forbidden ==
missing for every message and thread operation, what a guardian reads, and the folders."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from postman.models import Message

from cplatform.exceptions import ValidationFailed
from inbox.messaging import services
from inbox.models import UserBlock
from inbox.rules import RECIPIENT_NOT_ALLOWED
from tests.authentication.consent import child
from tests.authentication.factories import (
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.courses.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
MISSING = 987654321


@dataclass
class People:
    teacher: object
    other_teacher: object
    student: object
    minor: object  # under 16, no guardian's consent yet
    minor_parent: object  # the minor's linked guardian, who has not consented yet
    minor_ok: object  # under 16, consented
    parent: object  # the consenting guardian of minor_ok
    admin: object
    unrelated: object  # a student of nobody's here
    blocker: object  # a student of the teacher who blocked the teacher

    def all(self) -> dict[str, object]:
        return dict(self.__dict__)


@pytest.fixture
def people() -> People:
    teacher = TeacherFactory(first_name="Tess", last_name="Teacher")
    course = CourseFactory(owner=teacher)
    student = StudentFactory(first_name="Sam", last_name="Student")
    minor, minor_parent = child(age=12, consent=False)
    minor_ok, parent = child(age=12, consent=True)
    blocker = StudentFactory(first_name="Bo")
    for learner in (student, minor, minor_ok, blocker):
        EnrollmentFactory(course=course, student=learner)
    UserBlock.objects.create(blocker=blocker, blocked=teacher)
    return People(
        teacher=teacher,
        other_teacher=TeacherFactory(first_name="Otto"),
        student=student,
        minor=minor,
        minor_parent=minor_parent,
        minor_ok=minor_ok,
        parent=parent,
        admin=AdminFactory(first_name="Ada"),
        unrelated=StudentFactory(first_name="Uma"),
        blocker=blocker,
    )


# Who may write to whom (sender → the set of recipients allowed); everyone else is refused.
def allowed(p: People) -> dict[str, set[str]]:
    everyone = set(p.all())
    return {
        # Teachers write to their students (not one held by the consent gate) and their parents.
        "teacher": {"other_teacher", "student", "minor_ok", "parent", "minor_parent", "admin"},
        "other_teacher": {"teacher", "admin"},
        "student": {"teacher", "admin"},
        "minor": set(),  # held by the consent gate: refused with the consent code
        "minor_ok": {"teacher", "admin"},
        "parent": {"teacher", "admin"},
        "minor_parent": {"teacher", "admin"},
        # Admins write to anyone but a student held by the consent gate.
        "admin": everyone - {"admin", "minor"},
        "unrelated": {"admin"},
        "blocker": {"admin"},
    }


def post(client, user, url, payload=None, **extra):
    client.force_login(user)
    return client.post(url, json.dumps(payload or {}), content_type="application/json", **extra)


def send_api(client, sender, recipient_id, subject="Hello", body="A question about fractions."):
    return post(
        client,
        sender,
        f"{API}/messages",
        {"recipient_id": recipient_id, "subject": subject, "body": body},
    )


def test_the_rule_as_a_matrix_of_every_pair_through_the_api(client, people):
    everyone = people.all()
    rule = allowed(people)
    unknown_answer = None
    for sender_name, sender in everyone.items():
        for recipient_name, recipient in everyone.items():
            if sender_name == recipient_name:
                continue
            response = send_api(client, sender, recipient.pk)
            body = response.json()
            if sender_name == "minor":
                assert response.status_code == 403, body
                assert body["code"] == "guardian_consent_required"
                assert "guardian" in body["detail"] and "Family links" in body["detail"]
            elif recipient_name in rule[sender_name]:
                assert response.status_code == 201, (sender_name, recipient_name, body)
                assert body["recipient"]["user_id"] == recipient.pk
                assert response["Location"].endswith(f"/api/v1/messages/{body['id']}")
            else:
                assert response.status_code == 422, (sender_name, recipient_name, body)
                assert body["code"] == RECIPIENT_NOT_ALLOWED
                unknown = send_api(client, sender, MISSING)
                assert unknown.status_code == 422
                assert unknown.json() == body  # a refused person answers exactly like nobody
                unknown_answer = body
    assert unknown_answer["errors"] == {"recipient_id": ["You cannot write to this person."]}


def test_the_chooser_offers_exactly_the_allowed_people_by_name_never_email(client, people):
    everyone = people.all()
    rule = allowed(people)
    for sender_name, sender in everyone.items():
        client.force_login(sender)
        html = client.get("/messages/new/").content.decode()
        offered = {int(v) for v in re.findall(r'<option value="(\d+)"', html)}
        expected = {everyone[name].pk for name in rule[sender_name]}
        assert offered == expected, sender_name
        assert "@example" not in html.split('id="main"')[1]
        api = client.get(f"{API}/messages/partners?limit=100").json()
        assert {p["user_id"] for p in api["items"]} == expected, sender_name


def test_a_person_writes_through_the_page_and_the_other_replies_in_the_thread(client, people):
    client.force_login(people.student)
    response = client.post(
        "/messages/new/",
        {"recipient": people.teacher.pk, "subject": "Homework", "body": "Is it due Friday?"},
    )
    message = Message.objects.get(sender=people.student)
    assert (
        response.status_code == 302 and response["Location"] == f"/messages/threads/{message.pk}/"
    )
    client.force_login(people.teacher)
    inbox = client.get("/messages/").content.decode()
    assert 'data-testid="unread-messages">1' in inbox and "Homework" in inbox
    thread = client.get(f"/messages/threads/{message.pk}/").content.decode()
    assert "Is it due Friday?" in thread and "Sam Student" in thread
    assert 'data-testid="unread-messages"' not in client.get("/messages/").content.decode()
    reply = client.post(f"/messages/{message.pk}/reply/", {"body": "Yes, Friday."})
    assert reply.status_code == 302
    answer = Message.objects.get(sender=people.teacher)
    assert answer.thread_id == message.pk and answer.recipient == people.student
    assert answer.subject == "Re: Homework"
    client.force_login(people.student)
    thread = client.get(f"/api/v1/threads/{message.pk}").json()
    assert [m["body"] for m in thread["messages"]] == ["Is it due Friday?", "Yes, Friday."]
    assert thread["guardians_can_read"] is False


def test_a_refused_page_post_answers_like_an_unknown_recipient(client, people):
    client.force_login(people.unrelated)
    answers = []
    for recipient_id in (people.teacher.pk, MISSING):
        response = client.post(
            "/messages/new/", {"recipient": recipient_id, "subject": "Hi", "body": "Hello"}
        )
        assert response.status_code == 200
        main = response.content.decode().split('id="main"')[1]
        answers.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main))
    assert "You cannot write to this person." in answers[0]
    assert answers[0] == answers[1]
    assert not Message.objects.exists()


@pytest.fixture
def thread(people):
    first = services.message_send(
        sender=people.minor_ok, recipient_id=people.teacher.pk, subject="Q", body="Question"
    )
    services.message_reply(sender=people.teacher, message_id=first.pk, body="Answer")
    return first


OPERATIONS = [
    ("get", "/api/v1/messages/{id}"),
    ("get", "/api/v1/threads/{id}"),
    ("post", "/api/v1/messages/{id}/reply"),
    ("post", "/api/v1/messages/{id}/reply/with-attachments"),
    ("post", "/api/v1/messages/{id}/archive"),
    ("post", "/api/v1/messages/{id}/unarchive"),
    ("delete", "/api/v1/messages/{id}"),
    ("post", "/api/v1/messages/{id}/restore"),
    ("post", "/api/v1/messages/{id}/read"),
    ("get", "/messages/threads/{id}/"),
    ("get", "/messages/{id}/archive/"),
    ("post", "/messages/{id}/archive/"),
    ("get", "/messages/{id}/delete/"),
    ("post", "/messages/{id}/delete/"),
    ("post", "/messages/{id}/restore/"),
    ("post", "/messages/{id}/unarchive/"),
    ("post", "/messages/{id}/reply/"),
    # Reporting (inbox/safety): only a reader who is not the sender.
    ("post", "/api/v1/messages/{id}/report"),
    ("get", "/inbox/messages/{id}/report/"),
]


def _call(client, method, url):
    if url.endswith("/with-attachments"):
        return client.post(url, {"body": "x"})  # the multipart twin: a form, as clients send it
    if url.startswith("/api/") and method == "post":
        body = {"reason": "spam"} if url.endswith("/report") else {"body": "x"}
        return client.post(url, json.dumps(body), content_type="application/json")
    if url.startswith("/api/"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, {"body": "x"} if method == "post" else None)


def test_every_message_operation_answers_a_non_participant_as_a_missing_id(client, people, thread):
    """Every message route of the API and the pages (taken from the URL resolver) is listed."""
    from django.urls import get_resolver

    from cplatform.api import api

    api_paths = {
        p
        for p in api.get_openapi_schema()["paths"]
        if ("{message_id}" in p or "{thread_id}" in p) and not p.startswith("/api/v1/rooms/")
    }
    listed = {u.replace("{id}", "{message_id}").removeprefix("/api/v1") for _m, u in OPERATIONS}
    listed |= {"/threads/{thread_id}"}
    assert api_paths - {"/api/v1" + p for p in listed} == set()
    page_routes = {
        p.name
        for p in get_resolver("inbox.messaging.urls").url_patterns
        if "message_id>" in str(p.pattern) or "thread_id>" in str(p.pattern)
    }
    assert len(page_routes) == 6

    for outsider in (people.other_teacher, people.unrelated, ParentFactory()):
        client.force_login(outsider)
        for method, url in OPERATIONS:
            forbidden = _call(client, method, url.format(id=thread.pk))
            missing = _call(client, method, url.format(id=MISSING))
            assert forbidden.status_code == missing.status_code == 404, (method, url)
            if url.startswith("/api/"):
                assert forbidden.json() == missing.json()
    assert Message.objects.filter(thread_id=thread.pk).count() == 2
    assert Message.objects.get(pk=thread.pk).read_at is None  # nobody opened it


def test_a_guardian_reads_exactly_their_minor_childs_teacher_threads(client, people, thread):
    # Another thread of the child's (with an admin) and the teacher's with an adult student.
    services.message_send(
        sender=people.minor_ok, recipient_id=people.admin.pk, subject="A", body="a"
    )
    adult = services.message_send(
        sender=people.student, recipient_id=people.teacher.pk, subject="B", body="b"
    )
    client.force_login(people.parent)
    answer = client.get(f"{API}/threads/{thread.pk}").json()
    assert answer["read_as_guardian"] is True and answer["guardians_can_read"] is True
    assert [m["body"] for m in answer["messages"]] == ["Question", "Answer"]
    assert client.get(f"{API}/threads/{adult.pk}").status_code == 404
    listed = client.get(f"{API}/messages?folder=children").json()["items"]
    assert [m["thread_id"] for m in listed] == [thread.pk]
    for reader in (people.teacher, people.minor_ok, people.student):
        client.force_login(reader)
        assert client.get(f"{API}/messages?folder=children").json()["count"] == 0
    client.force_login(people.parent)
    page = client.get(f"/messages/threads/{thread.pk}/").content.decode()
    assert 'data-testid="guardian-reader"' in page and "Send reply" not in page
    inbox = client.get("/messages/").content.decode()
    assert (
        f"/messages/threads/{thread.pk}/" in inbox and f"/messages/threads/{adult.pk}/" not in inbox
    )
    # Reading is not taking part: a reply is refused, and the teacher's messages stay unread.
    refused = post(client, people.parent, f"{API}/messages/{thread.pk}/reply", {"body": "Hi"})
    assert refused.status_code == 403
    assert Message.objects.get(pk=thread.pk).read_at is None
    # Both people are told that guardians can read it.
    for person in (people.teacher, people.minor_ok):
        client.force_login(person)
        html = client.get(f"/messages/threads/{thread.pk}/").content.decode()
        assert 'data-testid="guardians-can-read"' in html


def test_folders_archive_trash_restore_and_read_marks(client, people):
    message = send_api(client, people.student, people.teacher.pk).json()
    mid = message["id"]
    client.force_login(people.teacher)

    def folder(name):
        return [m["id"] for m in client.get(f"{API}/messages?folder={name}").json()["items"]]

    assert client.get(f"{API}/messages/unread-count").json() == {"unread": 1}
    assert folder("inbox") == [mid]
    assert post(client, people.teacher, f"{API}/messages/{mid}/read").json()["unread"] is False
    assert client.get(f"{API}/messages/unread-count").json() == {"unread": 0}
    assert post(client, people.teacher, f"{API}/messages/{mid}/archive").json()["archived"]
    assert folder("inbox") == [] and folder("archive") == [mid]
    post(client, people.teacher, f"{API}/messages/{mid}/unarchive")
    assert folder("inbox") == [mid]
    assert client.delete(f"{API}/messages/{mid}").status_code == 204
    assert client.delete(f"{API}/messages/{mid}").status_code == 404  # a repeat: already gone
    assert folder("inbox") == [] and folder("trash") == [mid]
    assert post(client, people.teacher, f"{API}/messages/{mid}/restore").json()["in_trash"] is False
    assert folder("inbox") == [mid]
    # The sender's copy is theirs alone.
    client.force_login(people.student)
    assert folder("sent") == [mid] and folder("trash") == []
    # Pages ask before archiving or deleting, and do it on POST.
    client.force_login(people.teacher)
    ask = client.get(f"/messages/{mid}/delete/")
    assert ask.status_code == 200 and 'method="post"' in ask.content.decode()
    assert folder("inbox") == [mid]
    assert client.post(f"/messages/{mid}/delete/").status_code == 302
    assert folder("trash") == [mid]


def test_a_block_after_a_thread_began_refuses_the_reply_with_the_same_code(client, people):
    first = services.message_send(
        sender=people.student, recipient_id=people.teacher.pk, subject="S", body="b"
    )
    UserBlock.objects.create(blocker=people.student, blocked=people.teacher)
    response = post(client, people.teacher, f"{API}/messages/{first.pk}/reply", {"body": "Hi"})
    assert response.status_code == 422 and response.json()["code"] == RECIPIENT_NOT_ALLOWED


def test_sending_announces_the_event_once_committed(people, django_capture_on_commit_callbacks):
    from inbox.signals import direct_message_sent, direct_message_sent_committed

    heard = []

    def now(**kw):
        heard.append(("now", kw["message"].pk))

    def committed(**kw):
        heard.append(("committed", kw["actor"].pk))

    direct_message_sent.connect(now)
    direct_message_sent_committed.connect(committed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = services.message_send(
                sender=people.student, recipient_id=people.teacher.pk, subject="S", body="b"
            )
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
            services.message_send(
                sender=people.student, recipient_id=people.unrelated.pk, subject="S", body="b"
            )
    finally:
        direct_message_sent.disconnect(now)
        direct_message_sent_committed.disconnect(committed)
    assert heard == [("now", message.pk), ("committed", people.student.pk)]


def test_bad_input_is_a_clear_422(client, people):
    for payload in (
        {"recipient_id": people.teacher.pk, "subject": "", "body": "x"},
        {"recipient_id": people.teacher.pk, "subject": "s" * 121, "body": "x"},
        {"recipient_id": "x", "subject": "s", "body": "x"},
        {"recipient_id": people.teacher.pk, "subject": "s", "body": "x", "cc": 1},
    ):
        response = post(client, people.student, f"{API}/messages", payload)
        assert response.status_code == 422, payload
    assert client.get(f"{API}/messages?folder=spam").status_code == 422
