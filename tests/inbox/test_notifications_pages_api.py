"""The feed and settings pages, the API (list, one, mark read, unread count, settings), and their
query budgets with 10 vs 10,000 notifications."""

from __future__ import annotations

import pytest
from django.utils import timezone

from inbox.notifications.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSettings,
)
from inbox.notifications.services import notify
from tests.authentication.factories import ParentFactory, StudentFactory, TeacherFactory
from tests.conftest import login_token
from tests.query_budget import assert_constant_queries, html_rows, json_rows

pytestmark = pytest.mark.django_db

DATA = {"material_title": "Verb table", "start": "2027-01-20T15:00:00+00:00"}


def _tell(person, actor, n=1):
    return [
        notify(
            recipient=person,
            kind=NotificationKind.MATERIAL_SHARED,
            actor=actor,
            url="/lessons/",
            data=DATA,
        )
        for _ in range(n)
    ]


def _bulk(person, actor, n):
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=NotificationKind.MATERIAL_SHARED,
            actor=actor,
            url="/lessons/",
            data=DATA,
            created_at=now,
        )
        for _ in range(n)
    )


@pytest.fixture
def people():
    return StudentFactory(first_name="Ana"), TeacherFactory(first_name="Tom", last_name="T")


def _api(client, user):
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email)}


def test_the_feed_shows_the_newest_first_marks_unread_and_the_header_badge_counts(client, people):
    person, actor = people
    first, second = _tell(person, actor, 2)
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    client.force_login(person)
    page = client.get("/notifications/").content.decode()
    assert page.count('data-testid="notification"') == 2
    assert page.index(f"/notifications/{second.pk}/") < page.index(f"/notifications/{first.pk}/")
    assert page.count("notif--unread") == 1
    assert 'data-testid="notifications-badge">1<' in page
    assert "Tom T shared “Verb table”" in page
    assert actor.email not in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, people):
    person, actor = people
    (one,) = _tell(person, actor)
    client.force_login(person)
    response = client.get(f"/es/notifications/{one.pk}/")
    assert response.status_code == 302 and response["Location"] == "/es/lessons/"
    one.refresh_from_db()
    assert one.read_at is not None
    other = StudentFactory()
    client.force_login(other)
    assert client.get(f"/notifications/{one.pk}/").status_code == 404


def test_mark_all_read_is_a_plain_post_and_leaves_others_alone(client, people):
    person, actor = people
    _tell(person, actor, 3)
    other = StudentFactory()
    _tell(other, actor)
    client.force_login(person)
    assert client.post("/notifications/read-all/").status_code == 302
    assert Notification.objects.filter(recipient=person, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


def test_the_settings_page_saves_kinds_channels_digest_and_quiet_hours(client):
    parent = ParentFactory()
    client.force_login(parent)
    page = client.get("/notifications/settings/").content.decode()
    assert "children_lesson_changes" in page  # parents only
    data = {
        f"{kind}__{channel}": "on"
        for kind in NotificationKind.values
        for channel in ("in_app", "email")
    }
    del data["mention__email"]
    data.update(daily_digest="on", quiet_start="22:00", quiet_end="07:00")
    response = client.post("/notifications/settings/", data)
    assert response.status_code == 302
    settings = NotificationSettings.objects.get(user=parent)
    assert settings.daily_digest and settings.quiet_start.hour == 22
    assert settings.children_lesson_changes is False  # unticked
    assert NotificationPreference.objects.get(user=parent, kind="mention").email is False
    bad = client.post("/notifications/settings/", {**data, "quiet_end": ""})
    assert bad.status_code == 200 and "Give both ends" in bad.content.decode()
    student = StudentFactory()
    client.force_login(student)
    assert "children_lesson_changes" not in client.get("/notifications/settings/").content.decode()


def test_the_spanish_feed_and_settings_are_in_spanish(client, people):
    person, actor = people
    person.language = "es"
    person.save()
    _tell(person, actor)
    client.force_login(person)
    feed = client.get("/es/notifications/").content.decode()
    assert "Notificaciones" in feed and "ha compartido «Verb table»" in feed
    settings = client.get("/es/notifications/settings/").content.decode()
    assert "Horas de silencio" in settings


def test_the_api_lists_reads_and_counts_the_callers_own(client, people):
    person, actor = people
    made = _tell(person, actor, 3)
    _tell(StudentFactory(), actor)
    headers = _api(client, person)
    body = client.get("/api/v1/notifications", **headers).json()
    assert body["count"] == 3
    item = body["items"][0]
    assert item["id"] == made[-1].pk
    assert item["actor"]["name"] == "Tom T" and item["child"] is None
    assert item["text"].startswith("Tom T shared “Verb table”")
    assert item["url"] == "http://testserver/lessons/"
    assert item["read_at"] is None
    answer = client.post(
        "/api/v1/notifications/read",
        {"ids": [made[0].pk]},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 200 and answer.json() == {"unread": 2}
    unread = client.get("/api/v1/notifications", {"unread": "true"}, **headers).json()
    assert {i["id"] for i in unread["items"]} == {made[1].pk, made[2].pk}
    assert client.get("/api/v1/notifications/unread-count", **headers).json() == {"unread": 2}
    one = client.get(f"/api/v1/notifications/{made[0].pk}", **headers).json()
    assert one["read_at"] is not None
    everything = client.post(
        "/api/v1/notifications/read", {"all": True}, content_type="application/json", **headers
    )
    assert everything.json() == {"unread": 0}


@pytest.mark.parametrize("body", [{}, {"ids": [1], "all": True}, {"ids": [0]}, {"all": False}])
def test_mark_read_refuses_unclear_input_with_422(client, people, body):
    person, _actor = people
    response = client.post(
        "/api/v1/notifications/read", body, content_type="application/json", **_api(client, person)
    )
    assert response.status_code == 422, body


def test_the_settings_api_reads_and_replaces_the_whole_settings(client, people):
    person, _actor = people
    headers = _api(client, person)
    got = client.get("/api/v1/notification-settings", **headers).json()
    assert {c["kind"] for c in got["channels"]} == set(NotificationKind.values)
    assert got["daily_digest"] is False and got["quiet_start"] is None
    put = client.put(
        "/api/v1/notification-settings",
        {
            "channels": [{"kind": "lesson_notes", "in_app": False, "email": True}],
            "daily_digest": True,
            "quiet_start": "21:30",
            "quiet_end": "06:45",
            "children_lesson_changes": False,
        },
        content_type="application/json",
        **headers,
    )
    assert put.status_code == 200, put.content
    body = put.json()
    notes = next(c for c in body["channels"] if c["kind"] == "lesson_notes")
    assert notes == {"kind": "lesson_notes", "in_app": False, "email": True}
    assert body["quiet_start"].startswith("21:30") and body["daily_digest"] is True
    for bad, field in [
        ({"quiet_start": "22:00"}, "quiet_end"),
        ({"channels": [{"kind": "nope", "in_app": True, "email": True}]}, "channels"),
        ({"quiet_start": "25:00", "quiet_end": "07:00"}, "quiet_start"),
        ({"channels": [{"kind": "mention", "in_app": True, "email": True}] * 2}, "channels"),
    ]:
        refused = client.put(
            "/api/v1/notification-settings", bad, content_type="application/json", **headers
        )
        assert refused.status_code == 422, (bad, refused.content)
        assert any(key.startswith(field) for key in refused.json()["errors"]), refused.json()


def test_the_feed_page_runs_the_same_queries_for_10_and_10000_notifications(client, people):
    person, actor = people
    _bulk(person, actor, 10)
    client.force_login(person)
    assert_constant_queries(
        lambda: client.get("/notifications/"),
        grow=lambda: _bulk(person, actor, 10_000),
        rows=html_rows('data-testid="notification"'),
    )


def test_the_api_list_runs_the_same_queries_for_10_and_10000_notifications(client, people):
    person, actor = people
    _bulk(person, actor, 10)
    headers = _api(client, person)
    assert_constant_queries(
        lambda: client.get("/api/v1/notifications", {"limit": 50}, **headers),
        grow=lambda: _bulk(person, actor, 10_000),
        rows=json_rows,
    )


def test_the_unread_count_runs_the_same_queries_for_10_and_10000(client, people):
    person, actor = people
    _bulk(person, actor, 10)
    headers = _api(client, person)
    assert_constant_queries(
        lambda: client.get("/api/v1/notifications/unread-count", **headers),
        grow=lambda: _bulk(person, actor, 10_000),
        rows=lambda response: response.json()["unread"],
    )
