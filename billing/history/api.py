"""The payer API: payments, invoices (and credit notes) and lesson credits of the caller, their
children (family billing) and, for admins, everyone. Teachers see only what they paid themselves."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from cplatform.api_base import LimitOffset, errors

from ..checkout.present import invoice_out
from ..checkout.schemas import CreditBalanceOut, CreditEntryOut, InvoiceOut, PaymentOut
from . import selectors

router = Router(tags=["billing"])


class StudentFilter(Schema):
    student_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Only this student's (you or a linked child)."
    )


def _payment_out(payment) -> dict:
    order = payment.order
    return {
        "id": payment.pk,
        "order_id": order.pk,
        "order_kind": order.kind,
        "student_id": order.student_id,
        "student_name": order.student.name,
        "description": order.course.title if order.course_id else order.get_kind_display(),
        "method": payment.method,
        "status": payment.status,
        "amount": payment.amount,
        "currency": payment.currency,
        "received_at": payment.received_at,
    }


class _Mapped:
    """A queryset's page mapped to dicts after it is sliced (the paginator counts and slices)."""

    def __init__(self, qs, fn):
        self.qs, self.fn = qs, fn

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        return [self.fn(item) for item in self.qs[window]]


@router.get(
    "/payments",
    response={200: list[PaymentOut], **errors(401, 422)},
    auth=auth_for(),
)
@paginate(LimitOffset)
def list_my_payments(request, filters: Query[StudentFilter]):
    """Payments for you and your linked children (admins: all), newest first."""
    qs = selectors.payment_list_for_user(user=request.auth, student_id=filters.student_id)
    return _Mapped(qs, _payment_out)


@router.get(
    "/invoices",
    response={200: list[InvoiceOut], **errors(401, 422)},
    auth=auth_for(),
)
@paginate(LimitOffset)
def list_my_invoices(request, filters: Query[StudentFilter]):
    """Invoices and credit notes of your orders and your children's (admins: all), newest first."""
    qs = selectors.invoice_list_for_user(
        user=request.auth, student_id=filters.student_id
    ).prefetch_related("lines")
    return _Mapped(qs, lambda invoice: invoice_out(invoice, request))


@router.get(
    "/invoices/{invoice_id}",
    response={200: InvoiceOut, **errors(401, 404)},
    auth=auth_for(),
)
def retrieve_my_invoice(request, invoice_id: int):
    """One invoice or credit note you may see (the payer, the student, their guardians, admins);
    others: 404."""
    return invoice_out(
        selectors.invoice_get_for_user(user=request.auth, invoice_id=invoice_id), request
    )


@router.get(
    "/credits",
    response={200: list[CreditBalanceOut], **errors(401, 422)},
    auth=auth_for(),
)
@paginate(LimitOffset)
def list_credits(request, filters: Query[StudentFilter]):
    """Lesson credit balances per student, teacher and currency (bought, used, left), yours and
    your children's (admins: everyone's)."""
    return selectors.credit_balance_list_for_user(user=request.auth, student_id=filters.student_id)


@router.get(
    "/credits/entries",
    response={200: list[CreditEntryOut], **errors(401, 422)},
    auth=auth_for(),
)
@paginate(LimitOffset)
def list_credit_entries(request, filters: Query[StudentFilter]):
    """Every movement of those credits (bought, used, returned, lapsed), newest first."""
    qs = selectors.credit_entry_list_for_user(user=request.auth, student_id=filters.student_id)
    return _Mapped(qs.select_related("teacher__teacher_profile"), _credit_entry_out)


def _credit_entry_out(entry) -> dict:
    profile = getattr(entry.teacher, "teacher_profile", None)
    return {
        "id": entry.pk,
        "student_id": entry.student_id,
        "student_name": entry.student.name,
        "teacher_id": profile.pk if profile else None,
        "teacher_name": entry.teacher.name,
        "currency": entry.currency,
        "delta": entry.delta,
        "cause": entry.cause,
        "order_id": entry.order_id,
        "lesson_id": entry.lesson_id,
        "created_at": entry.created_at,
    }
