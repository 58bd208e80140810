"""Checkout: turning what a payer chose (a pending enrolment, a course's lesson package, held lessons)
into one OPEN order, with a coupon applied, and starting its payment: a manual order gets its
outstanding invoice at once, a Stripe order a Checkout session (`checkout_redirect`, called by the
interfaces once the order is committed, so no Stripe call runs inside a database transaction).

Nothing here delivers: the order is paid and fulfilled only by `billing.services.order_fulfil` (a
Stripe webhook, an admin marking the invoice paid), never by a page the payer returns to. The one
exception is an order a coupon makes free: nothing will arrive, so it is fulfilled at once."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from authentication.models import User
from classroom.choices import LessonStatus
from classroom.models import Lesson
from courses.choices import EnrollmentStatus
from courses.models import Enrollment
from cplatform.exceptions import Conflict, NotFound, ValidationFailed

from ..choices import InvoiceKind, InvoiceStatus, OrderKind, OrderStatus, PaymentMethod
from ..conf import default_method, manual_payment_days, stripe_enabled
from ..models import Coupon, Invoice, Order, OrderLine
from ..services import Line, money, order_cancel, order_create, order_fulfil, payer_check

logger = logging.getLogger(__name__)

# What a payer may choose at checkout (credits pay a booking, not an order: billing.policy).
CHECKOUT_METHODS = (PaymentMethod.STRIPE, PaymentMethod.MANUAL)


# --- method and coupon ---------------------------------------------------------------------------


def methods_available() -> list[str]:
    """The methods a payer may pick now: card only where Stripe is on; a transfer always."""
    return (
        [PaymentMethod.STRIPE, PaymentMethod.MANUAL] if stripe_enabled() else [PaymentMethod.MANUAL]
    )


def method_choose(method: str | None) -> str:
    """The payer's method, or the default one (Stripe where it is on, else manual)."""
    if not method:
        return default_method()
    if method not in methods_available():
        message = _("This payment method is not available.")
        raise ValidationFailed(message, errors={"method": [message]}, code="method_unavailable")
    return method


def _coupon_refused(message: str):
    return ValidationFailed(message, errors={"coupon": [message]}, code="coupon_invalid")


def coupon_apply(
    *, code: str | None, currency: str, subtotal: Decimal, now: datetime | None = None
) -> tuple[Coupon | None, Decimal]:
    """The coupon named `code` (any case) and what it takes off `subtotal`: a percentage, or an
    amount in the order's own currency, never more than the subtotal. One that does not exist, is
    switched off, expired, used up or in another currency is refused on the `coupon` field. It is
    counted as used when the order is paid (`coupon_redeemed`), not now."""
    code = (code or "").strip()
    if not code:
        return None, Decimal("0")
    now = now or timezone.now()
    coupon = Coupon.objects.filter(code__iexact=code).first()
    if coupon is None or not coupon.active:
        raise _coupon_refused(_("There is no such coupon."))
    if coupon.valid_until is not None and coupon.valid_until <= now:
        raise _coupon_refused(_("This coupon has expired."))
    if coupon.max_redemptions is not None and coupon.times_redeemed >= coupon.max_redemptions:
        raise _coupon_refused(_("This coupon has been used up."))
    if coupon.percent_off is not None:
        discount = money(subtotal * Decimal(coupon.percent_off) / Decimal(100))
    else:
        if coupon.currency != currency:
            raise _coupon_refused(
                _("This coupon is for payments in %(currency)s.") % {"currency": coupon.currency}
            )
        discount = money(coupon.amount_off)
    return coupon, min(discount, subtotal)


def coupon_redeemed(*, order: Order) -> None:
    """Count the order's coupon as used once (called in the paying transaction, which happens once
    per order: `order_fulfil` announces a payment only the first time)."""
    if order.coupon_id:
        Coupon.objects.filter(pk=order.coupon_id).update(times_redeemed=F("times_redeemed") + 1)


# --- after the order is placed --------------------------------------------------------------------


def _manual_due(order: Order, now: datetime) -> datetime:
    """A transfer is due within the manual payment days, and never after the order expires."""
    due = now + timedelta(days=manual_payment_days())
    return min(due, order.expires_at) if order.expires_at else due


def _manual_invoice(order: Order, now: datetime) -> Invoice:
    """The outstanding invoice of a manual order (and its email with the PDF, when the papers part
    is there to send it)."""
    try:
        from ..papers.services import manual_invoice_issue  # noqa: PLC0415 - optional part
    except ImportError:
        from ..services import invoice_for_order  # noqa: PLC0415

        return invoice_for_order(order=order, due_at=_manual_due(order, now))
    invoice = manual_invoice_issue(order=order, now=now)
    if order.expires_at and invoice.due_at and invoice.due_at > order.expires_at:
        # Never due after the enrolment's or the hold's deadline: unpaid by then, it is released.
        invoice.due_at = order.expires_at
        invoice.save(update_fields=["due_at"])
    return invoice


def _placed(order: Order, now: datetime) -> Order:
    """What follows placing an order, in its transaction: a free one (a coupon took it all) is paid
    and fulfilled at once; a manual one gets its invoice."""
    if order.total <= 0:
        order_fulfil(
            order_id=order.pk,
            method=order.method,
            amount=Decimal("0"),
            currency=order.currency,
            note="coupon",
            now=now,
        )
        order.refresh_from_db()
    elif order.method == PaymentMethod.MANUAL:
        _manual_invoice(order, now)
    return order


def _reuse_or_close(open_orders: Iterable[Order], *, method: str, coupon: Coupon | None):
    """One open order per thing bought: the same choice again answers the order already placed; a
    different method or coupon cancels it (its open invoice is voided) and a new one is placed."""
    for order in open_orders:
        if order.method == method and order.coupon_id == (coupon.pk if coupon else None):
            return order
        order_cancel(actor=None, order=order)
    return None


# --- courses and packages ------------------------------------------------------------------------


def checkout_course(
    *,
    actor: User,
    enrollment: Enrollment,
    method: str | None = None,
    coupon_code: str | None = None,
    now: datetime | None = None,
) -> Order:
    """An OPEN order for a pending enrolment of a paid course, placed by the student or a parent
    of theirs (anyone else: 404). A 1:1 course with `lessons_included` is a lesson package (a
    PACKAGE order; paying also credits its lessons). The teacher paid is the course's owner. The
    order expires with the enrolment's payment deadline. A second checkout of the same enrolment
    answers the open order (same method and coupon) or replaces it."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Enrollment.objects.select_for_update()
            .select_related("course", "course__owner", "student")
            .filter(pk=enrollment.pk)
            .first()
        )
        if current is None:
            raise NotFound()
        payer_check(actor=actor, student=current.student)
        if current.status != EnrollmentStatus.PENDING:
            message = _("This enrolment is not waiting for payment.")
            raise Conflict(message, code="enrollment_not_pending")
        course = current.course
        if course.price <= 0:
            raise Conflict(_("There is nothing to pay."), code="nothing_to_pay")
        method = method_choose(method)
        coupon, discount = coupon_apply(
            code=coupon_code, currency=course.currency, subtotal=money(course.price), now=now
        )
        opened = Order.objects.select_for_update().filter(
            enrollment=current, status=OrderStatus.OPEN
        )
        reused = _reuse_or_close(list(opened), method=method, coupon=coupon)
        if reused is not None:
            return reused
        package = bool(course.lessons_included)
        if package:
            description = _("%(title)s: a package of %(n)d lessons") % {
                "title": course.title,
                "n": course.lessons_included,
            }
        else:
            description = course.title
        order = order_create(
            actor=actor,
            student=current.student,
            kind=OrderKind.PACKAGE if package else OrderKind.COURSE,
            method=method,
            currency=course.currency,
            lines=[Line(description=description, unit_price=money(course.price))],
            expires_at=getattr(current, "payment_due_by", None),
            course=course,
            enrollment=current,
            teacher=course.owner,
            coupon=coupon,
            discount=discount,
        )
        logger.info("Order %s placed for enrolment %s (%s)", order.pk, current.pk, method)
        return _placed(order, now)


# --- held lessons --------------------------------------------------------------------------------


def _lesson_refused(message: str):
    return ValidationFailed(message, errors={"lesson_ids": [message]}, code="lesson_not_payable")


def checkout_lessons(
    *,
    actor: User,
    lessons: Iterable[Lesson],
    method: str | None = None,
    coupon_code: str | None = None,
    now: datetime | None = None,
) -> Order:
    """An OPEN order for held lessons (booked, awaiting payment) of one student with one teacher,
    at the price and currency each stored when it was booked; it expires with the first hold. Placed
    by the student or a parent of theirs (anyone else: 404). A lesson is on one order only: paying
    again answers its open order (switched to the method now chosen, if another)."""
    now = now or timezone.now()
    ids = sorted({lesson.pk for lesson in lessons})
    if not ids:
        raise _lesson_refused(_("Choose the lessons to pay for."))
    with transaction.atomic():
        found = list(
            Lesson.objects.select_for_update(of=("self",))
            .select_related("student", "teacher__user")
            .filter(pk__in=ids)
            .order_by("start", "pk")
        )
        if len(found) != len(ids) or any(lesson.student_id is None for lesson in found):
            raise NotFound()
        students = {lesson.student_id for lesson in found}
        teachers = {lesson.teacher_id for lesson in found}
        first = found[0]
        # Whose lessons they are is checked before anything about them is said.
        for student_id in students:
            student = next(ls.student for ls in found if ls.student_id == student_id)
            payer_check(actor=actor, student=student)
        if len(students) > 1 or len(teachers) > 1:
            raise _lesson_refused(_("One payment covers lessons of one student with one teacher."))
        if any(lesson.status != LessonStatus.HELD for lesson in found):
            message = _("This booking is not awaiting payment.")
            raise Conflict(message, errors={"lesson_ids": [message]}, code="lesson_not_held")
        if any(lesson.price is None or lesson.price <= 0 for lesson in found):
            raise _lesson_refused(_("There is nothing to pay for this lesson."))
        currencies = {lesson.currency for lesson in found}
        if len(currencies) > 1:
            raise _lesson_refused(_("These lessons are priced in different currencies."))
        method = method_choose(method)
        currency = first.currency
        subtotal = money(sum((lesson.price for lesson in found), Decimal("0")))
        coupon, discount = coupon_apply(
            code=coupon_code, currency=currency, subtotal=subtotal, now=now
        )
        on_orders = OrderLine.objects.filter(lesson__in=found).values("order_id")
        existing = list(
            Order.objects.select_for_update()
            .filter(pk__in=on_orders)
            .exclude(status__in=(OrderStatus.CANCELLED, OrderStatus.EXPIRED))
        )
        if existing:
            return _reuse_lesson_order(existing, ids=ids, method=method, coupon=coupon, now=now)
        teacher = first.teacher.user
        lines = [
            Line(
                description=_("Lesson with %(teacher)s, %(when)s")
                % {
                    "teacher": teacher.name or teacher.email,
                    "when": date_format(timezone.localtime(lesson.start), "DATETIME_FORMAT"),
                },
                unit_price=money(lesson.price),
                lesson=lesson,
            )
            for lesson in found
        ]
        order = order_create(
            actor=actor,
            student=first.student,
            kind=OrderKind.LESSON,
            method=method,
            currency=currency,
            lines=lines,
            expires_at=min(lesson.hold_expires_at for lesson in found),
            teacher=teacher,
            coupon=coupon,
            discount=discount,
        )
        logger.info("Order %s placed for lessons %s (%s)", order.pk, ids, method)
        return _placed(order, now)


def _reuse_lesson_order(
    existing: list[Order], *, ids: list[int], method: str, coupon: Coupon | None, now: datetime
) -> Order:
    order = existing[0]
    covered = sorted(order.lines.exclude(lesson=None).values_list("lesson_id", flat=True))
    if len(existing) > 1 or covered != ids or order.status != OrderStatus.OPEN:
        message = _("These lessons are already on an order: pay or cancel that one.")
        raise Conflict(message, errors={"lesson_ids": [message]}, code="already_ordered")
    if order.method != method:
        # A lesson is on one order only (a database rule): the open order changes its method.
        order.invoices.filter(kind=InvoiceKind.INVOICE, status=InvoiceStatus.OPEN).update(
            status=InvoiceStatus.VOID
        )
        order.method = method
        order.stripe_checkout_session_id = ""
        order.save(update_fields=["method", "stripe_checkout_session_id"])
        if method == PaymentMethod.MANUAL:
            _manual_invoice_fresh(order, now)
    return order


def _manual_invoice_fresh(order: Order, now: datetime) -> None:
    """A lesson order switched back to a transfer: its voided invoice is opened again (one invoice
    per order, a database rule), due as a new one would be."""
    invoice = order.invoices.filter(kind=InvoiceKind.INVOICE).first()
    if invoice is None:
        _manual_invoice(order, now)
        return
    invoice.status = InvoiceStatus.OPEN
    invoice.due_at = _manual_due(order, now)
    invoice.save(update_fields=["status", "due_at"])


# --- the payment itself --------------------------------------------------------------------------


def checkout_redirect(*, order: Order, success_url: str, cancel_url: str) -> str | None:
    """Where to send the payer to pay an OPEN Stripe order (its Checkout session, made by
    `billing.stripe.client`); None for any other order (a manual one shows its invoice)."""
    if order.status != OrderStatus.OPEN or order.method != PaymentMethod.STRIPE:
        return None
    from ..stripe.client import checkout_session_for  # noqa: PLC0415 - the Stripe seam

    return checkout_session_for(order, success_url=success_url, cancel_url=cancel_url)


def held_lessons_booked_with(*, lesson: Lesson) -> list[Lesson]:
    """The held lessons booked together with `lesson` (one booking of several weeks shares one
    hold): paid together on one order."""
    if lesson.status != LessonStatus.HELD or lesson.student_id is None:
        return [lesson]
    return list(
        Lesson.objects.filter(
            status=LessonStatus.HELD,
            teacher_id=lesson.teacher_id,
            student_id=lesson.student_id,
            booked_by_id=lesson.booked_by_id,
            hold_expires_at=lesson.hold_expires_at,
        ).order_by("start", "pk")
    )
