"""The payer API: place an order (checkout) and read one. Operations parse, call one service or
selector, answer."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from authentication.api_auth import auth_for
from authentication.models import User
from classroom.models import Lesson
from courses.models import Enrollment
from cplatform.api_base import errors
from cplatform.api_http import absolute_url, location
from cplatform.exceptions import NotFound, ValidationFailed

from ..history.selectors import order_get_for_user
from ..models import Plan
from ..plans.services import subscription_start
from . import selectors, services
from .present import order_out
from .schemas import CheckoutIn, OrderOut

router = Router(tags=["billing"])


def _required(field: str):
    message = _("This field is required.")
    return ValidationFailed(errors={field: [message]}, code="invalid")


def _return_urls(request, order) -> dict:
    back = reverse("billing-return", args=[order.pk])
    return {
        "success_url": absolute_url(back, request),
        "cancel_url": absolute_url(f"{back}?cancelled=1", request),
    }


def _place(request, payload: CheckoutIn):
    actor = request.auth
    if payload.kind in ("course", "package"):
        if payload.enrollment_id is None:
            raise _required("enrollment_id")
        enrollment = (
            Enrollment.objects.select_related("course").filter(pk=payload.enrollment_id).first()
        )
        if enrollment is None:
            raise NotFound()
        order = services.checkout_course(
            actor=actor, enrollment=enrollment, method=payload.method, coupon_code=payload.coupon
        )
        if order.kind != payload.kind:
            message = _("This course is sold as a %(kind)s.") % {"kind": order.get_kind_display()}
            raise ValidationFailed(errors={"kind": [message]}, code="invalid")
        return order
    if payload.kind == "lesson":
        if not payload.lesson_ids:
            raise _required("lesson_ids")
        lessons = list(Lesson.objects.filter(pk__in=payload.lesson_ids))
        if len(lessons) != len(set(payload.lesson_ids)):
            raise NotFound()
        return services.checkout_lessons(
            actor=actor, lessons=lessons, method=payload.method, coupon_code=payload.coupon
        )
    # A plan: the subscriptions part starts it (its first month's order).
    if payload.plan_id is None:
        raise _required("plan_id")
    plan = Plan.objects.filter(pk=payload.plan_id, active=True).first()
    student = User.objects.filter(pk=payload.student_id or actor.pk).first()
    if plan is None or student is None:
        raise NotFound()
    return subscription_start(
        actor=actor, plan=plan, student=student, method=services.method_choose(payload.method)
    )


@router.post(
    "/checkout",
    response={201: OrderOut, **errors(400, 401, 404, 409, 422)},
    auth=auth_for(),
)
@location("api:retrieve_order", order_id="id")
def checkout(request, payload: CheckoutIn):
    """Place an order for what you (or a linked child) are to pay: a pending enrolment of a paid
    course (`course`) or of a lesson package (`package`), held lessons (`lesson`), or a
    subscription plan (`plan`). A manual order (bank transfer) comes with its outstanding
    `invoice`; a card order with `redirect_url`, the Stripe Checkout page. Paying twice for the same
    thing answers the order already open (a different method or coupon replaces it). Someone
    else's enrolment or lesson answers 404."""
    with transaction.atomic():  # a refusal after the order was placed (the kind) leaves no rows
        order = _place(request, payload)
    redirect_url = services.checkout_redirect(order=order, **_return_urls(request, order))
    found = order_get_for_user(user=request.auth, order_id=order.pk)
    return Status(201, order_out(found, request, redirect_url=redirect_url))


@router.get(
    "/orders/{order_id}",
    response={200: OrderOut, **errors(401, 404)},
    auth=auth_for(),
)
def retrieve_order(request, order_id: int):
    """An order you placed, or one for you or a linked child (admins: any). Others: 404."""
    return order_out(order_get_for_user(user=request.auth, order_id=order_id), request)


@router.post(
    "/orders/{order_id}/cancel",
    response={200: OrderOut, **errors(401, 403, 404, 409)},
    auth=auth_for(),
)
def cancel_order(request, order_id: int):
    """Cancel an unpaid order you placed (admins: any): its outstanding invoice is voided, its held
    lessons are released (their times can be booked again) and its pending enrolment ends (the seat
    returns). Answers the order, now `cancelled`; an order already cancelled or expired is answered
    as it is. A paid order is refused (409 `order_paid`: it is refunded, not cancelled). An order
    you did not place (a parent's for you included) answers 404."""
    order = selectors.order_get_for_canceller(user=request.auth, order_id=order_id)
    services.order_cancel(actor=request.auth, order=order)
    return order_out(order_get_for_user(user=request.auth, order_id=order.pk), request)
