"""Payment reminders of open manual invoices (bank transfer, cash): the payer is mailed once a few
days before the due date and once the day after it while the money has not been recorded.

When: the "before" reminder is due `BILLING_REMINDER_DAYS_BEFORE` days before `due_at` (0: none),
but never within a day of the invoice itself (its email, with the same due date, just went): a
course order due in 48 hours is recalled a day before. The "overdue" one is due from the start of
the day after the due date, in the payer's time zone (the invoice said "pay by <date>"). A run that
finds an invoice already overdue sends only the overdue one. The hourly schedule sends what is due
whenever it runs, so a worker that was down catches up, once.

To whom: the invoice's payer (their current address, language and zone), if their account is
active. Only an OPEN invoice of an OPEN manual order is reminded: a paid, void (cancelled, expired,
switched to card) or credit-note paper gets nothing.

Once: each (invoice, stage) is an `InvoiceReminder` row, unique, written in one transaction with the
email (the outbox row) and the in-app notification (`invoice_reminded`, inbox listens). That
transaction first locks the order, as a payment or a cancellation does, and reads the invoice
again: one paid or voided since it was found is skipped, and a payment recorded right now waits
for the reminder to commit. Two runs at once meet at the unique constraint; the loser rolls back
its email with its row. Each invoice has its own transaction, so one that fails (logged) does not
hold back the others.

Cost: one query finds what may be due (an invoice whose due stage was already sent is left out by
the query, so a quiet hour costs one query); each reminder sent then costs a fixed handful.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cplatform.api_http import absolute_url
from cplatform.signals import announce

from .. import signals
from ..choices import InvoiceKind, InvoiceStatus, OrderStatus, PaymentMethod, ReminderStage
from ..conf import reminder_days_before
from ..models import Invoice, InvoiceReminder, Order

logger = logging.getLogger(__name__)

REMINDER_HEADER = "X-Cplatform-Invoice-Reminder"
# The invoice's own email went when it was issued: no reminder in the day after it.
QUIET_AFTER_ISSUE = timedelta(days=1)


@dataclass(frozen=True)
class DueReminder:
    invoice: Invoice
    stage: str


def _zone(user) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ValueError, KeyError):  # a zone the database stopped knowing
        return ZoneInfo("UTC")


def overdue_from(invoice: Invoice, zone: ZoneInfo) -> datetime:
    """The start of the day after the due date, in `zone` (the payer's)."""
    day = invoice.due_at.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def reminder_stage_due(
    *, invoice: Invoice, now: datetime, zone: ZoneInfo, days_before: int
) -> str | None:
    """The reminder `invoice` is due for at `now` (None: none yet)."""
    if invoice.due_at is None:
        return None
    if now >= overdue_from(invoice, zone):
        return ReminderStage.OVERDUE
    if days_before <= 0:
        return None
    before_from = max(
        invoice.due_at - timedelta(days=days_before), invoice.issued_at + QUIET_AFTER_ISSUE
    )
    if now >= before_from:
        return ReminderStage.BEFORE_DUE
    return None


def _candidates(now: datetime, days_before: int) -> list[Invoice]:
    """Open manual invoices whose "before" reminder may be due (due within `days_before` days, or
    past due), less those already reminded as overdue, with their payer and order: one query."""
    sent = InvoiceReminder.objects.filter(invoice=OuterRef("pk"))
    return list(
        Invoice.objects.filter(
            kind=InvoiceKind.INVOICE,
            status=InvoiceStatus.OPEN,
            order__method=PaymentMethod.MANUAL,
            order__status=OrderStatus.OPEN,
            due_at__lte=now + timedelta(days=days_before),
            payer__is_active=True,
        )
        .exclude(Exists(sent.filter(stage=ReminderStage.OVERDUE)))
        .annotate(before_sent=Exists(sent.filter(stage=ReminderStage.BEFORE_DUE)))
        .select_related("payer", "order")
        .order_by("due_at", "pk")
    )


def reminders_due(*, now: datetime) -> list[DueReminder]:
    days_before = reminder_days_before()
    due = []
    for invoice in _candidates(now, days_before):
        stage = reminder_stage_due(
            invoice=invoice, now=now, zone=_zone(invoice.payer), days_before=days_before
        )
        if stage is None or (stage == ReminderStage.BEFORE_DUE and invoice.before_sent):
            continue
        due.append(DueReminder(invoice=invoice, stage=stage))
    return due


def reminder_email(*, invoice: Invoice, stage: str) -> EmailMessage:
    """The reminder's email in the payer's language, the due date in their zone (the date the
    invoice's own email named), with the bank details and a link to the order's page."""
    payer = invoice.payer
    language = payer.language or invoice.language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(_zone(payer)):
        context = {
            "invoice": invoice,
            "stage": stage,
            "overdue": stage == ReminderStage.OVERDUE,
            "name": payer.name or invoice.payer_name,
            "bank_details": getattr(settings, "BILLING_BANK_DETAILS", ""),
            "order_url": absolute_url(reverse("billing-order", args=[invoice.order_id])),
        }
        subject = render_to_string("billing/papers/reminder_email_subject.txt", context).strip()
        body = render_to_string("billing/papers/reminder_email.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[payer.email or invoice.payer_email],
        headers={REMINDER_HEADER: f"{invoice.number} {stage}"},
    )


def _send_one(item: DueReminder, now: datetime) -> bool:
    invoice, stage = item.invoice, item.stage
    with transaction.atomic():
        # The order's lock first, as payments and cancellations take it: the invoice read below is
        # the committed one, and a payment recorded meanwhile waits for this reminder.
        locked = Order.objects.select_for_update().filter(
            pk=invoice.order_id, status=OrderStatus.OPEN
        )
        if not list(locked.values_list("pk", flat=True)):
            return False
        still_open = Invoice.objects.filter(
            pk=invoice.pk, status=InvoiceStatus.OPEN, due_at=invoice.due_at
        ).exists()
        if not still_open:
            return False
        try:
            with transaction.atomic():
                InvoiceReminder.objects.create(
                    invoice=invoice, stage=stage, due_at=invoice.due_at, sent_at=now
                )
        except IntegrityError:
            return False  # another run sent it
        reminder_email(invoice=invoice, stage=stage).send()
        announce(
            signals.invoice_reminded,
            signals.invoice_reminded_committed,
            sender=Invoice,
            invoice=invoice,
            stage=stage,
        )
    logger.info("Invoice %s: %s reminder mailed to its payer", invoice.number, stage)
    return True


def invoice_reminders_send(*, now: datetime | None = None) -> int:
    """Send the payment reminders due at `now` (see the module's docstring); how many went. Safe to
    run at any time, as often as wanted, by several workers at once."""
    now = now or timezone.now()
    sent = 0
    for item in reminders_due(now=now):
        try:
            sent += _send_one(item, now)
        except Exception:
            logger.exception("Invoice %s: the %s reminder failed", item.invoice.number, item.stage)
    return sent
