"""Email leaves the request through a django-q2 task; tests run the task inline into the locmem outbox."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import OrmQ, Success
from django_q.tasks import _sync

pytestmark = pytest.mark.django_db


def test_django_mail_uses_the_queued_backend():
    assert settings.EMAIL_BACKEND == "cplatform.mail.QueuedEmailBackend"
    assert settings.EMAIL_DELIVERY_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


def test_an_email_goes_through_the_task_queue_and_lands_in_the_outbox():
    sent = send_mail("Welcome", "Hello Ana", None, ["ana@example.com"])

    assert sent == 1
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        ("Welcome", "Hello Ana", ["ana@example.com"])
    ]
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    task = Success.objects.get(func="cplatform.tasks.email_deliver")
    assert task.name == "email_deliver"
    assert task.result == 1


def test_a_queued_email_keeps_its_html_alternative_and_headers():
    message = EmailMultiAlternatives(
        "Lesson booked", "Plain text", to=["ben@example.com"], reply_to=["desk@example.com"]
    )
    message.attach_alternative("<p>HTML</p>", "text/html")

    message.send()

    (delivered,) = mail.outbox
    assert delivered.alternatives[0][:2] == ("<p>HTML</p>", "text/html")
    assert delivered.reply_to == ["desk@example.com"]
    assert Success.objects.filter(func="cplatform.tasks.email_deliver").count() == 1


def test_without_a_running_worker_an_email_waits_in_the_queue(monkeypatch):
    # Outside the tests the task goes to the broker (the ORM here) and a qcluster worker delivers it.
    monkeypatch.setattr(Conf, "SYNC", False)

    send_mail("Queued", "Later", None, ["chloe@example.com"])

    assert mail.outbox == []
    assert OrmQ.objects.count() == 1
    ((_task_id, package),) = get_broker().dequeue()
    monkeypatch.setattr(
        Conf, "SYNC", True
    )  # else the worker code closes the test's database connection
    _sync(package)  # what a worker does with the package
    assert [m.subject for m in mail.outbox] == ["Queued"]
    assert Success.objects.filter(func="cplatform.tasks.email_deliver", result=1).exists()
