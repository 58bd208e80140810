"""Admins read and moderate every chat room, member or not — through the pages, the API and the
room's WebSocket alike, because all three ask the one rule (`inbox.rules.rooms_readable_by`).
Everyone else still meets a 404 for a room they are not in (tests/inbox/test_rooms_api.py and
test_rooms_pages.py walk every route for that)."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from inbox.models import RoomMessage
from inbox.rooms import services
from tests.authentication.factories import AdminFactory, StudentFactory, TeacherFactory
from tests.conftest import login_token
from tests.inbox.factories import course_with_room, group_room

pytestmark = pytest.mark.django_db

API = "/api/v1"


def as_(client: Client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email)}


@pytest.fixture
def rooms():
    """A course room and a group room, neither with the admin in it."""
    course, course_room, teacher, (ana, ben) = course_with_room(students=2)
    club = group_room(teacher=teacher, members=[ana], name="Chess club")
    message = services.room_message_post(actor=ana, room=course_room, body="Something unkind")
    return course_room, club, teacher, ana, ben, message


def test_an_admin_lists_every_room_through_the_api_and_a_student_only_theirs(client, rooms):
    course_room, club, _teacher, _ana, ben, _message = rooms
    admin = AdminFactory()
    other, *_ = course_with_room(students=1)
    mine = client.get(f"{API}/rooms", **as_(client, admin)).json()
    assert mine["count"] == 0
    every = client.get(f"{API}/rooms", {"scope": "all"}, **as_(client, admin)).json()
    ids = {item["id"] for item in every["items"]}
    assert {course_room.pk, club.pk, other.room.pk} <= ids
    row = next(item for item in every["items"] if item["id"] == course_room.pk)
    assert row["my_role"] is None and row["can_post"] is False and row["unread_count"] == 0
    # scope=all is "what you may read": for anyone else, their own rooms.
    bens = client.get(f"{API}/rooms", {"scope": "all"}, **as_(client, ben)).json()
    assert {item["id"] for item in bens["items"]} == {course_room.pk}


def test_an_admin_reads_a_rooms_history_and_deletes_any_message_through_the_api(client, rooms):
    course_room, _club, _teacher, _ana, _ben, message = rooms
    headers = as_(client, AdminFactory())
    assert client.get(f"{API}/rooms/{course_room.pk}", **headers).status_code == 200
    history = client.get(f"{API}/rooms/{course_room.pk}/messages", **headers).json()
    assert [m["body"] for m in history["items"]] == ["Something unkind"]
    members = client.get(f"{API}/rooms/{course_room.pk}/members", **headers).json()
    assert members["count"] == 3
    read = client.post(
        f"{API}/rooms/{course_room.pk}/read", {}, content_type="application/json", **headers
    )
    assert read.status_code == 200 and read.json()["my_role"] is None
    deleted = client.delete(f"{API}/rooms/{course_room.pk}/messages/{message.pk}", **headers)
    assert deleted.status_code == 204
    message.refresh_from_db()
    assert message.deleted_at is not None and message.body == ""


def test_an_admin_who_is_not_a_member_is_told_they_cannot_write(client, rooms):
    course_room, *_ = rooms
    response = client.post(
        f"{API}/rooms/{course_room.pk}/messages",
        {"body": "Hello"},
        content_type="application/json",
        **as_(client, AdminFactory()),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "room_not_member"
    assert RoomMessage.objects.filter(room=course_room).count() == 1


def test_every_read_operation_of_a_room_answers_an_admin_who_is_not_a_member(client, rooms):
    """Walked from the OpenAPI document: a new GET under /rooms/{room_id} that forgets admins fails."""
    course_room, _club, _teacher, ana, _ben, message = rooms
    headers = as_(client, AdminFactory())
    schema = client.get(f"{API}/openapi.json").json()
    paths = [
        path
        for path, item in schema["paths"].items()
        if path.startswith(f"{API}/rooms/{{room_id}}") and "get" in item
    ]
    assert len(paths) >= 4, paths
    for template in paths:
        path = (
            template.replace("{room_id}", str(course_room.pk))
            .replace("{message_id}", str(message.pk))
            .replace("{user_id}", str(ana.pk))
        )
        assert client.get(path, **headers).status_code == 200, template


def test_an_admin_reads_every_room_on_the_pages_and_deletes_a_message_after_asking(client, rooms):
    course_room, club, _teacher, _ana, _ben, message = rooms
    client.force_login(AdminFactory())
    listing = client.get(reverse("room-list") + "?scope=all")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert reverse("room-detail", args=[course_room.pk]) in html
    assert reverse("room-detail", args=[club.pk]) in html
    page = client.get(reverse("room-detail", args=[course_room.pk]))
    assert page.status_code == 200
    assert b"Something unkind" in page.content and b'data-testid="admin-reader"' in page.content
    delete_url = reverse("room-message-delete", args=[course_room.pk, message.pk])
    assert delete_url.encode() in page.content
    asked = client.get(delete_url)
    assert asked.status_code == 200 and b'data-testid="confirm"' in asked.content
    message.refresh_from_db()
    assert message.deleted_at is None
    assert client.post(delete_url).status_code == 302
    message.refresh_from_db()
    assert message.deleted_at is not None


def test_every_room_page_an_admin_may_read_answers_them_and_the_rest_stays_404(client, rooms):
    """Each room page by name: what an admin non-member reads or moderates answers 200; what only a
    member does (leave) or a manager (rename, delete, remove someone) or the author (edit) is 404."""
    course_room, club, _teacher, ana, _ben, _message = rooms
    message = services.room_message_post(actor=ana, room=club, body="Hi")
    client.force_login(AdminFactory())
    expected = {
        "room-detail": 200,
        "room-messages": 200,
        "room-members": 200,
        "room-message-delete": 200,
        "room-message-edit": 404,
        "room-edit": 404,
        "room-delete": 404,
        "room-leave": 404,
        "room-member-remove": 404,
    }
    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and name.startswith("room-")
    } - {"room-list", "room-create", "room-post"}
    assert names == set(expected), names ^ set(expected)
    for name, status in expected.items():
        pattern = get_resolver().reverse_dict.getlist(name)[0][0][0][1]
        kwargs = {"room_id": club.pk, "message_id": message.pk, "user_id": ana.pk}
        kwargs = {k: v for k, v in kwargs.items() if k in pattern}
        assert client.get(reverse(name, kwargs=kwargs) + "?after=0").status_code == status, name


def test_the_admin_path_is_admins_only(client, rooms):
    course_room, _club, *_ = rooms
    for user in (TeacherFactory(), StudentFactory()):
        client.force_login(user)
        listing = client.get(reverse("room-list") + "?scope=all").content.decode()
        assert reverse("room-detail", args=[course_room.pk]) not in listing
        assert client.get(reverse("room-detail", args=[course_room.pk])).status_code == 404
