"""Invoices and credit notes as PDF (WeasyPrint), in the payer's language (`invoice.language`).

A paper is rendered once, after the commit that issued it (`billing.papers.tasks.invoice_pdf_render`),
and cached in the private storage under a name derived from its number and status (a paper never
changes once issued except its status: an outstanding invoice that is paid or voided is a new file);
the download renders it again when the file is missing (a lost disk, a paper issued before this
existed). Dates are shown in the payer's timezone."""

from __future__ import annotations

import logging
import zoneinfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from courses.storage import private_storage

from ..choices import InvoiceKind
from ..models import Invoice

logger = logging.getLogger(__name__)

PDF_DIR = "billing/papers"


def school_name() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def pdf_name(invoice: Invoice) -> str:
    """The paper's file in the private storage: its number is unique and never reused."""
    return f"{PDF_DIR}/{invoice.year}/{invoice.number}-{invoice.pk}-{invoice.status}.pdf"


def pdf_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"


def invoice_html(invoice: Invoice) -> str:
    """The paper as HTML, in its own language (whatever the language of the request or task)."""
    language = invoice.language if invoice.language in dict(settings.LANGUAGES) else "en"
    lines = list(invoice.lines.all())
    corrects = invoice.corrects if invoice.kind == InvoiceKind.CREDIT_NOTE else None
    zone = _zone(getattr(invoice.payer, "timezone", "") or settings.TIME_ZONE)
    with translation.override(language), timezone.override(zone):
        return render_to_string(
            "billing/invoice_pdf.html",
            {
                "invoice": invoice,
                "order": invoice.order,
                "lines": lines,
                "corrects": corrects,
                "is_credit_note": invoice.kind == InvoiceKind.CREDIT_NOTE,
                "school_name": school_name(),
                "language": language,
            },
        )


def _zone(name: str):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def invoice_pdf_render(invoice: Invoice) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - loads Pango; only the renderer needs it

    return HTML(string=invoice_html(invoice)).write_pdf()


def invoice_pdf_store(invoice: Invoice) -> str:
    """Render the paper and (re)write its cached file; returns the storage name."""
    name = pdf_name(invoice)
    content = invoice_pdf_render(invoice)
    if private_storage.exists(name):
        private_storage.delete(name)
    saved = private_storage.save(name, ContentFile(content))
    if saved != name:  # a concurrent renderer wrote it first: keep one file
        private_storage.delete(saved)
    logger.info("PDF of %s written (%s bytes)", invoice.number, len(content))
    return name


def invoice_pdf_ensure(invoice: Invoice, *, refresh: bool = False) -> str:
    """The storage name of the paper's PDF, rendering it when missing (or when `refresh`)."""
    name = pdf_name(invoice)
    if refresh or not private_storage.exists(name):
        invoice_pdf_store(invoice)
    return name


def invoice_pdf_bytes(invoice: Invoice) -> bytes:
    name = invoice_pdf_ensure(invoice)
    with private_storage.open(name, "rb") as handle:
        return handle.read()
