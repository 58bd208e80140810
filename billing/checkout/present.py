"""Orders and invoices as the API and the pages show them (plain dicts for the schemas)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from cplatform.api_http import absolute_url

from ..choices import InvoiceKind
from ..models import Invoice, Order

# The papers part serves the PDFs; its page's name (linked when it is there).
INVOICE_PDF_URL_NAME = "billing-invoice-pdf"


def invoice_pdf_url(invoice: Invoice, request=None) -> str | None:
    try:
        path = reverse(INVOICE_PDF_URL_NAME, args=[invoice.pk])
    except NoReverseMatch:
        return None
    return absolute_url(path, request)


def line_out(line) -> dict:
    return {
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "amount": line.amount,
        "lesson_id": getattr(line, "lesson_id", None),
    }


def invoice_brief(invoice: Invoice, request=None) -> dict:
    return {
        "id": invoice.pk,
        "number": invoice.number,
        "kind": invoice.kind,
        "status": invoice.status,
        "currency": invoice.currency,
        "total": invoice.total,
        "issued_at": invoice.issued_at,
        "due_at": invoice.due_at,
        "paid_at": invoice.paid_at,
        "pdf_url": invoice_pdf_url(invoice, request),
    }


def invoice_out(invoice: Invoice, request=None) -> dict:
    return {
        **invoice_brief(invoice, request),
        "order_id": invoice.order_id,
        "student_id": invoice.order.student_id,
        "student_name": invoice.order.student.name,
        "corrects_id": invoice.corrects_id,
        "lines": [line_out(line) for line in invoice.lines.all()],
    }


def order_out(order: Order, request=None, *, redirect_url: str | None = None) -> dict:
    """`order` with `lines` and `invoices` prefetched (order_get_for_user does)."""
    invoice = next((i for i in order.invoices.all() if i.kind == InvoiceKind.INVOICE), None)
    return {
        "id": order.pk,
        "reference": str(order.reference),
        "kind": order.kind,
        "status": order.status,
        "method": order.method,
        "payer_name": order.payer.name,
        "student_id": order.student_id,
        "student_name": order.student.name,
        "course_id": order.course_id,
        "enrollment_id": order.enrollment_id,
        "currency": order.currency,
        "subtotal": order.subtotal,
        "discount": order.discount,
        "total": order.total,
        "refunded": order.refunded,
        "coupon": order.coupon.code if order.coupon_id else None,
        "created_at": order.created_at,
        "expires_at": order.expires_at,
        "paid_at": order.paid_at,
        "lines": [line_out(line) for line in order.lines.all()],
        "invoice": invoice_brief(invoice, request) if invoice else None,
        "redirect_url": redirect_url,
        "pay_url": absolute_url(reverse("billing-order", args=[order.pk]), request),
    }
