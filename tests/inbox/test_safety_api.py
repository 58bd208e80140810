"""Blocks and reports through the API, and what a block does to the rule of who may write to whom."""

import pytest

from inbox.models import UserBlock
from inbox.rules import may_write, message_partners_for
from inbox.safety.models import MessageReport, ReportStatus
from tests.authentication.helpers import auth_header
from tests.conftest import login_token
from tests.inbox.safety_people import people, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def folks():
    return people()


def as_(client, user):
    return auth_header(login_token(client, user.email))


def test_a_student_blocks_their_teacher_and_neither_can_write_to_the_other(client, folks):
    assert may_write(folks.student, folks.teacher) and may_write(folks.teacher, folks.student)
    headers = as_(client, folks.student)

    response = client.post(
        "/api/v1/blocks", {"user_id": folks.teacher.pk}, content_type="application/json", **headers
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"]["user_id"] == folks.teacher.pk
    assert response["Location"].endswith(f"/api/v1/blocks/{body['id']}")
    assert client.get(response["Location"], **headers).json()["id"] == body["id"]
    assert not may_write(folks.student, folks.teacher)
    assert not may_write(folks.teacher, folks.student)
    assert folks.teacher not in message_partners_for(folks.student)
    assert folks.student not in message_partners_for(folks.teacher)
    listed = client.get("/api/v1/blocks", **headers).json()
    assert [b["user"]["user_id"] for b in listed["items"]] == [folks.teacher.pk]
    assert "email" not in str(listed["items"][0]["user"])


def test_blocking_twice_answers_the_same_block(client, folks):
    headers = as_(client, folks.student)
    first = client.post(
        "/api/v1/blocks", {"user_id": folks.teacher.pk}, content_type="application/json", **headers
    )
    second = client.post(
        "/api/v1/blocks", {"user_id": folks.teacher.pk}, content_type="application/json", **headers
    )
    assert first.json()["id"] == second.json()["id"]
    assert UserBlock.objects.filter(blocker=folks.student).count() == 1


def test_unblocking_lets_messages_go_again_and_a_repeat_answers_404(client, folks):
    headers = as_(client, folks.teacher)
    block = client.post(
        "/api/v1/blocks", {"user_id": folks.student.pk}, content_type="application/json", **headers
    ).json()
    assert not may_write(folks.student, folks.teacher)

    assert client.delete(f"/api/v1/blocks/{block['id']}", **headers).status_code == 204
    assert may_write(folks.student, folks.teacher)
    assert client.delete(f"/api/v1/blocks/{block['id']}", **headers).status_code == 404


def test_an_admin_cannot_be_blocked_and_still_writes_to_everyone(client, folks):
    headers = as_(client, folks.student)
    response = client.post(
        "/api/v1/blocks", {"user_id": folks.admin.pk}, content_type="application/json", **headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == "admin_not_blockable"
    assert may_write(folks.student, folks.admin) and may_write(folks.admin, folks.student)


def test_a_block_never_stops_an_admin_even_one_already_blocked(folks):
    UserBlock.objects.create(blocker=folks.student, blocked=folks.admin)
    assert may_write(folks.admin, folks.student)
    assert may_write(folks.student, folks.admin)


def test_someone_you_may_not_see_answers_like_an_unknown_id(client, folks):
    headers = as_(client, folks.student)
    stranger = client.post(
        "/api/v1/blocks", {"user_id": folks.stranger.pk}, content_type="application/json", **headers
    )
    unknown = client.post(
        "/api/v1/blocks", {"user_id": 987654321}, content_type="application/json", **headers
    )
    assert stranger.status_code == unknown.status_code == 404
    assert stranger.json() == unknown.json()


def test_someone_who_wrote_to_you_can_be_blocked_though_you_may_not_write_to_them(client, folks):
    write(folks.stranger, folks.student, "Hi there")  # e.g. before a course ended
    headers = as_(client, folks.student)
    response = client.post(
        "/api/v1/blocks", {"user_id": folks.stranger.pk}, content_type="application/json", **headers
    )
    assert response.status_code == 201


def test_another_persons_block_answers_404(client, folks):
    block = UserBlock.objects.create(blocker=folks.student, blocked=folks.teacher)
    headers = as_(client, folks.teacher)
    assert client.get(f"/api/v1/blocks/{block.pk}", **headers).status_code == 404
    assert client.delete(f"/api/v1/blocks/{block.pk}", **headers).status_code == 404
    assert UserBlock.objects.filter(pk=block.pk).exists()


# --- reports -------------------------------------------------------------------------------------


def report(client, user, message, **body):
    return client.post(
        f"/api/v1/messages/{message.pk}/report",
        {"reason": "harassment", "text": "Rude\nand mean", **body},
        content_type="application/json",
        **as_(client, user),
    )


def test_the_recipient_reports_a_message_and_reads_their_report_back(client, folks):
    message = write(folks.teacher, folks.student, "Something unkind")

    response = report(client, folks.student, message)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["message_id"] == message.pk
    assert body["status"] == "open" and body["reason"] == "harassment"
    assert body["text"] == "Rude\nand mean"
    headers = as_(client, folks.student)
    assert client.get(response["Location"], **headers).json() == body
    mine = client.get("/api/v1/reports", **headers).json()
    assert [r["id"] for r in mine["items"]] == [body["id"]]


def test_a_guardian_reports_a_message_in_their_childs_thread_with_a_teacher(client, folks):
    message = write(folks.teacher, folks.minor, "Meet me alone")
    response = report(client, folks.parent, message, reason="safeguarding")
    assert response.status_code == 201
    assert MessageReport.objects.get().reporter == folks.parent


@pytest.mark.parametrize("who", ["teacher", "other_teacher", "stranger", "parent"])
def test_the_sender_and_non_readers_get_404_like_a_missing_message(client, folks, who):
    # The adult student's thread: their parent (there is none) reads nothing of it.
    message = write(folks.teacher, folks.student, "Fine")
    user = getattr(folks, who)
    refused = report(client, user, message)
    missing = client.post(
        "/api/v1/messages/987654321/report",
        {"reason": "spam"},
        content_type="application/json",
        **as_(client, user),
    )
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert not MessageReport.objects.exists()


def test_one_open_report_per_reporter_and_message(client, folks):
    message = write(folks.teacher, folks.student, "Spam spam")
    assert report(client, folks.student, message).status_code == 201
    again = report(client, folks.student, message)
    assert again.status_code == 409
    assert again.json()["code"] == "already_reported"
    # Once handled, a new report may be made.
    MessageReport.objects.update(status=ReportStatus.DISMISSED)
    assert report(client, folks.student, message).status_code == 201


def test_a_reason_that_is_not_a_choice_is_422(client, folks):
    message = write(folks.teacher, folks.student)
    response = report(client, folks.student, message, reason="boring")
    assert response.status_code == 422
    assert response.json()["error_codes"]["reason"] == ["invalid_choice"]


def test_admins_list_every_report_and_filter_by_status_others_only_their_own(client, folks):
    first = MessageReport.objects.create(
        message=write(folks.teacher, folks.student), reporter=folks.student, reason="spam"
    )
    second = MessageReport.objects.create(
        message=write(folks.student, folks.teacher),
        reporter=folks.teacher,
        reason="other",
        status=ReportStatus.DISMISSED,
    )
    admin = as_(client, folks.admin)
    assert {r["id"] for r in client.get("/api/v1/reports", **admin).json()["items"]} == {
        first.pk,
        second.pk,
    }
    open_only = client.get("/api/v1/reports", {"status": "open"}, **admin).json()
    assert [r["id"] for r in open_only["items"]] == [first.pk]
    teacher = as_(client, folks.teacher)
    assert [r["id"] for r in client.get("/api/v1/reports", **teacher).json()["items"]] == [
        second.pk
    ]
    assert client.get(f"/api/v1/reports/{first.pk}", **teacher).status_code == 404
    assert client.get(f"/api/v1/reports/{first.pk}", **admin).status_code == 200


# --- no query per row ----------------------------------------------------------------------------


def _queries(client, url, headers=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, **(headers or {}))  # warm: the session, roles and caches of a first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **(headers or {}))
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def _more_reports(folks, n):
    from tests.authentication.factories import StudentFactory

    for _ in range(n):
        other = StudentFactory()
        MessageReport.objects.create(
            message=write(folks.teacher, other, "Hm"), reporter=other, reason="spam"
        )
        UserBlock.objects.create(blocker=folks.admin, blocked=other)


def test_the_lists_and_the_queue_take_as_many_queries_for_one_row_as_for_many(client, folks):
    MessageReport.objects.create(
        message=write(folks.teacher, folks.student), reporter=folks.student, reason="spam"
    )
    headers = as_(client, folks.admin)
    client.force_login(folks.admin)
    urls = ("/api/v1/reports", "/api/v1/blocks", "/admin/reported_messages/", "/inbox/blocked/")
    UserBlock.objects.create(blocker=folks.admin, blocked=folks.stranger)
    few = {url: _queries(client, url, headers if url.startswith("/api") else None) for url in urls}
    _more_reports(folks, 12)
    many = {url: _queries(client, url, headers if url.startswith("/api") else None) for url in urls}
    assert few == many


def test_the_guardian_page_takes_as_many_queries_for_one_thread_as_for_many(client, folks):
    write(folks.teacher, folks.minor, "One")
    client.force_login(folks.parent)
    few = _queries(client, "/inbox/children/")
    for n in range(8):
        write(folks.teacher, folks.minor, f"Thread {n}", subject=f"Topic {n}")
    many = _queries(client, "/inbox/children/")
    assert few == many
