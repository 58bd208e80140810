"""The payer API's shapes: checkout in, orders, payments, invoices and credits out."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from ninja import Field, Schema

from cplatform.api_base import InputSchema

ID = {"ge": 1, "le": 2**31 - 1}


class OrderLineOut(Schema):
    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    lesson_id: int | None


class InvoiceBrief(Schema):
    id: int
    number: str
    kind: str
    status: str
    currency: str
    total: Decimal
    issued_at: datetime
    due_at: datetime | None
    paid_at: datetime | None
    pdf_url: str | None = Field(None, description="The PDF, when papers serves it.")


class OrderOut(Schema):
    id: int
    reference: str
    kind: str = Field(..., description="course | lesson | package | plan")
    status: str = Field(
        ..., description="open | paid | cancelled | expired | refunded | partially_refunded"
    )
    method: str = Field(..., description="stripe | manual | credit")
    payer_name: str = Field(..., description="Who pays: the student, or a parent of theirs.")
    student_id: int
    student_name: str
    course_id: int | None
    enrollment_id: int | None
    currency: str
    subtotal: Decimal
    discount: Decimal
    total: Decimal
    refunded: Decimal
    coupon: str | None
    created_at: datetime
    expires_at: datetime | None
    paid_at: datetime | None
    lines: list[OrderLineOut]
    invoice: InvoiceBrief | None = Field(
        None, description="The order's invoice (a manual order's is outstanding until paid)."
    )
    redirect_url: str | None = Field(
        None,
        description="Where to send the payer to pay by card (Stripe Checkout): given in the answer "
        "that placed a Stripe order; null for manual orders and in later reads.",
    )
    pay_url: str = Field(..., description="The site's page of the order (how to pay, its state).")


class CheckoutKind(StrEnum):
    COURSE = "course"
    PACKAGE = "package"
    LESSON = "lesson"
    PLAN = "plan"


class CheckoutMethod(StrEnum):
    STRIPE = "stripe"
    MANUAL = "manual"


class CheckoutIn(InputSchema):
    kind: CheckoutKind
    enrollment_id: int | None = Field(
        None, **ID, description="course, package: the pending enrolment to pay."
    )
    lesson_ids: list[int] | None = Field(
        None, min_length=1, max_length=20, description="lesson: the held lessons to pay."
    )
    plan_id: int | None = Field(None, **ID, description="plan: the subscription plan.")
    student_id: int | None = Field(
        None, **ID, description="plan: the student it is for (you, or a linked child)."
    )
    method: CheckoutMethod | None = Field(
        None, description="Default: card where Stripe is on, else bank transfer."
    )
    coupon: str | None = Field(None, max_length=40, description="A promotion code.")


class PaymentOut(Schema):
    id: int
    order_id: int
    order_kind: str
    student_id: int
    student_name: str
    description: str
    method: str
    status: str
    amount: Decimal
    currency: str
    received_at: datetime


class InvoiceOut(InvoiceBrief):
    order_id: int
    student_id: int
    student_name: str
    corrects_id: int | None = Field(..., description="A credit note: the invoice it corrects.")
    lines: list[OrderLineOut]


class CreditEntryOut(Schema):
    id: int
    student_id: int
    student_name: str
    teacher_id: int | None = Field(..., description="The teacher's profile (GET /teachers/{id}).")
    teacher_name: str
    currency: str
    delta: int
    cause: str
    order_id: int | None
    lesson_id: int | None
    created_at: datetime


class CreditBalanceOut(Schema):
    student_id: int
    student_name: str
    teacher_id: int | None = Field(..., description="The teacher's profile (GET /teachers/{id}).")
    teacher_name: str
    currency: str
    balance: int
    bought: int
    used: int


class CreditsOut(Schema):
    balances: list[CreditBalanceOut]
    entries: list[CreditEntryOut] = Field(..., description="The latest movements (at most 100).")
