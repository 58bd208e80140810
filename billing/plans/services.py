"""Subscriptions: a payer's monthly plan for a student. The first month is an order (PLAN kind) whose
fulfilment activates the subscription and grants the month's credits; each following month is paid
through Stripe (invoice.paid → `subscription_period_paid`) or, for a manual subscription, by an
invoice issued a few days before the period ends (`subscriptions_renew_due`, a django-q2 schedule),
whose payment runs the same fulfilment. A paused subscription grants nothing; one cancelled at period
end ends then. Credits above the plan's rollover cap lapse when a new month is granted."""

from __future__ import annotations

import logging
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from authentication.models import User
from authentication.roles import is_admin
from cplatform.exceptions import Conflict, DomainError, NotFound, ValidationFailed

from ..choices import LedgerCause, OrderKind, OrderStatus, PaymentMethod, SubscriptionStatus
from ..conf import default_method, manual_payment_days, stripe_enabled
from ..models import CreditEntry, Order, Plan, Subscription
from ..services import (
    Line,
    credit_balance,
    invoice_for_order,
    ledger_add,
    money,
    order_cancel,
    order_create,
    payer_check,
)

logger = logging.getLogger(__name__)

LIVE = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED, SubscriptionStatus.PAST_DUE)


def renew_days_before() -> int:
    """How many days before a manual subscription's period ends its next invoice is issued."""
    return int(getattr(settings, "BILLING_SUBSCRIPTION_RENEW_DAYS", 5))


def _zone(user: User):
    try:
        return zoneinfo.ZoneInfo(user.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def add_month(instant: datetime, *, tz) -> datetime:
    """The same wall-clock time a calendar month later in `tz` (the student's zone), the day clamped
    to the month's last (31 January → 28 February): a period keeps its local hour across a DST
    change. A wall-clock time a DST gap skips is resolved forwards by zoneinfo's fold rules."""
    local = instant.astimezone(tz)
    year, month = local.year + (local.month == 12), local.month % 12 + 1
    for day in (local.day, 30, 29, 28):
        try:
            moved = local.replace(year=year, month=month, day=day)
            break
        except ValueError:
            continue
    # Re-attach the zone to the wall-clock time so the UTC offset of the new date applies.
    moved = datetime(
        moved.year, moved.month, moved.day, moved.hour, moved.minute, moved.second, tzinfo=tz
    )
    return moved.astimezone(zoneinfo.ZoneInfo("UTC"))


def grant_key(subscription: Subscription, period_start: datetime) -> str:
    return f"sub:{subscription.pk}:{period_start.astimezone(zoneinfo.ZoneInfo('UTC')):%Y-%m}"


def _may_manage(*, actor: User, subscription: Subscription) -> None:
    if actor.pk == subscription.payer_id or is_admin(actor):
        return
    raise NotFound()


def _after_commit_stripe(call: str, subscription: Subscription, **kwargs) -> None:
    """Tell Stripe (billing.stripe.client, the one seam) after commit, for Stripe subscriptions."""
    if subscription.method != PaymentMethod.STRIPE or not subscription.stripe_subscription_id:
        return
    if not stripe_enabled():
        return

    def send():
        from ..stripe import client  # noqa: PLC0415 - the seam is only loaded when Stripe is on

        getattr(client, call)(subscription, **kwargs)

    transaction.on_commit(send)


# --- starting --------------------------------------------------------------------------------------


def subscription_start(
    *, actor: User, plan: Plan, student: User, method: str | None = None
) -> Order:
    """Subscribe `student` to `plan`, paid by `actor` (the student or a linked parent): an INCOMPLETE
    subscription and the order for its first month (a manual one gets its open invoice). A student
    with a live subscription to the plan → Conflict `already_subscribed`; an unpaid earlier attempt is
    closed and replaced."""
    if not plan.active:
        raise NotFound()
    payer_check(actor=actor, student=student)
    method = method or default_method()
    allowed = {PaymentMethod.MANUAL} | ({PaymentMethod.STRIPE} if stripe_enabled() else set())
    if method not in allowed:
        message = _("This payment method is not available.")
        raise ValidationFailed(message, errors={"method": [message]}, code="invalid")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=student.pk).first()
        current = (
            Subscription.objects.select_for_update()
            .filter(plan=plan, student=student)
            .exclude(status=SubscriptionStatus.CANCELLED)
            .first()
        )
        if current is not None and current.status != SubscriptionStatus.INCOMPLETE:
            message = _("This student already has this plan.")
            raise Conflict(message, code="already_subscribed")
        if current is not None:
            for order in Order.objects.filter(
                kind=OrderKind.PLAN, plan=plan, student=student, status=OrderStatus.OPEN
            ):
                order_cancel(actor=None, order=order)
            current.status = SubscriptionStatus.CANCELLED
            current.cancelled_at = timezone.now()
            current.save(update_fields=["status", "cancelled_at"])
        subscription = Subscription.objects.create(
            plan=plan, payer=actor, student=student, method=method
        )
        order = order_create(
            actor=actor,
            student=student,
            kind=OrderKind.PLAN,
            method=method,
            currency=plan.currency,
            plan=plan,
            teacher=plan.teacher,
            lines=[
                Line(
                    description=_("%(plan)s: first month (%(n)s lessons)")
                    % {"plan": plan.name, "n": plan.credits_per_month},
                    unit_price=plan.price,
                )
            ],
        )
        if method == PaymentMethod.MANUAL:
            invoice_for_order(
                order=order, due_at=timezone.now() + timedelta(days=manual_payment_days())
            )
        logger.info("Subscription %s started (order %s)", subscription.pk, order.pk)
    return order


def subscription_for_order(order: Order, *, lock: bool = True) -> Subscription | None:
    qs = Subscription.objects.filter(plan_id=order.plan_id, student_id=order.student_id).exclude(
        status=SubscriptionStatus.CANCELLED
    )
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def subscription_deliver(*, order: Order, now: datetime) -> Subscription:
    """The PLAN deliverer: the first month's order activates the subscription from `now` and grants
    its credits; a later (manual renewal) order pays the period that follows the current one."""
    subscription = subscription_for_order(order)
    if subscription is None:
        raise Conflict(_("This subscription was cancelled."), code="subscription_not_active")
    tz = _zone(subscription.student)
    if (
        subscription.status == SubscriptionStatus.INCOMPLETE
        or subscription.current_period_end is None
    ):
        start = now
    else:
        start = subscription.current_period_end
    subscription_period_paid(
        subscription=subscription,
        period_start=start,
        period_end=add_month(start, tz=tz),
        order=order,
    )
    return subscription


# --- each month ------------------------------------------------------------------------------------


def subscription_period_paid(
    *,
    subscription: Subscription,
    period_start: datetime,
    period_end: datetime,
    stripe_invoice_id: str = "",
    order: Order | None = None,
) -> bool:
    """A period was paid: it becomes the current period, credits above the rollover cap lapse (at
    most one month's grant), then the month's credits are granted. Once per period (its month):
    a replay changes nothing (→ False). A paused subscription grants nothing; a cancelled one, or a
    period past a cancel-at-period-end, ends it instead."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("plan", "student", "plan__teacher")
            .get(pk=subscription.pk)
        )
        plan = subscription.plan
        key = grant_key(subscription, period_start)
        if CreditEntry.objects.filter(cause_key=key).exists():
            return False
        if subscription.status == SubscriptionStatus.CANCELLED:
            return False
        if (
            subscription.cancel_at_period_end
            and subscription.current_period_end is not None
            and period_start >= subscription.current_period_end
        ):
            _end(subscription, at=subscription.current_period_end)
            return False
        if subscription.status == SubscriptionStatus.PAUSED:
            logger.info("Subscription %s is paused: period %s not granted", subscription.pk, key)
            return False
        balance = credit_balance(
            student_id=subscription.student_id, teacher_id=plan.teacher_id, currency=plan.currency
        )
        lapse = min(balance - plan.rollover_cap, plan.credits_per_month)
        if subscription.current_period_end is not None and lapse > 0:
            ledger_add(
                student=subscription.student,
                teacher=plan.teacher,
                currency=plan.currency,
                delta=-lapse,
                cause=LedgerCause.ROLLOVER_CAP,
                cause_key=f"{key}:lapse",
                subscription=subscription,
            )
        ledger_add(
            student=subscription.student,
            teacher=plan.teacher,
            currency=plan.currency,
            delta=plan.credits_per_month,
            cause=LedgerCause.SUBSCRIPTION_GRANT,
            cause_key=key,
            unit_value=money(plan.price / plan.credits_per_month),
            subscription=subscription,
            order=order,
        )
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.current_period_start = period_start
        subscription.current_period_end = period_end
        subscription.save(update_fields=["status", "current_period_start", "current_period_end"])
        logger.info(
            "Subscription %s: period %s granted %s (%s)",
            subscription.pk,
            key,
            plan.credits_per_month,
            stripe_invoice_id or (order and order.pk) or "-",
        )
    return True


def subscription_sync(
    *,
    subscription: Subscription,
    status: str | None = None,
    current_period_start: datetime | None = None,
    current_period_end: datetime | None = None,
    cancel_at_period_end: bool | None = None,
    stripe_subscription_id: str | None = None,
) -> Subscription:
    """Stripe said what the subscription is now (customer.subscription.updated / deleted): take its
    status, period and cancel-at-period-end. Credits move only through `subscription_period_paid`."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        fields = []
        if status is not None and status in SubscriptionStatus.values:
            if status == SubscriptionStatus.CANCELLED:
                subscription.cancelled_at = subscription.cancelled_at or timezone.now()
                fields.append("cancelled_at")
            if subscription.status != SubscriptionStatus.CANCELLED:
                subscription.status = status
                fields.append("status")
        for name, value in (
            ("current_period_start", current_period_start),
            ("current_period_end", current_period_end),
            ("cancel_at_period_end", cancel_at_period_end),
            ("stripe_subscription_id", stripe_subscription_id),
        ):
            if value is not None:
                setattr(subscription, name, value)
                fields.append(name)
        if fields:
            subscription.save(update_fields=fields)
    return subscription


# --- the payer's choices ---------------------------------------------------------------------------


def _locked(subscription: Subscription) -> Subscription:
    return Subscription.objects.select_for_update().select_related("plan").get(pk=subscription.pk)


def subscription_pause(*, actor: User, subscription: Subscription) -> Subscription:
    """Pause an active subscription: no credits are granted (and nothing billed) until it resumes;
    credits already granted stay usable."""
    _may_manage(actor=actor, subscription=subscription)
    with transaction.atomic():
        subscription = _locked(subscription)
        if subscription.status == SubscriptionStatus.PAUSED:
            return subscription
        if subscription.status != SubscriptionStatus.ACTIVE:
            raise Conflict(
                _("Only an active subscription can be paused."), code="subscription_not_active"
            )
        subscription.status = SubscriptionStatus.PAUSED
        subscription.paused_at = timezone.now()
        subscription.save(update_fields=["status", "paused_at"])
        _after_commit_stripe("subscription_pause", subscription)
    return subscription


def subscription_resume(*, actor: User, subscription: Subscription) -> Subscription:
    """Resume a paused subscription: the next period is granted when it is paid."""
    _may_manage(actor=actor, subscription=subscription)
    with transaction.atomic():
        subscription = _locked(subscription)
        if subscription.status == SubscriptionStatus.ACTIVE:
            return subscription
        if subscription.status != SubscriptionStatus.PAUSED:
            raise Conflict(
                _("Only a paused subscription can be resumed."), code="subscription_not_active"
            )
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.paused_at = None
        subscription.save(update_fields=["status", "paused_at"])
        _after_commit_stripe("subscription_resume", subscription)
    return subscription


def subscription_cancel(
    *, actor: User, subscription: Subscription, at_period_end: bool = True
) -> Subscription:
    """Cancel: at the period's end by default (credits granted stay usable, nothing more is billed),
    or at once. An unpaid (incomplete) subscription is cancelled at once with its open order."""
    _may_manage(actor=actor, subscription=subscription)
    with transaction.atomic():
        subscription = _locked(subscription)
        if subscription.status == SubscriptionStatus.CANCELLED:
            return subscription
        if subscription.status == SubscriptionStatus.INCOMPLETE or not at_period_end:
            for order in Order.objects.filter(
                kind=OrderKind.PLAN,
                plan_id=subscription.plan_id,
                student_id=subscription.student_id,
                status=OrderStatus.OPEN,
            ):
                order_cancel(actor=None, order=order)
            _end(subscription, at=timezone.now())
        else:
            subscription.cancel_at_period_end = True
            subscription.save(update_fields=["cancel_at_period_end"])
        _after_commit_stripe("subscription_cancel", subscription, at_period_end=at_period_end)
    return subscription


def _end(subscription: Subscription, *, at: datetime) -> None:
    subscription.status = SubscriptionStatus.CANCELLED
    subscription.cancelled_at = at
    subscription.save(update_fields=["status", "cancelled_at"])
    logger.info("Subscription %s ended", subscription.pk)


# --- the schedule (manual subscriptions) ---------------------------------------------------------


def subscriptions_renew_due(*, now: datetime | None = None) -> dict[str, int]:
    """Run by django-q2 (hourly): subscriptions cancelled at period end whose period is over end;
    manual subscriptions whose period ends within `renew_days_before()` days get the next month's
    order and open invoice (once: an open renewal order is not issued again); a manual one whose
    period ended unpaid is past due. Paused ones get nothing. Each in its own transaction."""
    now = now or timezone.now()
    counts = {"ended": 0, "issued": 0, "past_due": 0}
    for subscription in Subscription.objects.filter(
        status__in=LIVE, cancel_at_period_end=True, current_period_end__lte=now
    ):
        with transaction.atomic():
            locked = _locked(subscription)
            if locked.status in LIVE:
                _end(locked, at=locked.current_period_end)
                counts["ended"] += 1
    due = Subscription.objects.filter(
        method=PaymentMethod.MANUAL,
        status__in=(SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE),
        cancel_at_period_end=False,
        current_period_end__lte=now + timedelta(days=renew_days_before()),
    ).select_related("plan", "payer", "student")
    for subscription in due:
        try:
            if subscription_renewal_issue(subscription=subscription, now=now):
                counts["issued"] += 1
        except DomainError as exc:  # the payer lost their link to the student, consent …
            logger.warning("Subscription %s not renewed: %s", subscription.pk, exc.code)
    counts["past_due"] = Subscription.objects.filter(
        method=PaymentMethod.MANUAL,
        status=SubscriptionStatus.ACTIVE,
        current_period_end__lte=now,
    ).update(status=SubscriptionStatus.PAST_DUE)
    return counts


def subscription_renewal_issue(*, subscription: Subscription, now: datetime) -> Order | None:
    """The next month's manual order and open invoice, due when the current period ends; None when
    one is already open."""
    with transaction.atomic():
        subscription = _locked(subscription)
        plan = subscription.plan
        if subscription.status not in (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE):
            return None
        if Order.objects.filter(
            kind=OrderKind.PLAN,
            plan=plan,
            student_id=subscription.student_id,
            status=OrderStatus.OPEN,
        ).exists():
            return None
        start = subscription.current_period_end
        end = add_month(start, tz=_zone(subscription.student))
        tz = _zone(subscription.payer)
        order = order_create(
            actor=subscription.payer,
            student=subscription.student,
            kind=OrderKind.PLAN,
            method=PaymentMethod.MANUAL,
            currency=plan.currency,
            plan=plan,
            teacher=plan.teacher,
            lines=[
                Line(
                    description=_("%(plan)s: %(start)s to %(end)s (%(n)s lessons)")
                    % {
                        "plan": plan.name,
                        "start": start.astimezone(tz).date().isoformat(),
                        "end": end.astimezone(tz).date().isoformat(),
                        "n": plan.credits_per_month,
                    },
                    unit_price=plan.price,
                )
            ],
        )
        invoice_for_order(order=order, due_at=max(start, now))
    return order
