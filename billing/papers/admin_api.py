"""The admins' billing API at /api/v1/admin/: payments (filtered), refund any part of one, mark a
manual invoice paid. Non-admins get the 403 of every admin operation (`auth_for(Role.ADMIN)`)."""

from decimal import Decimal
from uuid import UUID

from django.db.models import Prefetch
from ninja import Field, Query, Router
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from authentication.choices import Role
from cplatform.api_base import InputSchema, LimitOffset, errors, sorted_by

from ..models import Refund
from .schemas import AdminInvoiceOut, AdminPaymentFilters, AdminPaymentOut, AdminRefundBrief
from .selectors import invoice_get_for_admin, payment_get_for_admin, payment_list_for_admin
from .services import admin_invoice_mark_paid, admin_refund_create

router = Router(tags=["admin"], auth=auth_for(Role.ADMIN))


def _with_papers(payments):
    return payments.prefetch_related(
        "order__invoices",
        Prefetch("refunds", queryset=Refund.objects.select_related("credit_note")),
    )


class AdminRefundIn(InputSchema):
    amount: Decimal = Field(
        ..., gt=0, max_digits=10, decimal_places=2, description="Any part of what is left."
    )
    note: str = Field(..., min_length=1, max_length=300, description="Why (kept with the refund).")
    key: UUID | None = Field(
        None,
        description="Send the same key again and the answer is the same refund, never two.",
        examples=["0b8f7a1e-1f3a-4c3e-8a44-6c0f0c9e2b7d"],
    )


class MarkPaidIn(InputSchema):
    note: str = Field("", max_length=300, description="How the money came (transfer reference).")


@router.get("/payments", response={200: list[AdminPaymentOut], **errors(401, 403, 422)})
@paginate(LimitOffset)
def list_payments(request, filters: Query[AdminPaymentFilters]):
    """Every payment, newest first, filtered by status, method and currency; each with its order,
    refunds and papers."""
    payments = payment_list_for_admin(
        actor=request.auth,
        status=filters.status or "",
        method=filters.method or "",
        currency=filters.currency or "",
    )
    return _with_papers(sorted_by(payments, filters.sort))


@router.post(
    "/payments/{payment_id}/refund",
    response={200: AdminRefundBrief, **errors(400, 401, 403, 404, 409, 422)},
)
def refund_payment(request, payment_id: int, payload: AdminRefundIn):
    """Give back any part of a payment (422 `refund_too_large` on `amount` when more than what is
    left). A Stripe payment's refund is sent to Stripe after the commit (`pending` until then).
    200, not 201: the refund is an action on the payment and is read back in the payment's
    `refunds` (GET /admin/payments); `key` makes a retry answer the same refund."""
    payment = payment_get_for_admin(actor=request.auth, payment_id=payment_id)
    refund = admin_refund_create(
        actor=request.auth,
        payment=payment,
        amount=payload.amount,
        note=payload.note,
        key=str(payload.key) if payload.key else "",
    )
    return Refund.objects.select_related("credit_note").get(pk=refund.pk)


@router.post(
    "/invoices/{invoice_id}/mark-paid",
    response={200: AdminInvoiceOut, **errors(400, 401, 403, 404, 409, 422)},
)
def mark_invoice_paid(request, invoice_id: int, payload: MarkPaidIn):
    """Record the transfer or cash of an outstanding manual invoice: the order is fulfilled as a
    card payment would be. Marking a paid invoice again answers it unchanged."""
    invoice = invoice_get_for_admin(actor=request.auth, invoice_id=invoice_id)
    admin_invoice_mark_paid(actor=request.auth, invoice=invoice, note=payload.note)
    return invoice_get_for_admin(actor=request.auth, invoice_id=invoice_id)
