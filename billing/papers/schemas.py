from datetime import datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema

from catalog.choices import Currency
from cplatform.api_base import sort_enum, sort_field

from ..choices import InvoiceStatus, OrderKind, PaymentMethod, PaymentStatus, RefundReason

AdminPaymentSort = sort_enum(
    "AdminPaymentSort", {"received": ("received_at",), "amount": ("amount",)}
)


class AdminPaymentFilters(Schema):
    status: PaymentStatus | None = None
    method: PaymentMethod | None = None
    currency: Currency | None = None
    sort: AdminPaymentSort = sort_field(AdminPaymentSort, "-received")


class AdminRefundBrief(Schema):
    id: int
    amount: Decimal
    currency: Currency
    reason: RefundReason
    status: str
    created_at: datetime
    credit_note_id: int | None = Field(None, description="Its credit note (`/invoices/{id}/pdf`).")

    @staticmethod
    def resolve_credit_note_id(obj):
        note = getattr(obj, "credit_note", None)
        return note.pk if note else None


class AdminPaymentOut(Schema):
    id: int
    order_id: int
    order_reference: UUID = Field(..., examples=["6f1c7d52-7a8e-4a41-9a52-2d3c2b1d0a11"])
    kind: OrderKind
    method: PaymentMethod
    status: PaymentStatus
    amount: Decimal
    currency: Currency
    refundable: Decimal = Field(..., description="What is left to refund of the order.")
    received_at: datetime
    payer_email: str
    student_email: str
    invoice_ids: list[int] = Field(..., description="The order's invoice and credit notes.")
    refunds: list[AdminRefundBrief]

    @staticmethod
    def resolve_order_reference(obj):
        return obj.order.reference

    @staticmethod
    def resolve_kind(obj):
        return obj.order.kind

    @staticmethod
    def resolve_refundable(obj):
        return obj.order.refundable

    @staticmethod
    def resolve_payer_email(obj):
        return obj.order.payer.email

    @staticmethod
    def resolve_student_email(obj):
        return obj.order.student.email

    @staticmethod
    def resolve_invoice_ids(obj):
        return [invoice.pk for invoice in obj.order.invoices.all()]

    @staticmethod
    def resolve_refunds(obj):
        return list(obj.refunds.all())


class AdminInvoiceOut(Schema):
    id: int
    number: str
    kind: str
    status: InvoiceStatus
    order_id: int
    currency: Currency
    total: Decimal
    payer_email: str
    issued_at: datetime
    due_at: datetime | None
    paid_at: datetime | None
