"""django-q2 tasks of the papers: each takes an id, loads the row and is safe to run twice."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from ..models import Invoice
from .pdf import invoice_pdf_bytes, invoice_pdf_ensure, pdf_filename
from .reminders import invoice_reminders_send

logger = logging.getLogger(__name__)

INVOICE_HEADER = "X-Cplatform-Invoice"


def invoice_pdf_render(invoice_id: int) -> str | None:
    """Render and cache the paper's PDF (a second run finds the file and does nothing)."""
    invoice = Invoice.objects.select_related("order", "payer", "corrects").filter(pk=invoice_id)
    invoice = invoice.first()
    if invoice is None:
        return None
    return invoice_pdf_ensure(invoice)


def invoice_email_send(invoice_id: int) -> bool:
    """Mail a manual invoice to its payer with the PDF attached, through the outbox. The outbox
    row's Message-ID is not ours to fix, so a second run is skipped by the header it left."""
    from cplatform.models import OutboundEmail

    invoice = Invoice.objects.select_related("order", "payer").filter(pk=invoice_id).first()
    if invoice is None:
        return False
    marker = f"{invoice.number}"
    if OutboundEmail.objects.filter(**{f"headers__{INVOICE_HEADER}": marker}).exists():
        return False
    with translation.override(invoice.language or "en"):
        context = {"invoice": invoice, "order": invoice.order}
        subject = render_to_string("billing/papers/invoice_email_subject.txt", context).strip()
        body = render_to_string("billing/papers/invoice_email.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[invoice.payer_email],
        headers={INVOICE_HEADER: marker},
    )
    message.attach(pdf_filename(invoice), invoice_pdf_bytes(invoice), "application/pdf")
    message.send()
    logger.info("Invoice %s mailed to its payer", invoice.number)
    return True


def send_invoice_reminders() -> int:
    """Run every hour (billing.papers.schedule): mail the payment reminders that are due."""
    return invoice_reminders_send()
