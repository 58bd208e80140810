"""The room pages as people use them: my rooms with unread counts, a room's history (newest at the
bottom, older pages, deleted messages keep their place, mentions marked), writing, the fragment the
page polls, group rooms made and changed by their teacher, and a 404 for a non-member on every room
page (walked from the URL resolver)."""

import re

import pytest
from django.urls import get_resolver

from inbox.models import RoomMember
from inbox.rooms import services
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.inbox.factories import bulk_messages, course_with_room
from tests.query_budget import assert_constant_queries, html_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_room():
    return course_with_room(students=2)


def test_my_rooms_show_the_unread_count(client, course_room):
    course, room, teacher, (ana, _ben) = course_room
    services.room_message_post(actor=teacher, room=room, body="Welcome")
    client.force_login(ana)
    html = client.get("/rooms/").content.decode()
    assert course.title in html and "1 unread" in html


def test_a_room_shows_history_oldest_first_and_reading_it_marks_it_read(client, course_room):
    course, room, teacher, (ana, ben) = course_room
    services.room_message_post(actor=teacher, room=room, body="First")
    gone = services.room_message_post(actor=ben, room=room, body="Oops")
    services.room_message_delete(actor=ben, message=gone)
    last = services.room_message_post(actor=teacher, room=room, body=f"Hi @{ana.name}")
    client.force_login(ana)
    html = client.get(f"/rooms/{room.pk}/").content.decode()
    assert html.index("First") < html.index("Message deleted") < html.index("Hi ")
    assert f'<mark class="mention">@{ana.name}</mark>' in html
    assert "Oops" not in html
    assert RoomMember.objects.get(room=room, user=ana).last_read_id == last.pk


def test_older_messages_load_by_cursor(client, course_room):
    course, room, teacher, (ana, _ben) = course_room
    bulk_messages(room, teacher, 45)
    client.force_login(ana)
    html = client.get(f"/rooms/{room.pk}/").content.decode()
    assert "Message 44" in html and "Message 14" not in html
    older = re.search(r'href="([^"]*\?before=\d+)#history"', html).group(1)
    earlier = client.get(older).content.decode()
    assert "Message 14" in earlier and "Message 44" not in earlier


def test_writing_in_a_room_and_the_fragment_of_new_messages(client, course_room):
    course, room, teacher, (ana, ben) = course_room
    client.force_login(ana)
    page = client.get(f"/rooms/{room.pk}/").content.decode()
    last_id = int(re.search(r'data-last-id="(\d+)"', page).group(1))
    response = client.post(f"/rooms/{room.pk}/post/", {"body": f"Hello @{ben.first_name}"})
    assert response.status_code == 302
    fragment = client.get(f"/rooms/{room.pk}/messages/", {"after": last_id}).content.decode()
    assert fragment.count("data-message-id") == 1 and "Hello" in fragment
    empty = client.post(f"/rooms/{room.pk}/post/", {"body": "  "})
    assert empty.status_code == 422


def test_a_held_student_reads_and_is_told_why_they_cannot_write(client, course_room):
    from tests.authentication.consent import child

    course, room, teacher, _ = course_room
    kid, _parent = child(age=12, consent=False)
    RoomMember.objects.create(room=room, user=kid, role="student")
    client.force_login(kid)
    html = client.get(f"/rooms/{room.pk}/").content.decode()
    assert "needs to give consent first" in html and 'name="body"' not in html
    assert client.post(f"/rooms/{room.pk}/post/", {"body": "Hi"}).status_code == 422


def test_a_teacher_makes_a_group_room_on_the_page(client, course_room):
    course, _room, teacher, (ana, ben) = course_room
    client.force_login(teacher)
    form = client.get("/rooms/new/").content.decode()
    assert ana.name in form and "@example.com" not in form  # names, never addresses
    response = client.post("/rooms/new/", {"name": "Debate", "members": [ana.pk, ben.pk]})
    assert response.status_code == 302
    room_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert set(RoomMember.objects.filter(room_id=room_id).values_list("user_id", flat=True)) == {
        teacher.pk,
        ana.pk,
        ben.pk,
    }
    refused = client.post("/rooms/new/", {"name": "Debate", "members": [StudentFactory().pk]})
    assert (
        refused.status_code == 200 and RoomMember.objects.filter(room__name="Debate").count() == 3
    )


def _room_routes():
    """Every room page of the URL resolver that takes a room id: name → example path."""
    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and (name.startswith("room-") or name == "room-detail")
    }
    return sorted(n for n in names if n not in {"room-list", "room-create"})


def test_a_non_member_gets_the_same_404_as_a_missing_room_on_every_room_page(client, course_room):
    from django.urls import reverse

    course, room, teacher, (ana, _ben) = course_room
    message = services.room_message_post(actor=ana, room=room, body="Hi")
    client.force_login(TeacherFactory())
    routes = _room_routes()
    assert len(routes) >= 10, routes
    for name in routes:
        pattern = get_resolver().reverse_dict.getlist(name)[0][0][0][1]
        kwargs = {"room_id": room.pk, "message_id": message.pk, "user_id": ana.pk}
        kwargs = {k: v for k, v in kwargs.items() if k in pattern}
        for method in ("get", "post"):
            real = getattr(client, method)(reverse(name, kwargs=kwargs) + "?after=0")
            missing = getattr(client, method)(
                reverse(name, kwargs={**kwargs, "room_id": 987654321}) + "?after=0"
            )
            if real.status_code == 405:
                assert missing.status_code == 405, (name, method)
                continue
            assert real.status_code == missing.status_code == 404, (name, method, real.status_code)


def test_a_rooms_page_costs_the_same_for_10_and_10000_messages(client, course_room):
    course, room, teacher, (ana, _ben) = course_room
    bulk_messages(room, teacher, 10)
    services.room_message_post(actor=teacher, room=room, body=f"@{ana.name} hi")
    client.force_login(ana)
    assert_constant_queries(
        lambda: client.get(f"/rooms/{room.pk}/"),
        grow=lambda: bulk_messages(room, teacher, 10_000),
        rows=html_rows("data-message-id="),
    )


def test_my_rooms_page_costs_the_same_for_2_and_30_rooms(client):
    teacher = TeacherFactory()

    def add(n):
        for _ in range(n):
            _c, room, _t, _s = course_with_room(students=1, teacher=teacher)
            services.room_message_post(actor=teacher, room=room, body="Hi")

    add(2)
    client.force_login(teacher)
    assert_constant_queries(
        lambda: client.get("/rooms/"),
        grow=lambda: add(28),
        rows=html_rows('class="card room-card"'),
    )
