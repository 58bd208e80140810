"""Who may read which invoice or credit note: the payer, the student the order was for, that
student's active guardians, and admins. Anyone else meets the 404 a missing id meets."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from authentication.models import User
from authentication.roles import is_admin
from authentication.selectors import child_ids_of
from cplatform.exceptions import NotFound

from ..choices import InvoiceStatus, PaymentStatus
from ..models import Invoice, InvoiceReminder, Payment


def _visible(user: User) -> Q:
    return (
        Q(payer=user)
        | Q(order__student=user)
        | Q(order__student_id__in=child_ids_of(guardian=user))
    )


def invoice_list_for_user(*, user: User) -> QuerySet[Invoice]:
    """The papers `user` may read, newest first (admins: all of them)."""
    if not user.is_authenticated:
        return Invoice.objects.none()
    invoices = Invoice.objects.select_related("order", "corrects", "payer")
    if not is_admin(user):
        invoices = invoices.filter(_visible(user))
    return invoices.order_by("-issued_at", "-pk")


def invoice_get_for_user(*, user: User, invoice_id: int) -> Invoice:
    invoice = invoice_list_for_user(user=user).filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound()
    return invoice


# --- the admins' lists ---------------------------------------------------------------------------


def _admin_only(actor: User) -> None:
    if not is_admin(actor):
        raise NotFound()


def payment_list_for_admin(
    *, actor: User, status: str = "", method: str = "", currency: str = ""
) -> QuerySet[Payment]:
    """Every payment, newest first, with its order, payer and student in the same query."""
    _admin_only(actor)
    payments = Payment.objects.select_related("order", "order__payer", "order__student")
    if status:
        payments = payments.filter(status=status)
    if method:
        payments = payments.filter(method=method)
    if currency:
        payments = payments.filter(currency=currency)
    return payments.order_by("-received_at", "-pk")


def payment_get_for_admin(*, actor: User, payment_id: int) -> Payment:
    _admin_only(actor)
    payment = (
        Payment.objects.select_related("order", "order__payer", "order__student")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        raise NotFound()
    return payment


def outstanding_invoice_list_for_admin(*, actor: User) -> QuerySet[Invoice]:
    """Manual invoices waiting for their money, the oldest due first, each with its last payment
    reminder (`last_reminder_at`, `last_reminder_stage`; None when none went) in the same query."""
    from ..choices import InvoiceKind

    _admin_only(actor)
    last = InvoiceReminder.objects.filter(invoice=OuterRef("pk")).order_by("-sent_at", "-pk")
    return (
        Invoice.objects.filter(kind=InvoiceKind.INVOICE, status=InvoiceStatus.OPEN)
        .select_related("order", "payer")
        .annotate(
            last_reminder_at=Subquery(last.values("sent_at")[:1]),
            last_reminder_stage=Subquery(last.values("stage")[:1]),
        )
        .order_by("due_at", "pk")
    )


def invoice_get_for_admin(*, actor: User, invoice_id: int) -> Invoice:
    _admin_only(actor)
    invoice = Invoice.objects.select_related("order", "payer").filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound()
    return invoice


REFUNDABLE = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED)
