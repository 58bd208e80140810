"""The PDF of an invoice or credit note in the API (the JSON list and detail are the payer API's,
billing/history)."""

from ninja import Router

from authentication.api_auth import auth_for
from cplatform.api_base import errors

from .selectors import invoice_get_for_user
from .views import invoice_pdf_response

router = Router(tags=["invoices"])


@router.get(
    "/invoices/{invoice_id}/pdf",
    response={200: None, **errors(401, 404)},
    auth=auth_for(),
    url_name="invoice_pdf",
    openapi_extra={
        "responses": {
            200: {
                "description": "The invoice or credit note as PDF (`Content-Type: "
                "application/pdf`), in the payer's language.",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_invoice_pdf(request, invoice_id: int):
    """For the payer, the student the order was for, that student's guardians and admins; anyone
    else: 404, as a missing id."""
    invoice = invoice_get_for_user(user=request.auth, invoice_id=invoice_id)
    return invoice_pdf_response(invoice)
