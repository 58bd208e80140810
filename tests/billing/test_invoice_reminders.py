"""Payment reminders of open manual invoices (billing/papers/reminders.py): one a few days before the
due date and one the day after it, each at most once per invoice however often (or however
concurrently) the hourly schedule runs, in the payer's language and zone, with the bank details and
the order's link; paid, void and cancelled invoices get nothing; admins see the last one."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_q.models import Schedule

from billing.choices import InvoiceKind, InvoiceStatus, OrderStatus, ReminderStage
from billing.models import InvoiceReminder
from billing.papers.reminders import REMINDER_HEADER, invoice_reminders_send
from billing.papers.schedule import FUNC, SCHEDULE
from billing.papers.tasks import send_invoice_reminders
from billing.services import manual_payment_record, order_cancel
from catalog.money import format_money
from inbox.notifications.models import EmailState, Notification, NotificationKind
from inbox.notifications.services import render_text
from tests.authentication.consent import link
from tests.authentication.factories import AdminFactory, ParentFactory, StudentFactory
from tests.billing.factories_papers import course_order
from tests.outbox import send_outbox

pytestmark = pytest.mark.django_db

BANK = "Escuela cplatform\nIBAN ES91 2100 0418 4502 0005 1332\nBIC CAIXESBBXXX"
ISSUED = datetime(2026, 12, 6, 12, 15, tzinfo=UTC)  # due 7 days later: 13 Dec 12:15 UTC


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, clock):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.BILLING_MANUAL_PAYMENT_DAYS = 7
    settings.BILLING_REMINDER_DAYS_BEFORE = 3
    settings.BILLING_BANK_DETAILS = BANK
    clock.move_to(ISSUED)


def _invoice(order):
    return order.invoices.get(kind=InvoiceKind.INVOICE)


def _reminders_to(address: str) -> list:
    return [m for m in send_outbox() if address in m.to and REMINDER_HEADER in m.extra_headers]


def _utc_payer(**kwargs):
    payer = StudentFactory(**kwargs)
    payer.timezone = "UTC"
    payer.save(update_fields=["timezone"])
    return payer


def test_the_before_and_the_overdue_reminder_each_go_once_however_often_the_task_runs(clock):
    payer = _utc_payer()
    order = course_order(student=payer, price=Decimal("120.00"))
    invoice = _invoice(order)
    assert abs(invoice.due_at - (ISSUED + timedelta(days=7))) < timedelta(seconds=5)  # ticking
    mail.outbox.clear()

    assert invoice_reminders_send() == 0  # just issued: nothing due
    clock.move_to(datetime(2026, 12, 10, 12, 0, tzinfo=UTC))  # 3 days before, less 15 minutes
    assert send_invoice_reminders() == 0
    clock.move_to(datetime(2026, 12, 10, 13, 0, tzinfo=UTC))
    assert send_invoice_reminders() == 1
    assert send_invoice_reminders() == 0  # the schedule runs again: nothing more
    (before,) = _reminders_to(payer.email)
    assert before.extra_headers[REMINDER_HEADER] == f"{invoice.number} before_due"
    assert invoice.number in before.subject and "13 December 2026" in before.subject
    assert "is due on Sunday, 13 December 2026" in before.body
    assert "120.00 EUR" in before.body
    assert "IBAN ES91 2100 0418 4502 0005 1332" in before.body
    assert f"/billing/orders/{order.pk}/" in before.body

    # the due day itself (until its end in the payer's zone): no overdue reminder yet
    clock.move_to(datetime(2026, 12, 13, 23, 30, tzinfo=UTC))
    assert invoice_reminders_send() == 0
    clock.move_to(datetime(2026, 12, 14, 0, 30, tzinfo=UTC))
    assert invoice_reminders_send() == 1
    clock.move_to(datetime(2026, 12, 15, 0, 30, tzinfo=UTC))
    assert invoice_reminders_send() == 0
    mail.outbox.clear()
    (overdue,) = _reminders_to(payer.email)
    assert overdue.extra_headers[REMINDER_HEADER] == f"{invoice.number} overdue"
    assert "overdue" in overdue.subject and "was due on Sunday, 13 December 2026" in overdue.body

    assert sorted(
        InvoiceReminder.objects.filter(invoice=invoice).values_list("stage", flat=True)
    ) == [ReminderStage.BEFORE_DUE, ReminderStage.OVERDUE]
    feed = Notification.objects.filter(recipient=payer, kind=NotificationKind.PAYMENT_REMINDER)
    assert feed.count() == 2
    # billing mailed the reminder (with the bank details): the feed entry sends no second email
    assert {n.email_state for n in feed} == {EmailState.NONE}
    assert {n.url for n in feed} == {f"/billing/orders/{order.pk}/"}


def test_an_invoice_first_found_overdue_gets_only_the_overdue_reminder(clock):
    payer = _utc_payer()
    invoice = _invoice(course_order(student=payer))
    mail.outbox.clear()
    clock.move_to(datetime(2026, 12, 20, 9, 0, tzinfo=UTC))  # the worker was down all week
    assert invoice_reminders_send() == 1
    assert invoice_reminders_send() == 0
    assert list(
        InvoiceReminder.objects.filter(invoice=invoice).values_list("stage", flat=True)
    ) == [ReminderStage.OVERDUE]
    assert len(_reminders_to(payer.email)) == 1


def test_paid_void_and_cancelled_invoices_get_nothing(clock):
    admin = AdminFactory()
    waiting = _invoice(course_order(student=_utc_payer()))
    paid = course_order(student=_utc_payer())
    manual_payment_record(actor=admin, order=paid, note="Transfer")
    cancelled = course_order(student=_utc_payer())
    order_cancel(actor=cancelled.payer, order=cancelled)
    expired = course_order(student=_utc_payer())
    order_cancel(actor=None, order=expired, status=OrderStatus.EXPIRED)
    assert _invoice(paid).status == InvoiceStatus.PAID
    assert _invoice(cancelled).status == InvoiceStatus.VOID
    assert _invoice(expired).status == InvoiceStatus.VOID

    for instant in (datetime(2026, 12, 11, tzinfo=UTC), datetime(2026, 12, 15, tzinfo=UTC)):
        clock.move_to(instant)
        assert invoice_reminders_send() == 1  # the waiting one, once per stage
    assert set(InvoiceReminder.objects.values_list("invoice_id", flat=True)) == {waiting.pk}


def test_an_invoice_paid_after_its_first_reminder_gets_no_overdue_one(clock):
    payer = _utc_payer()
    order = course_order(student=payer)
    clock.move_to(datetime(2026, 12, 11, tzinfo=UTC))
    assert invoice_reminders_send() == 1
    manual_payment_record(actor=AdminFactory(), order=order, note="Cash")
    clock.move_to(datetime(2026, 12, 15, tzinfo=UTC))
    assert invoice_reminders_send() == 0
    assert InvoiceReminder.objects.filter(invoice__order=order).count() == 1


def test_the_reminder_speaks_the_payers_language_and_dates_in_their_zone(clock):
    """Due 13 Dec 12:15 UTC is 14 Dec 01:15 in Auckland (UTC+13): the payer reads the 14th, and the
    invoice is overdue only from Auckland's 15 Dec 00:00 (14 Dec 11:00 UTC)."""
    parent, child = ParentFactory(), StudentFactory()
    link(parent, child)
    parent.language, parent.timezone = "es", "Pacific/Auckland"
    parent.save(update_fields=["language", "timezone"])
    order = course_order(student=child, payer=parent, price=Decimal("1240.50"))
    invoice = _invoice(order)
    mail.outbox.clear()

    clock.move_to(datetime(2026, 12, 11, tzinfo=UTC))
    assert invoice_reminders_send() == 1
    (before,) = _reminders_to(parent.email)
    assert "Recordatorio" in before.subject and invoice.number in before.subject
    assert "lunes, 14 de diciembre de 2026" in before.body
    assert "13 de diciembre" not in before.body
    with translation.override("es"):
        assert format_money(Decimal("1240.50"), "EUR") in before.body
    assert f"/es/billing/orders/{order.pk}/" in before.body
    assert child.email not in before.to  # the payer is reminded, not the child

    clock.move_to(datetime(2026, 12, 14, 10, 30, tzinfo=UTC))  # still the 14th in Auckland
    assert invoice_reminders_send() == 0
    clock.move_to(datetime(2026, 12, 14, 11, 30, tzinfo=UTC))  # the 15th in Auckland
    assert invoice_reminders_send() == 1
    mail.outbox.clear()
    (overdue,) = _reminders_to(parent.email)
    assert "vencida" in overdue.subject
    assert "lunes, 14 de diciembre de 2026" in overdue.body

    # the feed line, read in the payer's language and zone
    entry = Notification.objects.filter(
        recipient=parent, kind=NotificationKind.PAYMENT_REMINDER
    ).latest("pk")
    with translation.override("es"), timezone.override("Pacific/Auckland"):
        line = render_text(entry)
    assert invoice.number in line and "14 de diciembre de 2026" in line


def test_no_reminder_before_the_due_date_with_zero_days_and_never_within_a_day_of_the_invoice(
    settings, clock
):
    settings.BILLING_REMINDER_DAYS_BEFORE = 0
    invoice = _invoice(course_order(student=_utc_payer()))
    clock.move_to(datetime(2026, 12, 13, 12, 0, tzinfo=UTC))
    assert invoice_reminders_send() == 0
    clock.move_to(datetime(2026, 12, 14, 1, 0, tzinfo=UTC))
    assert invoice_reminders_send() == 1
    assert invoice.reminders.get().stage == ReminderStage.OVERDUE

    # a short payment term (2 days) inside the 3 days: recalled a day after the invoice, not at once
    settings.BILLING_REMINDER_DAYS_BEFORE = 3
    settings.BILLING_MANUAL_PAYMENT_DAYS = 2
    clock.move_to(ISSUED)
    short = _invoice(course_order(student=_utc_payer()))
    assert invoice_reminders_send() == 0
    clock.move_to(ISSUED + timedelta(hours=23))
    assert invoice_reminders_send() == 0
    clock.move_to(ISSUED + timedelta(hours=25))
    assert invoice_reminders_send() == 1
    assert short.reminders.get().stage == ReminderStage.BEFORE_DUE


def test_the_hourly_schedule_exists_after_migrate():
    schedule = Schedule.objects.get(name=SCHEDULE)
    assert schedule.func == FUNC == "billing.papers.tasks.send_invoice_reminders"
    assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 60
    assert schedule.repeats == -1


def test_admins_see_when_the_last_reminder_went_in_the_lists_one_query(client, clock):
    admin = AdminFactory()
    course_order(student=_utc_payer())
    course_order(student=_utc_payer())
    client.force_login(admin)
    page = client.get("/admin/billing_invoices/").content.decode()
    assert page.count('data-testid="last-reminder"') == 2 and page.count("None yet") == 2
    clock.move_to(datetime(2026, 12, 15, tzinfo=UTC))
    assert invoice_reminders_send() == 2
    client.force_login(admin)
    with CaptureQueriesContext(connection) as two:
        page = client.get("/admin/billing_invoices/").content.decode()
    assert "None yet" not in page and page.count("(overdue)") == 2
    for _ in range(3):
        course_order(student=_utc_payer())
    with CaptureQueriesContext(connection) as five:
        page = client.get("/admin/billing_invoices/").content.decode()
    assert page.count("(overdue)") == 2 and page.count("None yet") == 3
    assert len(five) == len(two)  # the last reminder comes with the list's one query


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_one_reminder(clock):
    payer = _utc_payer()
    invoice = _invoice(course_order(student=payer))
    clock.move_to(datetime(2026, 12, 11, tzinfo=UTC))
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    results: list[int] = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(invoice_reminders_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [0, 1]
    assert InvoiceReminder.objects.filter(invoice=invoice).count() == 1
    sent = [m for m in mail.outbox if REMINDER_HEADER in m.extra_headers]
    assert len(sent) == 1 and sent[0].to == [payer.email]
