"""The payer's pages: pay for a pending enrolment or held lessons (what is bought, for whom, the
price, a coupon, how to pay and what happens next), the order page (a manual order's invoice and
how to transfer; a card order's state) and the page Stripe sends the payer back to. None of them
fulfils anything: an order shows "paid" only once `order_fulfil` has run (a webhook, an admin)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from authentication.forms import apply_domain_error
from authentication.roles import is_admin, role_required
from authentication.selectors import acts_for_student
from classroom.choices import LessonStatus
from courses.choices import EnrollmentStatus
from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import DomainError, NotFound

from ..choices import InvoiceKind, InvoiceStatus, OrderStatus, PaymentMethod
from ..history.selectors import invoice_of, order_get_for_user, order_list_for_user
from ..models import Order
from . import selectors, services
from .forms import CheckoutForm

# How often the "we are confirming your payment" page looks again (seconds).
REFRESH_SECONDS = 5


def _open_order_for(orders, **filters) -> Order | None:
    return orders.filter(status=OrderStatus.OPEN, **filters).first()


def _start_payment(request, order: Order):
    """After the order is placed: a card order goes to Stripe Checkout; any other to its page."""
    if order.status == OrderStatus.OPEN and order.method == PaymentMethod.STRIPE:
        back = request.build_absolute_uri(reverse("billing-return", args=[order.pk]))
        try:
            url = services.checkout_redirect(
                order=order, success_url=back, cancel_url=f"{back}?cancelled=1"
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
            return redirect("billing-order", order_id=order.pk)
        if url:
            return redirect(url)
    return redirect("billing-order", order_id=order.pk)


def _pay_page(request, *, what: dict, place, open_order: Order | None):
    methods = services.methods_available()
    form = CheckoutForm(request.POST or None, methods=methods)
    if request.method == "POST" and what["payable"] and form.is_valid():
        try:
            order = place(
                method=form.cleaned_data["method"] or None,
                coupon_code=form.cleaned_data["coupon"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc, aliases={"lesson_ids": None})
        else:
            return _start_payment(request, order)
    return render(
        request,
        "billing/pay.html",
        {
            **what,
            "form": form,
            "methods": methods,
            "open_order": open_order,
            "manual_days": settings.BILLING_MANUAL_PAYMENT_DAYS,
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )


@role_required()
@require_http_methods(["GET", "POST"])
def course_pay(request, enrollment_id: int):
    """Pay for a pending enrolment of a paid course or lesson package (yours or a child's)."""
    enrollment = selectors.enrollment_get_for_payer(user=request.user, enrollment_id=enrollment_id)
    course = enrollment.course
    payable = enrollment.status == EnrollmentStatus.PENDING and course.price > 0
    what = {
        "kind": "package" if course.lessons_included else "course",
        "course": course,
        "student": enrollment.student,
        "for_child": enrollment.student_id != request.user.pk,
        "teacher": course.owner,
        "price": course.price,
        "currency": course.currency,
        "deadline": getattr(enrollment, "payment_due_by", None),
        "payable": payable,
        "enrollment": enrollment,
        "lessons": [],
    }

    def place(**choice):
        return services.checkout_course(actor=request.user, enrollment=enrollment, **choice)

    orders = order_list_for_user(user=request.user)
    return _pay_page(
        request, what=what, place=place, open_order=_open_order_for(orders, enrollment=enrollment)
    )


@role_required()
@require_http_methods(["GET", "POST"])
def lesson_pay(request, lesson_id: int):
    """Pay for a held booking (the lesson and those booked with it), yours or a child's. The booking
    flow sends the payer here (settings.LESSON_PAYMENT_URL_NAME)."""
    lesson = selectors.lesson_get_for_payer(user=request.user, lesson_id=lesson_id)
    lessons = services.held_lessons_booked_with(lesson=lesson)
    payable = lesson.status == LessonStatus.HELD and bool(lesson.price)
    what = {
        "kind": "lesson",
        "course": None,
        "student": lesson.student,
        "for_child": lesson.student_id != request.user.pk,
        "teacher": lesson.teacher.user,
        "price": sum((ls.price or 0 for ls in lessons), 0),
        "currency": lesson.currency,
        "deadline": lesson.hold_expires_at,
        "payable": payable,
        "lesson": lesson,
        "lessons": lessons,
    }

    def place(**choice):
        return services.checkout_lessons(actor=request.user, lessons=lessons, **choice)

    orders = order_list_for_user(user=request.user)
    return _pay_page(
        request,
        what=what,
        place=place,
        open_order=_open_order_for(orders, lines__lesson=lesson),
    )


def _order_page(request, order_id: int, *, returning: bool):
    order = order_get_for_user(user=request.user, order_id=order_id)
    invoice = invoice_of(order)
    waiting = order.status == OrderStatus.OPEN and order.method == PaymentMethod.STRIPE
    return render(
        request,
        "billing/order.html",
        {
            "order": order,
            "invoice": invoice,
            "returning": returning,
            "cancelled": returning and request.GET.get("cancelled") == "1",
            "confirming": waiting and returning and request.GET.get("cancelled") != "1",
            "refresh_seconds": REFRESH_SECONDS,
            "bank_details": getattr(settings, "BILLING_BANK_DETAILS", ""),
            "pdf_url": _pdf_url(invoice),
            "is_payer": order.payer_id == request.user.pk,
            "may_cancel": order.status == OrderStatus.OPEN
            and (order.payer_id == request.user.pk or is_admin(request.user)),
            "pay_again_url": _pay_again_url(order) if waiting else None,
        },
    )


def _pay_again_url(order: Order) -> str | None:
    """The pay page of what an open card order is for (paying again resumes the same order)."""
    if order.enrollment_id:
        return reverse("billing-course-pay", args=[order.enrollment_id])
    lesson_id = next((line.lesson_id for line in order.lines.all() if line.lesson_id), None)
    return reverse("billing-lesson-pay", args=[lesson_id]) if lesson_id else None


def _pdf_url(invoice) -> str | None:
    from .present import invoice_pdf_url  # noqa: PLC0415

    return invoice_pdf_url(invoice) if invoice else None


@role_required()
@require_GET
def order_detail(request, order_id: int):
    """An order: what it is for, its state; a manual one's invoice and how to pay it."""
    return _order_page(request, order_id, returning=False)


@role_required()
@require_GET
def order_return(request, order_id: int):
    """Where Stripe Checkout sends the payer back. It never fulfils: until the webhook has paid the
    order it says the payment is being confirmed and looks again every few seconds."""
    return _order_page(request, order_id, returning=True)


def _cancel_consequences(order: Order, viewer) -> list[str]:
    """What cancelling the order does, one sentence each (times in the viewer's zone). Holds of a
    student the viewer no longer acts for are not theirs to let go (they run out): not promised."""
    lessons, enrollment = selectors.order_holds(order=order)
    if not is_admin(viewer):
        students = {x.student_id for x in lessons} | (
            {enrollment.student_id} if enrollment is not None else set()
        )  # one family's: one or two students, one query each
        mine = {s for s in students if acts_for_student(user=viewer, student_id=s)}
        lessons = [x for x in lessons if x.student_id in mine]
        if enrollment is not None and enrollment.student_id not in mine:
            enrollment = None
    said = [_("The order is cancelled. Nothing has been paid for it, so nothing is refunded.")]
    for invoice in order.invoices.all():
        if invoice.kind == InvoiceKind.INVOICE and invoice.status == InvoiceStatus.OPEN:
            said.append(
                _("Invoice %(number)s is voided: do not pay it.") % {"number": invoice.number}
            )
    for lesson in lessons:
        said.append(
            _("The lesson held on %(when)s is released: its time can be booked by someone else.")
            % {"when": date_format(timezone.localtime(lesson.start), "DATETIME_FORMAT")}
        )
    if enrollment is not None:
        said.append(
            _("The place kept in %(course)s is given up: the seat goes to the next student.")
            % {"course": enrollment.course.title}
        )
    return said


def _cancel_confirmation(order: Order, viewer, refusal: str = "") -> Confirmation:
    return Confirmation(
        title=_("Cancel this order?"),
        consequences=[_("Nothing changes.")] if refusal else _cancel_consequences(order, viewer),
        confirm_label=_("Cancel the order"),
        cancel_url=reverse("billing-order", args=[order.pk]),
        cancel_label=_("Keep the order"),
        refusal=refusal,
    )


@role_required()
@require_http_methods(["GET", "POST"])
def order_cancel(request, order_id: int):
    """The payer (or an admin) cancels an unpaid order: GET asks, saying what is let go (the
    invoice, the held lessons' times, the enrolment's seat), POST cancels. A paid order is refused
    on the same page (409); a closed one goes back to its page. Anyone else: 404."""
    order = selectors.order_get_for_canceller(user=request.user, order_id=order_id)
    if order.status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED):
        messages.info(request, _("This order is already closed."))
        return redirect("billing-order", order_id=order.pk)
    if order.status != OrderStatus.OPEN:
        refusal = _("A paid order cannot be cancelled; refund it.")
        status = 409 if request.method == "POST" else 200
        return confirm_page(
            request, _cancel_confirmation(order, request.user, refusal), status=status
        )
    if request.method == "GET":
        return confirm_page(request, _cancel_confirmation(order, request.user))
    try:
        services.order_cancel(actor=request.user, order=order)
    except NotFound:
        raise
    except DomainError as exc:  # paid meanwhile, or a hold it keeps may not be let go
        return confirm_page(
            request, _cancel_confirmation(order, request.user, exc.detail), status=exc.status_code
        )
    messages.success(request, _("The order is cancelled."))
    return redirect("billing-order", order_id=order.pk)
