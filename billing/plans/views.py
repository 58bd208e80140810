"""Subscription pages: the plans on offer (subscribe yourself or a child), "My subscriptions" with
Pause / Resume / Cancel at period end, each asking first and saying what will happen."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authentication.models import User
from authentication.roles import role_required
from authentication.selectors import children_of
from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import DomainError, NotFound

from ..choices import PaymentMethod
from ..conf import stripe_enabled
from . import selectors, services


def _payees(user: User) -> list[User]:
    return [user, *children_of(guardian=user)]


@role_required()
@require_GET
def plan_list(request):
    """Active plans (of one teacher with `?teacher=`), each with a Subscribe form for yourself or a
    linked child."""
    raw = request.GET.get("teacher") or ""
    teacher_id = int(raw) if raw.isdigit() and len(raw) < 18 else None
    return render(
        request,
        "billing/plans/plan_list.html",
        {
            "plans": list(selectors.plan_list_active(teacher_id=teacher_id)),
            "payees": _payees(request.user),
            "stripe": stripe_enabled(),
        },
    )


@role_required()
@require_POST
def plan_subscribe(request, plan_id: int):
    plan = selectors.plan_get_active(plan_id=plan_id)
    raw = request.POST.get("student") or str(request.user.pk)
    student = next((p for p in _payees(request.user) if str(p.pk) == raw), None)
    if student is None:
        raise NotFound()
    method = request.POST.get("method") or None
    try:
        order = services.subscription_start(
            actor=request.user, plan=plan, student=student, method=method
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("billing-plans")
    if order.method == PaymentMethod.STRIPE and stripe_enabled():
        from ..stripe.client import checkout_session_for  # noqa: PLC0415 - only with Stripe on

        done = request.build_absolute_uri(reverse("billing-subscriptions"))
        return redirect(checkout_session_for(order, success_url=done, cancel_url=done))
    invoice = order.invoices.first()
    messages.success(
        request,
        _(
            "Subscribed. Invoice %(number)s for the first month is issued: once the transfer "
            "arrives, the month's lesson credits are yours."
        )
        % {"number": invoice.number if invoice else ""},
    )
    return redirect("billing-subscriptions")


@role_required()
@require_GET
def subscription_list(request):
    return render(
        request,
        "billing/plans/subscription_list.html",
        {"subscriptions": list(selectors.subscription_list_for_user(user=request.user))},
    )


def _action(request, subscription_id: int, *, title, consequences, label, run, done):
    sub = selectors.subscription_get_for_manager(user=request.user, subscription_id=subscription_id)
    if request.method == "GET":
        return confirm_page(
            request,
            Confirmation(
                title=title,
                consequences=consequences(sub),
                confirm_label=label,
                cancel_url=reverse("billing-subscriptions"),
                cancel_label=_("Keep it as it is"),
            ),
        )
    try:
        run(actor=request.user, subscription=sub)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return redirect("billing-subscriptions")


def _end(sub) -> str:
    end = sub.current_period_end
    return end.date().isoformat() if end else "—"


@role_required()
@require_http_methods(["GET", "POST"])
def subscription_pause(request, subscription_id: int):
    return _action(
        request,
        subscription_id,
        title=_("Pause this subscription?"),
        consequences=lambda sub: [
            _("No new lesson credits are granted and nothing more is billed while it is paused."),
            _("Credits you already have stay usable."),
        ],
        label=_("Pause"),
        run=services.subscription_pause,
        done=_("The subscription is paused."),
    )


@role_required()
@require_http_methods(["GET", "POST"])
def subscription_resume(request, subscription_id: int):
    return _action(
        request,
        subscription_id,
        title=_("Resume this subscription?"),
        consequences=lambda sub: [
            _(
                "Billing starts again: the next month is invoiced and its credits granted when paid."
            ),
        ],
        label=_("Resume"),
        run=services.subscription_resume,
        done=_("The subscription is active again."),
    )


@role_required()
@require_http_methods(["GET", "POST"])
def subscription_cancel(request, subscription_id: int):
    return _action(
        request,
        subscription_id,
        title=_("Cancel this subscription at the end of the period?"),
        consequences=lambda sub: [
            _("It ends on %(date)s; nothing more is billed.") % {"date": _end(sub)},
            _("Credits you already have stay usable."),
        ],
        label=_("Cancel at period end"),
        run=services.subscription_cancel,
        done=_("The subscription will end when the current period ends."),
    )
