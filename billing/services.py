"""Billing's writes: orders, fulfilment exactly once, numbered papers, the credit ledger, refunds and
earnings. Stripe calls live in `billing/stripe/` and are made after commit; everything here is pure
database work, so a Stripe webhook, an admin marking a transfer paid and a payment with credits all
end in the same `order_fulfil`.

Exactly once: `order_fulfil` locks the order row; a paid order answers the replay with what it did the
first time. Every other movement is keyed by a unique `cause`/`cause_key`, so a repeated call finds the
row it wrote before (and `IntegrityError` under a race is turned into the same answer)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from authentication.models import User
from authentication.roles import is_admin
from authentication.selectors import acts_for_student, guardian_consent_require, is_guardian_of
from classroom.choices import LessonStatus
from classroom.models import Lesson
from classroom.scheduling.services import lesson_cancel, lesson_hold_expire
from courses.choices import EnrollmentStatus
from courses.models import Enrollment
from courses.services import enrollment_release_unpaid, enrollment_remove, enrollment_withdraw
from cplatform.exceptions import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from cplatform.signals import announce

from . import signals
from .choices import (
    InvoiceKind,
    InvoiceStatus,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    RefundReason,
    RefundStatus,
)
from .conf import commission_percent
from .models import (
    CreditEntry,
    EarningEntry,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    Order,
    OrderLine,
    Payment,
    Refund,
)

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- who pays ----------------------------------------------------------------------------------


def payer_check(*, actor: User, student: User) -> None:
    """The payer is the student or a linked parent (family billing); anyone else gets the 404 a
    missing student gets. A student held by the guardian-consent gate cannot be paid for yet."""
    if actor.pk != student.pk and not is_guardian_of(guardian=actor, child_id=student.pk):
        raise NotFound()
    guardian_consent_require(student=student, actor=actor)


# --- orders ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    description: str
    unit_price: Decimal
    quantity: int = 1
    lesson: object | None = None


def order_create(
    *,
    actor: User,
    student: User,
    kind: str,
    method: str,
    currency: str,
    lines: list[Line],
    expires_at: datetime | None = None,
    **links,
) -> Order:
    """An OPEN order for `lines` (with `links`: course, enrollment, plan, teacher, coupon). The
    caller has checked what is sold; this checks the payer and writes the rows."""
    payer_check(actor=actor, student=student)
    if not lines:
        raise ValidationFailed(_("There is nothing to pay."), code="nothing_to_pay")
    subtotal = money(sum((line.unit_price * line.quantity for line in lines), Decimal("0")))
    discount = money(links.pop("discount", Decimal("0")))
    total = max(subtotal - discount, Decimal("0"))
    try:
        with transaction.atomic():
            order = Order.objects.create(
                kind=kind,
                method=method,
                payer=actor,
                student=student,
                currency=currency,
                subtotal=subtotal,
                discount=discount,
                total=total,
                expires_at=expires_at,
                language=getattr(actor, "language", "") or translation.get_language() or "en",
                **links,
            )
            OrderLine.objects.bulk_create(
                OrderLine(
                    order=order,
                    description=line.description[:300],
                    quantity=line.quantity,
                    unit_price=money(line.unit_price),
                    amount=money(line.unit_price * line.quantity),
                    lesson=line.lesson,
                )
                for line in lines
            )
    except IntegrityError as exc:
        message = _("This is already on an order: pay or cancel that one.")
        raise Conflict(message, code="already_ordered") from exc
    return order


def order_get_locked(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


@dataclass
class Fulfilment:
    order: Order
    payment: Payment
    created: bool  # False: a replay found the payment it made before


def order_fulfil(
    *,
    order_id: int,
    method: str,
    amount: Decimal,
    currency: str,
    stripe_payment_intent_id: str = "",
    stripe_charge_id: str = "",
    recorded_by: User | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Fulfilment:
    """Record that `amount` arrived for the order and deliver what it bought, exactly once.

    A replay (the same intent, or any payment for an order already paid by it) returns the first
    result and changes nothing. A payment for an order that was cancelled or expired, or whose goods
    can no longer be delivered (the held slot was taken, the enrolment released), is kept and then
    refunded in full, once (`RefundReason.HOLD_EXPIRED` / `ENROLLMENT_EXPIRED`)."""
    from .fulfilment import deliver  # noqa: PLC0415 - the per-kind deliverers import this module

    now = now or timezone.now()
    amount = money(amount)
    with transaction.atomic():
        order = order_get_locked(order_id)
        existing = order.payments.exclude(status=PaymentStatus.FAILED).first()
        if existing is not None:
            if stripe_payment_intent_id and existing.stripe_payment_intent_id not in (
                "",
                stripe_payment_intent_id,
            ):
                logger.warning(
                    "Order %s paid twice (intents %s, %s)",
                    order.pk,
                    existing.stripe_payment_intent_id,
                    stripe_payment_intent_id,
                )
            return Fulfilment(order=order, payment=existing, created=False)
        if currency.upper() != order.currency or amount != order.total:
            message = _("The payment (%(amount)s %(currency)s) does not match the order.") % {
                "amount": amount,
                "currency": currency.upper(),
            }
            raise Conflict(message, code="payment_mismatch")
        payment = Payment.objects.create(
            order=order,
            method=method,
            status=PaymentStatus.SUCCEEDED,
            amount=amount,
            currency=order.currency,
            received_at=now,
            recorded_by=recorded_by,
            stripe_payment_intent_id=stripe_payment_intent_id,
            stripe_charge_id=stripe_charge_id,
            note=note,
        )
        late_reason = None
        if order.status == OrderStatus.OPEN:
            try:
                with transaction.atomic():
                    deliver(order=order, payment=payment, now=now)
            except DomainError as exc:
                logger.warning("Order %s paid but not deliverable: %s", order.pk, exc.code)
                late_reason = (
                    RefundReason.ENROLLMENT_EXPIRED
                    if order.enrollment_id
                    else RefundReason.HOLD_EXPIRED
                )
        else:
            late_reason = (
                RefundReason.ENROLLMENT_EXPIRED
                if order.enrollment_id
                else RefundReason.HOLD_EXPIRED
            )
        order.status = OrderStatus.PAID
        order.paid_at = now
        order.save(update_fields=["status", "paid_at"])
        invoice = invoice_for_order(order=order, paid_at=now)
        announce(
            signals.payment_received,
            signals.payment_received_committed,
            sender=Order,
            order=order,
            payment=payment,
        )
        if late_reason is not None:
            refund_create(
                payment=payment,
                amount=payment.amount,
                reason=late_reason,
                cause=f"order:{order.pk}:undeliverable",
            )
        logger.info("Order %s paid (%s, invoice %s)", order.pk, method, invoice.number)
    return Fulfilment(order=order, payment=payment, created=True)


def order_cancel(
    *,
    actor: User | None,
    order: Order,
    status: str = OrderStatus.CANCELLED,
    now: datetime | None = None,
) -> Order:
    """Close an unpaid order. Its open manual invoice is voided. A paid order is not cancelled:
    refund it (Conflict `order_paid`); a closed one is answered as it is (cancelling twice is
    harmless). With an `actor` (the payer, who changed their mind, or an admin; anyone else: 404)
    what the order held is let go too, in the same transaction: its held lessons are cancelled
    (their slots free again) and its pending enrolment ends (the seat returns, the waitlist moves
    up), through classroom's and courses' own services, as when they run out unpaid; what the
    actor no longer acts for (a parent whose link to the child ended) is left to run out. Without one
    (the system closing an order it replaces, or one Stripe expired) the holds are left to run
    out on their own, so the payer may still pay for them on a new order."""
    now = now or timezone.now()
    with transaction.atomic():
        order = order_get_locked(order.pk)
        if actor is not None and not (actor.pk == order.payer_id or is_admin(actor)):
            raise NotFound()
        if order.status != OrderStatus.OPEN:
            if order.status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED):
                return order
            raise Conflict(_("A paid order cannot be cancelled; refund it."), code="order_paid")
        order.status = status
        order.save(update_fields=["status"])
        order.invoices.filter(kind=InvoiceKind.INVOICE, status=InvoiceStatus.OPEN).update(
            status=InvoiceStatus.VOID
        )
        if actor is not None:
            _order_release(order, actor=actor, now=now)
    return order


def _order_release(order: Order, *, actor: User, now: datetime) -> None:
    """Let go what an order cancelled by `actor` held. Called after the order is closed, so
    billing's own receivers of the cancellations find no open order left to close. A hold or an
    enrolment already past its deadline (not yet swept) ends as the sweep would end it: expired."""
    held = Lesson.objects.filter(
        pk__in=order.lines.exclude(lesson=None).values("lesson_id"), status=LessonStatus.HELD
    ).order_by("start", "pk")
    reason = _("The order for this booking was cancelled.")
    admin = is_admin(actor)
    for lesson in held:
        if lesson.hold_expires_at is not None and lesson.hold_expires_at <= now:
            lesson_hold_expire(lesson=lesson, now=now)
        elif admin or acts_for_student(user=actor, student_id=lesson.student_id):
            lesson_cancel(lesson=lesson, actor=actor, reason=reason, now=now)
        # else: a payer who no longer acts for the student (a parent whose link ended) closes
        # their own order, and the student's hold runs out as after a system cancel.
    if order.enrollment_id is None:
        return
    enrollment = Enrollment.objects.filter(
        pk=order.enrollment_id, status=EnrollmentStatus.PENDING
    ).first()
    if enrollment is None:
        return
    if enrollment.payment_due_by is not None and enrollment.payment_due_by <= now:
        enrollment_release_unpaid(enrollment=enrollment, now=now)
    elif acts_for_student(user=actor, student_id=enrollment.student_id):
        enrollment_withdraw(actor=actor, enrollment=enrollment)
    elif admin:  # for the payer
        enrollment_remove(actor=actor, enrollment=enrollment)
    # else: as for the holds, the pending enrolment runs out on its own (payment_due_by).


def manual_payment_record(
    *, actor: User, order: Order, note: str = "", now: datetime | None = None
) -> Fulfilment:
    """An admin marks a manual (bank transfer, cash) order paid: the same fulfilment as Stripe."""
    if not is_admin(actor):
        raise PermissionDenied(_("Only an admin records a manual payment."))
    if order.method != PaymentMethod.MANUAL:
        raise Conflict(_("Only a manual invoice is marked paid by hand."), code="not_manual")
    return order_fulfil(
        order_id=order.pk,
        method=PaymentMethod.MANUAL,
        amount=order.total,
        currency=order.currency,
        recorded_by=actor,
        note=note,
        now=now,
    )


# --- papers ------------------------------------------------------------------------------------


def next_number(*, kind: str, year: int) -> tuple[int, str]:
    """Take the next number of the year's sequence; call inside the transaction that writes the
    paper, so a rollback gives the number back (no gaps) and the row lock orders concurrent takers."""
    InvoiceSequence.objects.get_or_create(year=year, kind=kind)
    seq = InvoiceSequence.objects.select_for_update().get(year=year, kind=kind)
    seq.last += 1
    seq.save(update_fields=["last"])
    prefix = "INV" if kind == InvoiceKind.INVOICE else "CN"
    return seq.last, f"{prefix}-{year}-{seq.last:06d}"


def _issue(
    *, kind: str, order: Order, total: Decimal, lines, status: str, issued_at, **extra
) -> Invoice:
    year = issued_at.year
    sequence, number = next_number(kind=kind, year=year)
    payer = order.payer
    invoice = Invoice.objects.create(
        kind=kind,
        number=number,
        year=year,
        sequence=sequence,
        status=status,
        order=order,
        payer=payer,
        payer_name=payer.name or payer.email,
        payer_email=payer.email,
        currency=order.currency,
        total=money(total),
        language=order.language,
        issued_at=issued_at,
        **extra,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for line in lines
    )
    return invoice


def invoice_for_order(*, order: Order, paid_at: datetime | None = None, due_at=None) -> Invoice:
    """The order's invoice: issued OPEN when a manual order is placed, PAID once money arrives (an
    open one is marked paid). One per order."""
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update()
            .filter(order=order, kind=InvoiceKind.INVOICE)
            .first()
        )
        if invoice is None:
            invoice = _issue(
                kind=InvoiceKind.INVOICE,
                order=order,
                total=order.total,
                lines=list(order.lines.all()),
                status=InvoiceStatus.PAID if paid_at else InvoiceStatus.OPEN,
                issued_at=paid_at or timezone.now(),
                due_at=due_at,
                paid_at=paid_at,
            )
        elif paid_at and invoice.status != InvoiceStatus.PAID:
            invoice.status = InvoiceStatus.PAID
            invoice.paid_at = paid_at
            invoice.save(update_fields=["status", "paid_at"])
    return invoice


def credit_note_for_refund(*, refund: Refund) -> Invoice:
    order = refund.payment.order
    invoice = invoice_for_order(order=order, paid_at=refund.payment.received_at)
    existing = Invoice.objects.filter(refund=refund).first()
    if existing is not None:
        return existing
    line = OrderLine(
        description=_("Refund: %(reason)s") % {"reason": refund.get_reason_display()},
        quantity=1,
        unit_price=-refund.amount,
        amount=-refund.amount,
    )
    return _issue(
        kind=InvoiceKind.CREDIT_NOTE,
        order=order,
        total=-refund.amount,
        lines=[line],
        status=InvoiceStatus.PAID,
        issued_at=refund.created_at,
        corrects=invoice,
        refund=refund,
        paid_at=refund.created_at,
    )


# --- refunds -----------------------------------------------------------------------------------


def refund_create(
    *,
    payment: Payment,
    amount: Decimal,
    reason: str,
    cause: str,
    lesson=None,
    actor: User | None = None,
    note: str = "",
    stripe_refund_id: str = "",
) -> Refund:
    """Give back `amount` of `payment`, once per `cause`. A manual or credit payment's refund is
    recorded as done (the admin pays it back by hand); a Stripe one is PENDING until the Stripe call
    (made after commit by `billing.stripe`) or its webhook confirms it. Writes the credit note."""
    amount = money(amount)
    with transaction.atomic():
        existing = Refund.objects.filter(cause=cause).first()
        if existing is not None:
            return existing
        order = order_get_locked(payment.order_id)
        if amount <= 0 or amount > order.refundable:
            message = _("At most %(amount)s %(currency)s can be refunded.") % {
                "amount": order.refundable,
                "currency": order.currency,
            }
            raise ValidationFailed(message, errors={"amount": [message]}, code="refund_too_large")
        stripe = payment.method == PaymentMethod.STRIPE and not stripe_refund_id
        try:
            with transaction.atomic():
                refund = Refund.objects.create(
                    payment=payment,
                    amount=amount,
                    currency=payment.currency,
                    reason=reason,
                    cause=cause,
                    lesson=lesson,
                    created_by=actor,
                    note=note,
                    stripe_refund_id=stripe_refund_id,
                    status=RefundStatus.PENDING if stripe else RefundStatus.SUCCEEDED,
                )
        except IntegrityError:
            return Refund.objects.get(cause=cause)
        order.refunded = money(order.refunded + amount)
        order.status = (
            OrderStatus.REFUNDED
            if order.refunded >= order.total
            else OrderStatus.PARTIALLY_REFUNDED
        )
        order.save(update_fields=["refunded", "status"])
        payment.status = (
            PaymentStatus.REFUNDED
            if order.refunded >= order.total
            else PaymentStatus.PARTIALLY_REFUNDED
        )
        payment.save(update_fields=["status"])
        credit_note_for_refund(refund=refund)
        earning_reverse(refund=refund)
        announce(
            signals.refund_issued,
            signals.refund_issued_committed,
            sender=Refund,
            refund=refund,
        )
    return refund


# --- the credit ledger ---------------------------------------------------------------------------


def credit_balance(*, student_id: int, teacher_id: int, currency: str) -> int:
    total = CreditEntry.objects.filter(
        student_id=student_id, teacher_id=teacher_id, currency=currency
    ).aggregate(total=Sum("delta"))["total"]
    return total or 0


def ledger_add(
    *,
    student,
    teacher,
    currency: str,
    delta: int,
    cause: str,
    cause_key: str,
    unit_value: Decimal = Decimal("0"),
    actor: User | None = None,
    allow_negative: bool = False,
    **links,
) -> tuple[CreditEntry, bool]:
    """Write one ledger movement, once per `cause_key` (→ (entry, created)). A debit that would take
    the balance below zero is refused (Conflict `no_credit`) unless `allow_negative`; the caller holds
    a lock that orders debits of the same student (the booking's student row lock)."""
    existing = CreditEntry.objects.filter(cause_key=cause_key).first()
    if existing is not None:
        return existing, False
    if delta < 0 and not allow_negative:
        balance = credit_balance(student_id=student.pk, teacher_id=teacher.pk, currency=currency)
        if balance + delta < 0:
            message = _("There are no lesson credits left with this teacher.")
            raise Conflict(message, errors={"credits": [message]}, code="no_credit")
    try:
        with transaction.atomic():
            entry = CreditEntry.objects.create(
                student=student,
                teacher=teacher,
                currency=currency,
                delta=delta,
                cause=cause,
                cause_key=cause_key,
                unit_value=money(unit_value),
                created_by=actor,
                **links,
            )
    except IntegrityError:
        return CreditEntry.objects.get(cause_key=cause_key), False
    announce(
        signals.credits_changed, signals.credits_changed_committed, sender=CreditEntry, entry=entry
    )
    return entry, True


# --- earnings ----------------------------------------------------------------------------------


def _split(gross: Decimal) -> tuple[Decimal, Decimal]:
    commission = money(gross * commission_percent() / Decimal(100))
    return commission, money(gross - commission)


def earning_record(
    *, teacher, currency: str, gross: Decimal, description: str, cause_key: str, **links
) -> EarningEntry:
    """What `teacher` earned from `gross`, after the platform's commission; once per cause."""
    commission, net = _split(money(gross))
    entry, _created = EarningEntry.objects.get_or_create(
        cause_key=cause_key,
        defaults={
            "teacher": teacher,
            "currency": currency,
            "gross": money(gross),
            "commission": commission,
            "net": net,
            "description": description[:300],
            **links,
        },
    )
    return entry


def earning_reverse(*, refund: Refund) -> None:
    """A refund takes back its share of what the teacher earned from that payment (pro rata)."""
    order = refund.payment.order
    earned = list(EarningEntry.objects.filter(order=order, gross__gt=0))
    if not earned or order.total <= 0:
        return
    share = refund.amount / order.total
    for entry in earned:
        earning_record(
            teacher=entry.teacher,
            currency=entry.currency,
            gross=-money(entry.gross * share),
            description=_("Refund: %(what)s") % {"what": entry.description},
            cause_key=f"refund:{refund.pk}:{entry.pk}",
            order=order,
            lesson=refund.lesson,
        )


def order_expiry(*, now: datetime | None = None, minutes: int) -> datetime:
    return (now or timezone.now()) + timedelta(minutes=minutes)
