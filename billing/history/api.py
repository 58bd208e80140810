"""The payer API: payments, invoices (and credit notes) and lesson credits of the caller, their
children (family billing) and, for admins, everyone. Teachers see only what they paid themselves."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from cplatform.api_base import LimitOffset, errors, sort_enum, sort_field, sorted_by

from ..checkout.present import invoice_out
from ..checkout.schemas import CreditBalanceOut, CreditEntryOut, InvoiceOut, PaymentOut
from . import selectors

router = Router(tags=["billing"])

PaymentSort = sort_enum("PaymentSort", {"received": ("received_at",), "amount": ("amount",)})
InvoiceSort = sort_enum("InvoiceSort", {"issued": ("issued_at",), "number": ("number",)})
CreditEntrySort = sort_enum("CreditEntrySort", {"created": ("created_at",)})
# Balances are sums per student, teacher and currency, sorted after they are summed.
CreditBalanceSort = sort_enum(
    "CreditBalanceSort",
    {"student": ("student_name", "teacher_name", "currency"), "balance": ("balance",)},
)


class StudentFilter(Schema):
    student_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Only this student's (you or a linked child)."
    )


class PaymentFilter(StudentFilter):
    sort: PaymentSort = sort_field(PaymentSort, "-received")


class InvoiceFilter(StudentFilter):
    sort: InvoiceSort = sort_field(InvoiceSort, "-issued")


class CreditEntryFilter(StudentFilter):
    sort: CreditEntrySort = sort_field(CreditEntrySort, "-created")


class CreditBalanceFilter(StudentFilter):
    sort: CreditBalanceSort = sort_field(CreditBalanceSort, "student")


def _sorted_rows(rows: list[dict], sort) -> list[dict]:
    """Rows (dicts) in the order a `CreditBalanceSort` names; names compare case-insensitively."""
    fields = ("student_name", "teacher_name", "currency")
    if sort.value.removeprefix("-") == "balance":
        fields = ("balance", *fields)

    def key(row):
        return tuple(row[f].casefold() if isinstance(row[f], str) else row[f] for f in fields)

    ordered = sorted(rows, key=key)
    if sort.value.startswith("-"):
        ordered.reverse()
    return ordered


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
def list_my_payments(request, filters: Query[PaymentFilter]):
    """Payments for you and your linked children (admins: all), newest first."""
    qs = selectors.payment_list_for_user(user=request.auth, student_id=filters.student_id)
    qs = sorted_by(qs, filters.sort)
    return _Mapped(qs, _payment_out)


@router.get(
    "/invoices",
    response={200: list[InvoiceOut], **errors(401, 422)},
    auth=auth_for(),
)
@paginate(LimitOffset)
def list_my_invoices(request, filters: Query[InvoiceFilter]):
    """Invoices and credit notes of your orders and your children's (admins: all), newest first."""
    qs = selectors.invoice_list_for_user(
        user=request.auth, student_id=filters.student_id
    ).prefetch_related("lines")
    qs = sorted_by(qs, filters.sort)
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
def list_credits(request, filters: Query[CreditBalanceFilter]):
    """Lesson credit balances per student, teacher and currency (bought, used, left), yours and
    your children's (admins: everyone's)."""
    rows = selectors.credit_balance_list_for_user(user=request.auth, student_id=filters.student_id)
    return _sorted_rows(rows, filters.sort)


@router.get(
    "/credits/entries",
    response={200: list[CreditEntryOut], **errors(401, 422)},
    auth=auth_for(),
)
@paginate(LimitOffset)
def list_credit_entries(request, filters: Query[CreditEntryFilter]):
    """Every movement of those credits (bought, used, returned, lapsed), newest first."""
    qs = selectors.credit_entry_list_for_user(user=request.auth, student_id=filters.student_id)
    qs = sorted_by(qs, filters.sort)
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
