"""How notifications are delivered: per kind × channel, the daily digest (one email a day, however
often the task runs), quiet hours in the person's zone across DST changes, Spanish for Spanish
readers, and the settings link in every email."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from django_q.models import Schedule

from inbox.notifications.models import (
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSettings,
)
from inbox.notifications.services import notify
from inbox.notifications.tasks import send_daily_digests, send_held_emails
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.outbox import send_outbox

pytestmark = pytest.mark.django_db

MADRID = "Europe/Madrid"


def _tell(person, actor, kind=NotificationKind.LESSON_BOOKED, **data):
    return notify(
        recipient=person,
        kind=kind,
        actor=actor,
        url="/lessons/",
        data={"start": "2027-03-29T15:00:00+00:00", "teacher_name": "T", **data},
    )


def _mails_to(person):
    return [m for m in send_outbox() if m.to == [person.email]]


@pytest.fixture
def pair():
    return StudentFactory(first_name="Ana", timezone=MADRID), TeacherFactory(first_name="Tom")


def test_in_app_off_keeps_it_out_of_the_feed_and_email_off_sends_no_email(pair):
    person, actor = pair
    NotificationPreference.objects.create(
        user=person, kind=NotificationKind.LESSON_BOOKED, in_app=False, email=True
    )
    NotificationPreference.objects.create(
        user=person, kind=NotificationKind.LESSON_CANCELLED, in_app=True, email=False
    )
    send_outbox().clear()
    booked = _tell(person, actor)
    cancelled = _tell(person, actor, kind=NotificationKind.LESSON_CANCELLED)
    assert booked.in_app is False and booked.email_state == EmailState.SENT
    assert cancelled.in_app is True and cancelled.email_state == EmailState.NONE
    assert len(_mails_to(person)) == 1
    NotificationPreference.objects.filter(user=person).update(in_app=False, email=False)
    assert _tell(person, actor) is None  # both off: nothing at all


def test_a_digest_reader_gets_one_email_a_day_at_seven_in_their_zone(pair, clock):
    person, actor = pair
    NotificationSettings.objects.create(user=person, daily_digest=True)
    clock.move_to(datetime(2027, 1, 10, 12, 0, tzinfo=UTC))
    send_outbox().clear()
    first, second = _tell(person, actor), _tell(person, actor)
    assert {first.email_state, second.email_state} == {EmailState.DIGEST}
    assert _mails_to(person) == []
    clock.move_to(datetime(2027, 1, 11, 5, 30, tzinfo=UTC))  # 06:30 in Madrid: not yet
    assert send_daily_digests() == 0
    clock.move_to(datetime(2027, 1, 11, 6, 5, tzinfo=UTC))  # 07:05 in Madrid
    assert send_daily_digests() == 1
    assert send_daily_digests() == 0  # run twice: sent once
    digests = _mails_to(person)
    assert len(digests) == 1
    assert "2 notifications" in digests[0].subject
    assert "/notifications/settings/" in digests[0].body
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}
    _tell(person, actor)  # later the same day: tomorrow's digest, not a second one today
    clock.move_to(datetime(2027, 1, 11, 20, 0, tzinfo=UTC))
    assert send_daily_digests() == 0
    clock.move_to(datetime(2027, 1, 12, 6, 1, tzinfo=UTC))
    assert send_daily_digests() == 1
    assert len(_mails_to(person)) == 2


@pytest.mark.parametrize(
    ("event", "quiet_end_utc"),
    [
        # Last Sunday of March 2027 (28th): 02:00 → 03:00. 01:30 local is CET (+01:00); the quiet
        # hours end at 07:00 CEST, 05:00 UTC, not 06:00.
        (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), datetime(2027, 3, 28, 5, 0, tzinfo=UTC)),
        # Last Sunday of October 2027 (31st): 03:00 → 02:00. 01:30 local is CEST; the end is
        # 07:00 CET, 06:00 UTC.
        (datetime(2027, 10, 30, 23, 30, tzinfo=UTC), datetime(2027, 10, 31, 6, 0, tzinfo=UTC)),
    ],
)
def test_quiet_hours_hold_the_email_until_their_wall_clock_end_across_dst(
    pair, clock, event, quiet_end_utc
):
    person, actor = pair
    NotificationSettings.objects.create(user=person, quiet_start=time(22), quiet_end=time(7))
    clock.move_to(event)
    send_outbox().clear()
    held = _tell(person, actor)
    assert held.email_state == EmailState.HELD
    assert held.email_due_at == quiet_end_utc
    assert _mails_to(person) == []
    clock.move_to(quiet_end_utc - _minute())
    assert send_held_emails() == 0
    clock.move_to(quiet_end_utc)
    assert send_held_emails() == 1
    assert send_held_emails() == 0  # twice: once
    assert len(_mails_to(person)) == 1
    held.refresh_from_db()
    assert held.email_state == EmailState.SENT


def _minute():
    from datetime import timedelta

    return timedelta(minutes=1)


def test_outside_quiet_hours_the_email_goes_at_once(pair, clock):
    person, actor = pair
    NotificationSettings.objects.create(user=person, quiet_start=time(22), quiet_end=time(7))
    clock.move_to(datetime(2027, 1, 10, 12, 0, tzinfo=UTC))
    send_outbox().clear()
    assert _tell(person, actor).email_state == EmailState.SENT
    assert len(_mails_to(person)) == 1


def test_a_spanish_reader_gets_the_email_in_spanish_in_their_zone(pair, clock):
    person, actor = pair
    person.language = "es"
    person.save()
    clock.move_to(datetime(2027, 1, 10, 12, 0, tzinfo=UTC))
    send_outbox().clear()
    _tell(person, actor, start="2027-01-20T15:00:00+00:00")
    (sent,) = _mails_to(person)
    assert sent.subject.startswith("Clase reservada")
    assert "16:00" in sent.subject  # 15:00 UTC is 16:00 in Madrid
    assert "Hola Ana" in sent.body
    assert "/es/notifications/settings/" in sent.body


def test_every_kind_has_its_feed_line_and_email_and_each_email_links_the_settings(pair):
    person, actor = pair
    send_outbox().clear()
    for kind in NotificationKind.values:
        if kind == NotificationKind.LESSON_REMINDER:
            continue  # the reminders part writes its templates
        NotificationPreference.objects.update_or_create(
            user=person, kind=kind, defaults={"in_app": True, "email": True}
        )
        made = _tell(person, actor, kind=kind, course_title="C", room_name="R", amount="10 €")
        assert made.email_state == EmailState.SENT, kind
    sent = _mails_to(person)
    assert len(sent) == len(NotificationKind.values) - 1
    for message in sent:
        assert "/notifications/settings/" in message.body, message.subject
        assert message.subject and "{" not in message.subject


def test_the_delivery_tasks_are_scheduled():
    """The data migration's schedules (run again here: a transactional test elsewhere may have
    flushed the rows it made), each naming a task that exists."""
    import importlib
    from pathlib import Path

    from django.apps import apps

    import inbox.migrations

    (path,) = Path(inbox.migrations.__file__).parent.glob("*_notify_data.py")
    migration = importlib.import_module(f"inbox.migrations.{path.stem}")
    migration.schedule(apps, None)
    migration.schedule(apps, None)  # idempotent
    funcs = list(Schedule.objects.values_list("func", flat=True))
    for func in ("send_held_emails", "send_daily_digests"):
        assert funcs.count(f"inbox.notifications.tasks.{func}") == 1
        assert callable(getattr(importlib.import_module("inbox.notifications.tasks"), func))
