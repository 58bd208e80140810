"""Invoices and credit notes as PDF: rendered after the commit that issues them, cached in the
private storage, rendered again when missing, in the payer's language; read back with pypdf."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from billing.choices import InvoiceKind, InvoiceStatus, RefundReason
from billing.models import Invoice
from billing.papers.pdf import invoice_pdf_bytes, pdf_name
from billing.papers.services import manual_invoice_issue
from billing.services import refund_create
from courses.storage import private_storage
from tests.billing.factories_papers import course_order, paid_course_order
from tests.outbox import send_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def invoice_of(order) -> Invoice:
    return order.invoices.get(kind=InvoiceKind.INVOICE)


def test_an_english_payers_invoice_shows_its_number_total_and_lines():
    order = paid_course_order(price=Decimal("1240.50"), title="Algebra I")
    invoice = invoice_of(order)
    text = text_of(invoice_pdf_bytes(invoice))
    assert invoice.number in text
    assert "1,240.50 EUR" in text
    assert "Course: Algebra I" in text
    assert "Invoice" in text and "Paid. Thank you." in text


def test_a_spanish_payers_invoice_is_in_spanish():
    order = paid_course_order(price=Decimal("1240.50"), currency="MXN", language="es")
    invoice = invoice_of(order)
    assert invoice.language == "es"
    text = text_of(invoice_pdf_bytes(invoice))
    assert "Factura" in text and invoice.number in text
    assert "Total 1\u00a0240,50 MXN" in text  # Spanish separators
    assert "Pagada" in text


def test_a_credit_note_names_the_invoice_it_corrects():
    order = paid_course_order(price=Decimal("90.00"))
    refund = refund_create(
        payment=order.payments.get(), amount=Decimal("30"), reason=RefundReason.ADMIN, cause="t:1"
    )
    note = refund.credit_note
    text = text_of(invoice_pdf_bytes(note))
    assert note.number.startswith("CN-") and note.number in text
    assert f"Credit note for {invoice_of(order).number}" in text
    assert "-30.00 EUR" in text


def test_the_pdf_is_rendered_after_the_commit_that_issues_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = course_order()
    invoice = invoice_of(order)
    assert invoice.status == InvoiceStatus.OPEN
    assert private_storage.exists(pdf_name(invoice))


def test_a_missing_pdf_is_rendered_again_and_a_paid_invoice_gets_a_new_one():
    order = course_order()
    invoice = invoice_of(order)
    assert not private_storage.exists(pdf_name(invoice))
    assert "Outstanding" in text_of(invoice_pdf_bytes(invoice))
    assert private_storage.exists(pdf_name(invoice))
    from billing.services import manual_payment_record
    from tests.authentication.factories import AdminFactory

    manual_payment_record(actor=AdminFactory(), order=order)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert "Paid. Thank you." in text_of(invoice_pdf_bytes(invoice))


def test_a_manual_invoice_is_due_in_the_configured_days_and_mailed_with_its_pdf(settings):
    settings.BILLING_MANUAL_PAYMENT_DAYS = 10
    mail.outbox.clear()
    order = course_order(language="es", title="Historia")
    invoice = invoice_of(order)
    assert invoice.status == InvoiceStatus.OPEN
    assert abs(invoice.due_at - (timezone.now() + timedelta(days=10))) < timedelta(minutes=1)
    # issuing it again is the same invoice and no second email
    assert manual_invoice_issue(order=order) == invoice
    from billing.papers.tasks import invoice_email_send

    assert invoice_email_send(invoice.pk) is True
    assert invoice_email_send(invoice.pk) is False
    sent = [m for m in send_outbox() if invoice.payer_email in m.to]
    assert len(sent) == 1
    message = sent[0]
    assert invoice.number in message.subject and "factura" in message.subject.lower()
    (name, content, mimetype) = message.attachments[0]
    assert name == f"{invoice.number}.pdf" and mimetype == "application/pdf"
    assert invoice.number in text_of(content)


def test_a_family_paying_in_two_currencies_gets_one_invoice_per_currency():
    from tests.authentication.consent import link
    from tests.authentication.factories import ParentFactory, StudentFactory

    parent = ParentFactory()
    first, second = StudentFactory(), StudentFactory()
    link(parent, first)
    link(parent, second)
    euros = paid_course_order(student=first, payer=parent, currency="EUR")
    dollars = paid_course_order(student=second, payer=parent, currency="USD")
    papers = Invoice.objects.filter(payer=parent, kind=InvoiceKind.INVOICE)
    assert sorted(papers.values_list("currency", flat=True)) == ["EUR", "USD"]
    assert invoice_of(euros).currency == "EUR" and invoice_of(dollars).currency == "USD"
    assert all(i.lines.count() == 1 for i in papers)
