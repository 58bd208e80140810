"""The papers' writes: issuing a manual order's invoice (and mailing it with its PDF), and the
admins' money actions (refund any part of a payment, mark a manual invoice paid, record a teacher's
payout). Each calls billing's core services (`invoice_for_order`, `refund_create`,
`manual_payment_record`), so the rules live in one place; PDFs and emails leave after the commit
in django-q2 tasks (billing/papers/tasks.py)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from authentication.models import User
from authentication.roles import is_admin
from cplatform.exceptions import Conflict, NotFound, ValidationFailed

from ..choices import InvoiceKind, InvoiceStatus, PaymentMethod, RefundReason
from ..conf import manual_payment_days
from ..models import Invoice, Order, Payment, Refund
from ..services import Fulfilment, invoice_for_order, manual_payment_record, money, refund_create
from .selectors import REFUNDABLE


def enqueue_invoice_email(invoice_id: int) -> None:
    from django_q.tasks import async_task

    async_task(
        "billing.papers.tasks.invoice_email_send", invoice_id, task_name="invoice_email_send"
    )


def enqueue_pdf(invoice_id: int) -> None:
    from django_q.tasks import async_task

    async_task("billing.papers.tasks.invoice_pdf_render", invoice_id, task_name="invoice_pdf")


def manual_invoice_issue(*, order: Order, now: datetime | None = None) -> Invoice:
    """The OPEN invoice of a manual order just placed, due in BILLING_MANUAL_PAYMENT_DAYS, mailed to
    the payer with its PDF after the commit. Calling it again returns the same invoice (one per
    order) and mails nothing more."""
    if order.method != PaymentMethod.MANUAL:
        message = _("Only a manual order gets an invoice to pay by transfer.")
        raise Conflict(message, code="not_manual")
    now = now or timezone.now()
    with transaction.atomic():
        existed = Invoice.objects.filter(order=order, kind=InvoiceKind.INVOICE).exists()
        invoice = invoice_for_order(order=order, due_at=now + timedelta(days=manual_payment_days()))
        if not existed:
            transaction.on_commit(lambda: enqueue_invoice_email(invoice.pk), robust=True)
    return invoice


# --- the admins' actions -------------------------------------------------------------------------


def _require_admin(actor: User) -> None:
    if not is_admin(actor):
        raise NotFound()


def parse_amount(value) -> Decimal:
    """An amount an admin typed: a positive number with at most two decimals."""
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount != money(amount) or amount <= 0:
        message = _("Enter an amount greater than zero with at most two decimals.")
        raise ValidationFailed(message, errors={"amount": [message]}, code="invalid_amount")
    return amount


def admin_refund_create(
    *, actor: User, payment: Payment, amount, note: str = "", key: str = ""
) -> Refund:
    """An admin gives back any part of a payment, with the reason in `note`. `key` (a uuid the
    confirmation page or the API request carries) makes a repeated submission the same refund."""
    _require_admin(actor)
    amount = parse_amount(amount)
    note = (note or "").strip()
    if not note:
        message = _("Say why the money is given back.")
        raise ValidationFailed(message, errors={"note": [message]})
    if payment.status not in REFUNDABLE:
        message = _("This payment has nothing left to refund.")
        raise Conflict(message, code="not_refundable")
    try:
        cause_key = uuid.UUID(str(key)) if key else uuid.uuid4()
    except ValueError:
        cause_key = uuid.uuid4()
    return refund_create(
        payment=payment,
        amount=amount,
        reason=RefundReason.ADMIN,
        cause=f"admin:{cause_key}",
        actor=actor,
        note=note[:300],
    )


def admin_invoice_mark_paid(
    *, actor: User, invoice: Invoice, note: str = "", now: datetime | None = None
) -> Fulfilment:
    """An admin records the transfer or cash of an outstanding manual invoice: the order is fulfilled
    as a Stripe payment would be. Marking a paid invoice again changes nothing."""
    _require_admin(actor)
    if invoice.kind != InvoiceKind.INVOICE:
        raise Conflict(_("A credit note is not paid."), code="not_an_invoice")
    if invoice.status == InvoiceStatus.VOID:
        raise Conflict(_("This invoice was voided: its order was cancelled."), code="invoice_void")
    return manual_payment_record(actor=actor, order=invoice.order, note=(note or "")[:300], now=now)
