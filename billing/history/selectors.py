"""Reading what was paid: orders, payments, refunds, invoices and lesson credits, for the people
they concern. One rule for the pages and the API: the payer, the student the order was for, the
student's active guardians (family billing: a parent sees each child's) and admins. A teacher sees
only what they paid themselves, never what anyone paid them or another teacher (their earnings are
`billing.earnings`). Anything else answers like a missing object (404)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum

from authentication.models import User
from authentication.roles import is_admin
from authentication.selectors import child_ids_of
from cplatform.exceptions import NotFound

from ..choices import InvoiceKind, InvoiceStatus, OrderStatus
from ..models import CreditEntry, Invoice, Order, Payment, Refund


def _people(user: User) -> Q:
    """Orders of `user` as payer or student, or of a child of theirs (an `Order` filter)."""
    return Q(payer=user) | Q(student=user) | Q(student__in=child_ids_of(guardian=user))


def order_list_for_user(*, user: User) -> QuerySet[Order]:
    qs = Order.objects.all() if is_admin(user) else Order.objects.filter(_people(user))
    return qs.select_related("student", "payer", "course", "teacher").order_by("-created_at", "-pk")


def order_get_for_user(*, user: User, order_id: int) -> Order:
    order = (
        order_list_for_user(user=user)
        .prefetch_related("lines", "invoices")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound()
    return order


def payment_list_for_user(*, user: User, student_id: int | None = None) -> QuerySet[Payment]:
    orders = order_list_for_user(user=user)
    if student_id is not None:
        orders = orders.filter(student_id=student_id)
    return (
        Payment.objects.filter(order__in=orders.values("pk"))
        .select_related("order", "order__student", "order__payer", "order__course")
        .order_by("-received_at", "-pk")
    )


def refund_list_for_user(*, user: User, student_id: int | None = None) -> QuerySet[Refund]:
    orders = order_list_for_user(user=user)
    if student_id is not None:
        orders = orders.filter(student_id=student_id)
    return (
        Refund.objects.filter(payment__order__in=orders.values("pk"))
        .select_related("payment", "payment__order", "payment__order__student", "credit_note")
        .order_by("-created_at", "-pk")
    )


def invoice_list_for_user(*, user: User, student_id: int | None = None) -> QuerySet[Invoice]:
    """Invoices and credit notes of the orders the user may see (void ones too: they explain a
    number that was given)."""
    orders = order_list_for_user(user=user)
    if student_id is not None:
        orders = orders.filter(student_id=student_id)
    return (
        Invoice.objects.filter(order__in=orders.values("pk"))
        .select_related("order", "order__student", "corrects")
        .order_by("-issued_at", "-pk")
    )


def invoice_get_for_user(*, user: User, invoice_id: int) -> Invoice:
    invoice = (
        invoice_list_for_user(user=user).prefetch_related("lines").filter(pk=invoice_id).first()
    )
    if invoice is None:
        raise NotFound()
    return invoice


def _credit_people(user: User) -> Q:
    return Q(student=user) | Q(student__in=child_ids_of(guardian=user))


def credit_entry_list_for_user(
    *, user: User, student_id: int | None = None
) -> QuerySet[CreditEntry]:
    """Every movement of the lesson credits of the user and their children (admins: everyone's)."""
    qs = (
        CreditEntry.objects.all()
        if is_admin(user)
        else CreditEntry.objects.filter(_credit_people(user))
    )
    if student_id is not None:
        qs = qs.filter(student_id=student_id)
    return qs.select_related("student", "teacher", "order", "lesson").order_by("-created_at", "-pk")


def _balances(entries: QuerySet[CreditEntry]) -> list[dict]:
    """Balance, bought and used per student, teacher and currency: two queries (the sums, then the
    people's names)."""
    rows = list(
        entries.order_by()
        .values("student_id", "teacher_id", "currency")
        .annotate(
            balance=Sum("delta"),
            bought=Sum("delta", filter=Q(delta__gt=0)),
            used=Sum("delta", filter=Q(delta__lt=0)),
        )
        .order_by("student_id", "teacher_id", "currency")
    )
    ids = {row["student_id"] for row in rows} | {row["teacher_id"] for row in rows}
    people = (
        {
            user.pk: user
            for user in User.objects.filter(pk__in=ids).select_related("teacher_profile")
        }
        if ids
        else {}
    )
    return [
        {
            "student_id": row["student_id"],
            "student_name": people[row["student_id"]].name,
            "teacher_id": _profile_id(people[row["teacher_id"]]),
            "teacher_user_id": row["teacher_id"],
            "teacher_name": people[row["teacher_id"]].name,
            "currency": row["currency"],
            "balance": row["balance"] or 0,
            "bought": row["bought"] or 0,
            "used": -(row["used"] or 0),
        }
        for row in rows
    ]


def _profile_id(user) -> int | None:
    profile = getattr(user, "teacher_profile", None)
    return profile.pk if profile else None


def credit_balance_list_for_user(*, user: User, student_id: int | None = None) -> list[dict]:
    """The balance per student, teacher and currency, with what was bought and used."""
    return _balances(credit_entry_list_for_user(user=user, student_id=student_id))


@dataclass
class BillingSummary:
    """The home card: what waits to be paid, what was paid lately, the credits left."""

    open_orders: list[Order] = field(default_factory=list)
    recent_payments: list[Payment] = field(default_factory=list)
    balances: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.open_orders or self.recent_payments or self.balances)


def billing_summary_for_user(*, user: User, recent: int = 3) -> BillingSummary:
    """For the student's and the parent's home, their own and their children's only (an admin's
    home too shows only their own): four queries, whatever the number of rows."""
    orders = Order.objects.filter(_people(user)).select_related("student", "course")
    open_orders = list(orders.filter(status=OrderStatus.OPEN).order_by("-created_at", "-pk")[:5])
    payments = (
        Payment.objects.filter(order__in=orders.values("pk"))
        .select_related("order", "order__student", "order__course")
        .order_by("-received_at", "-pk")
    )
    balances = _balances(CreditEntry.objects.filter(_credit_people(user)))
    return BillingSummary(
        open_orders=open_orders,
        recent_payments=list(payments[:recent]),
        balances=[row for row in balances if row["balance"] > 0],
    )


def open_invoice_of(order: Order) -> Invoice | None:
    """The outstanding invoice of a manual order (prefetched `invoices` are used when there)."""
    for invoice in order.invoices.all():
        if invoice.kind == InvoiceKind.INVOICE and invoice.status == InvoiceStatus.OPEN:
            return invoice
    return None


def invoice_of(order: Order) -> Invoice | None:
    for invoice in order.invoices.all():
        if invoice.kind == InvoiceKind.INVOICE:
            return invoice
    return None
