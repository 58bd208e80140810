"""The PDF of an invoice or credit note, for the page (`/billing/invoices/<id>/pdf/`, session login)
and for the API (`GET /api/v1/invoices/{id}/pdf`): the access check is the selector's."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from ..models import Invoice
from .pdf import invoice_pdf_bytes, pdf_filename
from .selectors import invoice_get_for_user


def invoice_pdf_response(invoice: Invoice) -> HttpResponse:
    """The paper inline (browsers show it; "save" keeps its number as the file name), never cached
    by a shared cache. Rendered now if its cached file is missing."""
    response = HttpResponse(invoice_pdf_bytes(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(invoice)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def invoice_pdf(request, invoice_id: int):
    invoice = invoice_get_for_user(user=request.user, invoice_id=invoice_id)
    return invoice_pdf_response(invoice)
