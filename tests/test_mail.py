"""The email outbox (cplatform.mail): a message is a row written in the sender's transaction, sent
once after the commit by a django-q2 task (run inline in the tests) into the locmem delivery
backend (`mail.outbox`). The real worker process is in tests/test_outbox_worker.py."""

import logging
import socket
from importlib import import_module

import pytest
from django.apps import apps as global_apps
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.db import transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import OrmQ, Schedule, Success
from django_q.scheduler import scheduler
from django_q.tasks import _sync

from cplatform import mail as outbox
from cplatform import tasks
from cplatform.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)

Status = OutboundEmail.Status


class Refused(Exception):
    pass


class RefusingBackend:
    """A delivery backend whose mail server refuses everything (a real failure, raised by the
    backend the task calls, as smtplib raises SMTPRecipientsRefused)."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise Refused("550 mailbox unavailable")


def test_django_mail_uses_the_outbox():
    assert settings.EMAIL_BACKEND == "cplatform.mail.OutboxEmailBackend"
    assert settings.EMAIL_DELIVERY_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


def test_an_email_sent_outside_a_transaction_is_written_then_sent_at_once():
    sent = send_mail("Welcome", "Hello Ana", None, ["ana@example.com"])

    assert sent == 1
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        ("Welcome", "Hello Ana", ["ana@example.com"])
    ]
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts, row.to) == (Status.SENT, 1, ["ana@example.com"])
    assert row.sent_at is not None
    assert Success.objects.get(func="cplatform.tasks.email_send").result is True


def test_an_email_of_a_rolled_back_transaction_leaves_no_row_and_is_never_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Lesson booked", "See you", None, ["ben@example.com"])
        assert OutboundEmail.objects.count() == 1  # written beside the event …
        assert mail.outbox == []  # … and not sent before the commit
        raise RuntimeError("the booking failed")

    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []
    assert not OrmQ.objects.exists() and not Success.objects.exists()


def test_an_email_of_a_committed_transaction_is_sent_once_after_the_commit():
    with transaction.atomic():
        send_mail("Lesson booked", "See you", None, ["ben@example.com"])
        assert mail.outbox == []

    assert [m.subject for m in mail.outbox] == ["Lesson booked"]
    assert OutboundEmail.objects.get().status == Status.SENT


def test_the_send_task_run_twice_for_one_row_sends_one_email(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", False)  # queued, as with a worker that has not run yet
    send_mail("Once", "Only once", None, ["chloe@example.com"])
    (row,) = OutboundEmail.objects.all()
    assert mail.outbox == [] and OrmQ.objects.count() == 1

    assert tasks.email_send(row.pk) is True
    assert tasks.email_send(row.pk) is False  # a duplicate task, or the queued one running late
    _run_queued(monkeypatch)

    assert [m.subject for m in mail.outbox] == ["Once"]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)


def test_a_row_being_sent_by_another_worker_is_left_to_it():
    send_mail_without_sending("Busy", ["dan@example.com"])
    row = OutboundEmail.objects.get()
    # Another worker holds the row (its transaction claimed it and is sending): this one skips it,
    # on its own database connection, instead of waiting or sending it a second time.
    import threading

    from django.db import connections

    held, release, result = threading.Event(), threading.Event(), {}

    def other_worker():
        with transaction.atomic():
            OutboundEmail.objects.select_for_update().get(pk=row.pk)
            held.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(10)
        result["sent"] = tasks.email_send(row.pk)
    finally:
        release.set()
        thread.join()

    assert result["sent"] is False
    assert mail.outbox == []
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)


def test_a_broker_that_cannot_take_the_task_loses_nothing_and_fails_no_caller(monkeypatch, caplog):
    # Production's broker is Redis: here one that refuses connections (a closed port).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", {"host": "127.0.0.1", "port": closed_port})

    with transaction.atomic():
        sent = send_mail("Booked", "See you", None, ["kim@example.com"])

    assert sent == 1  # the caller's work committed and it got no error
    assert "ConnectionError" in caplog.text  # the refused task is logged
    row = OutboundEmail.objects.get()
    assert row.status == Status.PENDING
    monkeypatch.undo()  # the broker is back; the sweep takes the row after its grace period
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    assert outbox.email_sweep() == 1
    assert [m.subject for m in mail.outbox] == ["Booked"]


def test_a_failing_delivery_counts_attempts_backs_off_then_fails_and_keeps_the_message(
    settings, caplog
):
    settings.EMAIL_DELIVERY_BACKEND = f"{__name__}.RefusingBackend"
    settings.EMAIL_OUTBOX_MAX_ATTEMPTS = 3
    caplog.set_level(logging.WARNING, logger="cplatform.mail")

    send_mail("Report ready", "Your report", None, ["eva@example.com"])  # attempt 1, on commit
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.last_error == "Refused: 550 mailbox unavailable"
    assert row.next_attempt_at > timezone.now()  # waits its backoff: the sweep leaves it
    assert outbox.email_sweep() == 0
    row.refresh_from_db()
    assert row.attempts == 1

    for attempt in (2, 3):
        OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        outbox.email_sweep()
        row.refresh_from_db()
        assert row.attempts == attempt

    assert row.status == Status.FAILED
    assert "550 mailbox unavailable" in row.last_error
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING", "ERROR"]
    assert "given up" in caplog.records[-1].getMessage()
    # Nothing lost: the row still holds the message, and a failed row is never retried blindly.
    assert (row.subject, row.body, row.to) == ("Report ready", "Your report", ["eva@example.com"])
    OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.email_sweep() == 0
    assert tasks.email_send(row.pk) is False
    assert mail.outbox == []


def test_a_delivery_that_recovers_is_sent_by_the_sweep(settings):
    settings.EMAIL_DELIVERY_BACKEND = f"{__name__}.RefusingBackend"
    send_mail("Try again", "Later", None, ["fay@example.com"])
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(next_attempt_at=timezone.now())

    assert outbox.email_sweep() == 1

    assert [m.subject for m in mail.outbox] == ["Try again"]
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 2, "")


def test_the_sweep_sends_what_a_dead_worker_left_after_the_grace_period_only(settings):
    send_mail_without_sending("Left behind", ["gil@example.com"])
    row = OutboundEmail.objects.get()
    assert row.next_attempt_at - row.created_at == timezone.timedelta(
        seconds=settings.EMAIL_OUTBOX_GRACE_SECONDS
    )

    assert outbox.email_sweep() == 0  # its task may still come
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    assert outbox.email_sweep() == 1
    assert outbox.email_sweep() == 0

    assert [m.subject for m in mail.outbox] == ["Left behind"]


def test_the_sweep_is_scheduled_every_minute_and_runs_from_the_scheduler():
    # The schedule cplatform migration 0004 makes (run again: a transaction=True test flushed it).
    migration = import_module("cplatform.migrations.0004_outbox_outbound_email")
    migration.schedule_sweep(global_apps, None)
    schedule = Schedule.objects.get(func="cplatform.tasks.email_sweep")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == ("I", 1, -1)

    send_mail_without_sending("Swept", ["hal@example.com"])
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    Schedule.objects.update(next_run=timezone.now())
    scheduler(broker=get_broker())  # what the cluster does every 30 seconds (tasks run inline)

    assert [m.subject for m in mail.outbox] == ["Swept"]


def test_a_message_is_rebuilt_exactly_html_headers_and_attachments():
    message = EmailMultiAlternatives(
        "Lesson booked",
        "Plain text",
        "desk@cplatform.local",
        to=["ben@example.com"],
        cc=["cc@example.com"],
        bcc=["bcc@example.com"],
        reply_to=["desk@example.com"],
        headers={"X-Lesson": "42"},
    )
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("notes.txt", "Bring a pencil", "text/plain")
    message.attach("slides.pdf", b"%PDF-1.4\x00\xff", "application/pdf")
    from email.mime.text import MIMEText

    message.attach(MIMEText("a ready part", "plain"))

    message.send()

    (delivered,) = mail.outbox
    assert delivered.alternatives[0][:2] == ("<p>HTML</p>", "text/html")
    assert (delivered.to, delivered.cc, delivered.bcc, delivered.reply_to) == (
        ["ben@example.com"],
        ["cc@example.com"],
        ["bcc@example.com"],
        ["desk@example.com"],
    )
    assert delivered.from_email == "desk@cplatform.local"
    assert delivered.extra_headers["X-Lesson"] == "42"
    assert [tuple(a) for a in delivered.attachments[:2]] == [
        ("notes.txt", "Bring a pencil", "text/plain"),
        ("slides.pdf", b"%PDF-1.4\x00\xff", "application/pdf"),
    ]
    assert delivered.attachments[2].get_payload() == "a ready part"
    # The whole message still renders (what SMTP sends), with a Message-ID kept on the row: a
    # message sent again after a crash is recognisably the same one.
    rendered = delivered.message()
    row = OutboundEmail.objects.get()
    assert rendered["Message-ID"] == row.headers["Message-ID"]
    assert b"Bring a pencil" in rendered.as_bytes()


def test_an_html_body_keeps_its_subtype():
    message = EmailMessage("Hi", "<p>Hi</p>", to=["ivy@example.com"])
    message.content_subtype = "html"
    message.send()
    assert mail.outbox[0].message().get_content_type() == "text/html"


def test_a_message_without_recipients_writes_nothing():
    assert EmailMessage("Nobody", "…", to=[]).send() == 0
    assert OutboundEmail.objects.count() == 0


def send_mail_without_sending(subject: str, to: list[str]) -> None:
    """Write a row as a sender does, with its task lost (the worker that took it died)."""
    Conf.SYNC = False
    try:
        send_mail(subject, "…", None, to)
    finally:
        Conf.SYNC = True
    assert OrmQ.objects.count() == 1
    OrmQ.objects.all().delete()
    assert mail.outbox == []


def _run_queued(monkeypatch) -> None:
    """What a worker does with each queued package (tasks/test_outbox_worker.py runs the real one)."""
    monkeypatch.setattr(Conf, "SYNC", True)  # else the worker code closes the test's connection
    broker = get_broker()
    while OrmQ.objects.exists():
        for task_id, package in broker.dequeue() or []:
            _sync(package)
            broker.acknowledge(task_id)
