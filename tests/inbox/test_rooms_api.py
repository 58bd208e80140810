"""The rooms API as people use it: my rooms with unread counts, a group room made and changed by its
teacher, posting with mentions, editing and deleting, cursor-paged history and `after=` polling, read
markers, and the same 404 for a non-member as for a missing id on every room operation."""

import pytest
from django.test import Client

from inbox.models import RoomMessage
from inbox.rooms import services
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.conftest import login_token
from tests.inbox.factories import bulk_messages, course_with_room
from tests.query_budget import assert_constant_queries, json_rows

pytestmark = pytest.mark.django_db

API = "/api/v1"


def as_(client: Client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email)}


@pytest.fixture
def course_room():
    return course_with_room(students=2)


def test_a_student_lists_their_course_room_with_its_unread_count(client, course_room):
    course, room, teacher, (ana, ben) = course_room
    services.room_message_post(actor=teacher, room=room, body="Welcome!")
    services.room_message_post(actor=ben, room=room, body="Hi all")
    body = client.get(f"{API}/rooms", **as_(client, ana)).json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == room.pk and item["kind"] == "course"
    assert item["name"] == course.title and item["course"]["course_id"] == course.pk
    assert item["unread_count"] == 2 and item["my_role"] == "student"
    assert item["can_post"] is True and item["can_manage"] is False


def test_posting_mentions_and_polling_after_the_last_id(client, course_room):
    course, room, teacher, (ana, ben) = course_room
    headers = as_(client, teacher)
    response = client.post(
        f"{API}/rooms/{room.pk}/messages",
        {"body": f"@{ana.name} please read page 12"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="first-post",
        **headers,
    )
    assert response.status_code == 201, response.content
    message = response.json()
    assert [p["user_id"] for p in message["mentions"]] == [ana.pk]
    assert response["Location"].endswith(f"/api/v1/rooms/{room.pk}/messages/{message['id']}")
    replay = client.post(
        f"{API}/rooms/{room.pk}/messages",
        {"body": f"@{ana.name} please read page 12"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="first-post",
        **headers,
    )
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert RoomMessage.objects.filter(room=room).count() == 1

    ana_headers = as_(client, ana)
    nothing_new = client.get(
        f"{API}/rooms/{room.pk}/messages", {"after": message["id"]}, **ana_headers
    ).json()
    assert nothing_new["items"] == [] and nothing_new["has_newer"] is False
    services.room_message_post(actor=ben, room=room, body="On it")
    fresh = client.get(f"{API}/rooms/{room.pk}/messages", {"after": message["id"]}, **ana_headers)
    assert [m["body"] for m in fresh.json()["items"]] == ["On it"]


def test_history_pages_back_by_cursor_without_gaps_or_repeats(client, course_room):
    course, room, teacher, (ana, _ben) = course_room
    bulk_messages(room, teacher, 75)
    headers = as_(client, ana)
    seen, before = [], None
    while True:
        params = {"limit": 20, **({"before": before} if before else {})}
        page = client.get(f"{API}/rooms/{room.pk}/messages", params, **headers).json()
        ids = [m["id"] for m in page["items"]]
        assert ids == sorted(ids)
        seen = ids + seen
        if not page["has_older"]:
            break
        before = ids[0]
    assert seen == list(
        RoomMessage.objects.filter(room=room).order_by("pk").values_list("pk", flat=True)
    )
    forward, after = [], 0
    while True:
        page = client.get(
            f"{API}/rooms/{room.pk}/messages", {"after": after, "limit": 30}, **headers
        ).json()
        forward += [m["id"] for m in page["items"]]
        if not page["has_newer"]:
            break
        after = forward[-1]
    assert forward == seen


def test_a_history_page_refuses_a_limit_above_the_maximum_and_both_cursors(client, course_room):
    course, room, teacher, _ = course_room
    headers = as_(client, teacher)
    too_many = client.get(f"{API}/rooms/{room.pk}/messages", {"limit": 101}, **headers)
    assert too_many.status_code == 422 and "limit" in too_many.json()["errors"]
    both = client.get(f"{API}/rooms/{room.pk}/messages", {"before": 5, "after": 1}, **headers)
    assert both.status_code == 422 and "after" in both.json()["errors"]


def test_edit_and_delete_own_and_the_teacher_deletes_anyones(client, course_room):
    course, room, teacher, (ana, ben) = course_room
    message = services.room_message_post(actor=ana, room=room, body="Helo")
    url = f"{API}/rooms/{room.pk}/messages/{message.pk}"
    refused = client.patch(
        url, {"body": "mine"}, content_type="application/json", **as_(client, ben)
    )
    assert refused.status_code == 403
    edited = client.patch(
        url, {"body": "Hello"}, content_type="application/json", **as_(client, ana)
    )
    assert edited.status_code == 200 and edited.json()["body"] == "Hello"
    assert edited.json()["edited_at"] is not None
    assert client.delete(url, **as_(client, ben)).status_code == 403
    assert client.delete(url, **as_(client, teacher)).status_code == 204
    shown = client.get(url, **as_(client, ana)).json()
    assert shown["deleted"] is True and shown["body"] == ""
    assert client.delete(url, **as_(client, teacher)).status_code == 404  # a repeat
    again = client.patch(url, {"body": "back"}, content_type="application/json", **as_(client, ana))
    assert again.status_code == 409 and again.json()["code"] == "room_message_deleted"


def test_reading_moves_the_marker_forward_only(client, course_room):
    course, room, teacher, (ana, _ben) = course_room
    first = services.room_message_post(actor=teacher, room=room, body="One")
    services.room_message_post(actor=teacher, room=room, body="Two")
    headers = as_(client, ana)
    url = f"{API}/rooms/{room.pk}/read"
    marked = client.post(
        url, {"last_read_id": first.pk}, content_type="application/json", **headers
    )
    assert marked.json()["unread_count"] == 1 and marked.json()["last_read_id"] == first.pk
    everything = client.post(url, {}, content_type="application/json", **headers).json()
    assert everything["unread_count"] == 0
    back = client.post(url, {"last_read_id": 0}, content_type="application/json", **headers).json()
    assert back["last_read_id"] == everything["last_read_id"]


def test_a_teacher_makes_renames_fills_and_deletes_a_group_room(client, course_room):
    course, _room, teacher, (ana, ben) = course_room
    headers = as_(client, teacher)
    created = client.post(
        f"{API}/rooms",
        {"name": "Debate club", "member_ids": [ana.pk]},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    room_id = created.json()["id"]
    assert created.json()["can_manage"] is True and created.json()["member_count"] == 2
    stranger = StudentFactory()
    refused = client.post(
        f"{API}/rooms/{room_id}/members",
        {"member_ids": [stranger.pk]},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "room_member_not_allowed"
    assert refused.json()["error_codes"] == {"member_ids": ["room_member_not_allowed"]}
    added = client.post(
        f"{API}/rooms/{room_id}/members",
        {"member_ids": [ben.pk]},
        content_type="application/json",
        **headers,
    )
    assert [m["user"]["user_id"] for m in added.json()] == [ben.pk]
    renamed = client.patch(
        f"{API}/rooms/{room_id}", {"name": "Debating"}, content_type="application/json", **headers
    )
    assert renamed.json()["name"] == "Debating"
    assert client.delete(f"{API}/rooms/{room_id}/members/{ben.pk}", **headers).status_code == 204
    # Ana leaves by removing herself.
    assert (
        client.delete(f"{API}/rooms/{room_id}/members/{ana.pk}", **as_(client, ana)).status_code
        == 204
    )
    assert client.get(f"{API}/rooms/{room_id}", **as_(client, ana)).status_code == 404
    assert client.delete(f"{API}/rooms/{room_id}", **headers).status_code == 204


def test_students_cannot_make_rooms(client, course_room):
    _course, _room, _teacher, (ana, _ben) = course_room
    response = client.post(
        f"{API}/rooms",
        {"name": "Ours", "member_ids": [ana.pk]},
        content_type="application/json",
        **as_(client, ana),
    )
    assert response.status_code == 403


def test_a_non_member_gets_the_same_404_as_a_missing_id_on_every_room_operation(
    client, course_room
):
    """Every operation of the schema under /rooms/{room_id}, walked from the OpenAPI document."""
    _course, room, teacher, (ana, _ben) = course_room
    message = services.room_message_post(actor=teacher, room=room, body="Hi")
    outsider = as_(client, TeacherFactory())
    schema = client.get(f"{API}/openapi.json").json()
    operations = [
        (method, path)
        for path, item in schema["paths"].items()
        if path.startswith(f"{API}/rooms/{{room_id}}")
        for method in item
        if method in {"get", "post", "patch", "delete"}
    ]
    assert len(operations) >= 10
    bodies = {"post": {"body": "x", "member_ids": [ana.pk]}, "patch": {"name": "x"}}
    for method, template in operations:
        answers = []
        for room_id in (room.pk, 987654321):
            path = (
                template.replace("{room_id}", str(room_id))
                .replace("{message_id}", str(message.pk))
                .replace("{user_id}", str(ana.pk))
            )
            if template.endswith("/read"):
                data = {}
            elif template.endswith("/members"):
                data = {"member_ids": [ana.pk]}
            elif (
                template.endswith("/messages")
                and method == "post"
                or template.endswith("{message_id}")
                and method == "patch"
            ):
                data = {"body": "x"}
            else:
                data = bodies.get(method)
            call = getattr(client, method)
            if template.endswith("/with-attachments"):
                # The multipart twin of posting: a form with the message, as a client sends it.
                response = client.post(path, {"body": "x"}, **outsider)
            elif method in ("post", "patch"):
                response = call(path, data, content_type="application/json", **outsider)
            else:
                response = call(path, **outsider)
            answers.append((response.status_code, response.json()))
        assert answers[0] == answers[1], (method, template, answers)
        assert answers[0][0] == 404, (method, template, answers)


def test_my_rooms_list_costs_the_same_for_2_and_30_rooms(client):
    teacher = TeacherFactory()
    rooms = []

    def add(n):
        for _ in range(n):
            _c, room, _t, _s = course_with_room(students=1, teacher=teacher)
            services.room_message_post(actor=teacher, room=room, body="Hi")
            rooms.append(room)

    add(2)
    headers = as_(client, teacher)
    assert_constant_queries(
        lambda: client.get(f"{API}/rooms", {"limit": 100}, **headers),
        grow=lambda: add(28),
        rows=json_rows,
    )


def test_a_rooms_history_costs_the_same_for_10_and_10000_messages(client, course_room):
    _course, room, teacher, (ana, _ben) = course_room
    bulk_messages(room, teacher, 10)
    services.room_message_post(actor=teacher, room=room, body=f"@{ana.name} hi")
    headers = as_(client, ana)

    def history():
        return client.get(f"{API}/rooms/{room.pk}/messages", {"limit": 100}, **headers)

    first = history().json()["items"]
    assert first[-1]["mentions"][0]["user_id"] == ana.pk  # mentions come with the page

    def rows(response):
        ids = [m["id"] for m in response.json()["items"]]
        newest = RoomMessage.objects.filter(room=room).order_by("-pk").values_list("pk", flat=True)
        assert ids == sorted(newest[:100]), "the newest page, oldest first"
        return len(ids)

    assert_constant_queries(history, grow=lambda: bulk_messages(room, teacher, 10_000), rows=rows)
