"""What each Stripe event does to billing. `handle_event` runs once per event id: the
ProcessedStripeEvent row is written in the same transaction as the event's effect, so a replay, a
duplicate delivery or a concurrent twin finds the row (the unique index makes the twin wait, then fail)
and does nothing, while an effect that failed leaves no row and is retried.

Handlers read the event's object (Stripe's state when it sent the event) and call billing's services;
fulfilment is order-independent because every path ends in `order_fulfil`, which pays an order once
under its row lock whichever of checkout.session.completed / payment_intent.succeeded comes first."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from cplatform.exceptions import DomainError
from cplatform.signals import announce

from .. import signals
from ..choices import (
    DisputeStatus,
    OrderKind,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    RefundReason,
    RefundStatus,
    SubscriptionStatus,
)
from ..models import Dispute, Order, Payment, ProcessedStripeEvent, Refund, Subscription
from ..services import order_cancel, order_fulfil, order_get_locked, refund_create
from .client import from_minor, minor

logger = logging.getLogger(__name__)

HANDLERS: dict = {}


def on(*types: str):
    def register(fn):
        for event_type in types:
            HANDLERS[event_type] = fn
        return fn

    return register


def handle_event(event) -> None:
    """Act on a dj-stripe Event once (by its id)."""
    handler = HANDLERS.get(event.type)
    if handler is None:
        logger.info("Stripe event %s (%s) needs nothing from billing", event.id, event.type)
        return
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProcessedStripeEvent.objects.create(event_id=event.id, type=event.type)
        except IntegrityError:
            logger.info("Stripe event %s (%s) was handled before", event.id, event.type)
            return
        handler(dict(event.data["object"]), event)


# --- helpers -----------------------------------------------------------------------------------


def _id(value) -> str:
    """An expandable field: an id string, an expanded object, or nothing."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return value.get("id", "")


def _when(timestamp) -> datetime | None:
    return datetime.fromtimestamp(int(timestamp), tz=UTC) if timestamp else None


def _order(reference) -> Order | None:
    try:
        reference = uuid.UUID(str(reference))
    except (TypeError, ValueError):
        return None
    return Order.objects.filter(reference=reference).first()


def _order_for(obj: dict) -> Order | None:
    metadata = obj.get("metadata") or {}
    order = _order(metadata.get("order")) or _order(obj.get("client_reference_id"))
    if order is None:
        logger.warning("Stripe %s %s names no order of ours", obj.get("object"), obj.get("id"))
    return order


def _fulfil(order: Order, *, amount_minor: int, currency: str, intent: str, charge: str = ""):
    """Pay `order` (once, whichever event comes first). A payment that does not match the order
    (Stripe charged another amount) is kept for an admin: logged, and the event marked handled."""
    try:
        with transaction.atomic():
            return order_fulfil(
                order_id=order.pk,
                method=PaymentMethod.STRIPE,
                amount=from_minor(amount_minor),
                currency=currency,
                stripe_payment_intent_id=intent,
                stripe_charge_id=charge,
            )
    except DomainError as exc:
        logger.error("Stripe payment for order %s not recorded: %s", order.pk, exc.code)
        return None


def _apply_stripe_discount(order: Order, session: dict) -> None:
    """A promotion code entered on Stripe's page lowers what was charged: the order records it
    before it is paid, so the payment matches."""
    charged = session.get("amount_total")
    discount = (session.get("total_details") or {}).get("amount_discount") or 0
    if charged is None or not discount or charged == minor(order.total):
        return
    locked = order_get_locked(order.pk)
    if locked.status != OrderStatus.OPEN or minor(locked.subtotal) - discount != charged:
        return
    locked.discount = from_minor(discount)
    locked.total = from_minor(charged)
    locked.save(update_fields=["discount", "total"])
    order.discount, order.total = locked.discount, locked.total


# --- checkout ----------------------------------------------------------------------------------


@on("checkout.session.completed", "checkout.session.async_payment_succeeded")
def session_paid(session: dict, event) -> None:
    """Paid → fulfil with the payment intent. An async method (SEPA, bank transfer) completes the
    session unpaid: wait for async_payment_succeeded / _failed."""
    order = _order_for(session)
    if order is None:
        return
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        logger.info("Order %s: checkout completed, payment pending", order.pk)
        return
    if session.get("mode") == "subscription":
        _subscription_link(order, _id(session.get("subscription")))
    _apply_stripe_discount(order, session)
    _fulfil(
        order,
        amount_minor=session.get("amount_total") or 0,
        currency=session.get("currency") or order.currency,
        intent=_id(session.get("payment_intent")),
    )


@on("payment_intent.succeeded")
def intent_succeeded(intent: dict, event) -> None:
    """The same payment seen from its intent (it may arrive before the session's event)."""
    order = _order_for(intent)
    if order is None or order.kind == OrderKind.PLAN:
        return
    received = intent.get("amount_received") or intent.get("amount") or 0
    if received != minor(order.total):
        # A promotion code changed the amount: the session's event carries the discount.
        logger.info("Order %s: intent amount differs, left to the session event", order.pk)
        return
    _fulfil(
        order,
        amount_minor=received,
        currency=intent.get("currency") or order.currency,
        intent=intent["id"],
        charge=_id(intent.get("latest_charge")),
    )


@on("checkout.session.async_payment_failed")
def session_payment_failed(session: dict, event) -> None:
    """The bank said no: the payer is told; the order stays open until it expires."""
    order = _order_for(session)
    if order is None or order.status != OrderStatus.OPEN:
        return
    announce(
        signals.payment_failed,
        signals.payment_failed_committed,
        sender=Order,
        order=order,
        reason="async_payment_failed",
    )


@on("checkout.session.expired")
def session_expired(session: dict, event) -> None:
    """The payer left the session unpaid. Only the order's current session expires it (a newer
    session may have replaced this one)."""
    order = _order_for(session)
    if order is None or order.status != OrderStatus.OPEN:
        return
    if order.stripe_checkout_session_id and order.stripe_checkout_session_id != session["id"]:
        return
    order_cancel(actor=None, order=order, status=OrderStatus.EXPIRED)


# --- refunds and disputes ----------------------------------------------------------------------


def _payment_for(obj: dict) -> Payment | None:
    intent = _id(obj.get("payment_intent"))
    charge = _id(obj.get("charge")) if obj.get("object") != "charge" else obj.get("id", "")
    payment = None
    if intent:
        payment = Payment.objects.filter(stripe_payment_intent_id=intent).first()
    if payment is None and charge:
        payment = Payment.objects.filter(stripe_charge_id=charge).first()
    if payment is None:
        logger.warning("Stripe %s %s: no payment of ours", obj.get("object"), obj.get("id"))
    return payment


@on("charge.refunded")
def charge_refunded(charge: dict, event) -> None:
    """Refunds of this charge: ours (found by their id, or their cause in the metadata) are marked
    done; one made in Stripe's dashboard is recorded once, as `stripe:<re_…>`."""
    from .client import refunds_for_charge  # noqa: PLC0415

    payment = _payment_for(charge)
    if payment is None:
        return
    listed = (charge.get("refunds") or {}).get("data")
    refunds = listed if listed is not None else refunds_for_charge(charge["id"])
    for data in refunds:
        data = dict(data)
        if data.get("status") in ("failed", "canceled"):
            continue
        ours = Refund.objects.filter(stripe_refund_id=data["id"]).first()
        cause = (data.get("metadata") or {}).get("cause")
        if ours is None and cause:
            ours = Refund.objects.filter(cause=cause, payment=payment).first()
        if ours is not None:
            if ours.status != RefundStatus.SUCCEEDED or not ours.stripe_refund_id:
                Refund.objects.filter(pk=ours.pk).update(
                    stripe_refund_id=ours.stripe_refund_id or data["id"],
                    status=RefundStatus.SUCCEEDED,
                )
            continue
        try:
            with transaction.atomic():
                refund_create(
                    payment=payment,
                    amount=from_minor(data["amount"]),
                    reason=RefundReason.STRIPE,
                    cause=f"stripe:{data['id']}",
                    stripe_refund_id=data["id"],
                    note=(data.get("reason") or "")[:300],
                )
        except DomainError as exc:
            logger.error("Stripe refund %s not recorded: %s", data["id"], exc.code)


@on("charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed")
def dispute_changed(dispute: dict, event) -> None:
    payment = _payment_for(dispute)
    if payment is None:
        return
    stripe_status = dispute.get("status", "")
    status = (
        DisputeStatus.WON
        if stripe_status == "won"
        else DisputeStatus.LOST
        if stripe_status == "lost"
        else DisputeStatus.OPEN
    )
    row, created = Dispute.objects.select_for_update().get_or_create(
        stripe_dispute_id=dispute["id"],
        defaults={
            "payment": payment,
            "amount": from_minor(dispute.get("amount") or 0),
            "currency": (dispute.get("currency") or payment.currency).upper(),
            "reason": (dispute.get("reason") or "")[:60],
            "status": status,
            "opened_at": _when(dispute.get("created")) or timezone.now(),
        },
    )
    if not created and row.status == status:
        return
    if not created:
        row.status = status
        row.closed_at = timezone.now() if status != DisputeStatus.OPEN else None
        row.save(update_fields=["status", "closed_at"])
    elif status != DisputeStatus.OPEN:
        Dispute.objects.filter(pk=row.pk).update(closed_at=timezone.now())
    if status == DisputeStatus.OPEN:
        Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.DISPUTED)
    elif status == DisputeStatus.WON and payment.status == PaymentStatus.DISPUTED:
        Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.SUCCEEDED)
    row.refresh_from_db()
    announce(
        signals.dispute_changed, signals.dispute_changed_committed, sender=Dispute, dispute=row
    )


# --- subscriptions -----------------------------------------------------------------------------


def _subscription_link(order: Order, stripe_id: str) -> Subscription | None:
    """The plan order's Subscription row learns its Stripe id."""
    if not stripe_id or not order.plan_id:
        return None
    found = Subscription.objects.filter(stripe_subscription_id=stripe_id).first()
    if found is not None:
        return found
    sub = (
        Subscription.objects.select_for_update()
        .filter(plan_id=order.plan_id, student_id=order.student_id, stripe_subscription_id="")
        .exclude(status=SubscriptionStatus.CANCELLED)
        .first()
    )
    if sub is not None:
        sub.stripe_subscription_id = stripe_id
        sub.save(update_fields=["stripe_subscription_id"])
    return sub


def _subscription_for(stripe_id: str, metadata: dict | None) -> Subscription | None:
    sub = (
        Subscription.objects.filter(stripe_subscription_id=stripe_id).first() if stripe_id else None
    )
    if sub is None and metadata:
        order = _order((metadata or {}).get("order"))
        if order is not None:
            sub = _subscription_link(order, stripe_id)
    if sub is None:
        logger.warning("Stripe subscription %s is none of ours", stripe_id)
    return sub


def _invoice_subscription(invoice: dict) -> tuple[str, dict]:
    """Where the invoice names its subscription (since 2025 under `parent`; before, at the top)."""
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    stripe_id = _id(details.get("subscription")) or _id(invoice.get("subscription"))
    metadata = details.get("metadata") or invoice.get("subscription_details", {}).get("metadata")
    return stripe_id, metadata or {}


def _plans_services():
    """The policy engineer's subscription services (billing/plans/services.py)."""
    from billing.plans import services  # noqa: PLC0415 - billing.plans imports this package

    return services


@on("invoice.paid")
def invoice_paid(invoice: dict, event) -> None:
    """A month of a Stripe subscription was paid: the plan grants its credits. The first month is
    the plan order's (paid through checkout.session.completed); renewals go to
    `subscription_period_paid`."""
    stripe_id, metadata = _invoice_subscription(invoice)
    if not stripe_id:
        return
    sub = _subscription_for(stripe_id, metadata)
    if sub is None:
        return
    if invoice.get("billing_reason") == "subscription_create":
        order = _order(metadata.get("order"))
        if order is not None and invoice.get("hosted_invoice_url"):
            order.invoices.filter(stripe_hosted_url="").update(
                stripe_hosted_url=invoice["hosted_invoice_url"][:500]
            )
        return
    lines = (invoice.get("lines") or {}).get("data") or []
    period = (lines[0].get("period") if lines else None) or {}
    start = _when(period.get("start") or invoice.get("period_start"))
    end = _when(period.get("end") or invoice.get("period_end"))
    _plans_services().subscription_period_paid(
        subscription=sub, period_start=start, period_end=end, stripe_invoice_id=invoice["id"]
    )


@on("invoice.payment_failed")
def invoice_payment_failed(invoice: dict, event) -> None:
    stripe_id, metadata = _invoice_subscription(invoice)
    sub = _subscription_for(stripe_id, metadata) if stripe_id else None
    if sub is not None and sub.status == SubscriptionStatus.ACTIVE:
        _plans_services().subscription_sync(subscription=sub, status=SubscriptionStatus.PAST_DUE)


STATUS = {
    "active": SubscriptionStatus.ACTIVE,
    "trialing": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.PAST_DUE,
    "paused": SubscriptionStatus.PAUSED,
    "canceled": SubscriptionStatus.CANCELLED,
    "incomplete_expired": SubscriptionStatus.CANCELLED,
    "incomplete": SubscriptionStatus.INCOMPLETE,
}


@on("customer.subscription.updated", "customer.subscription.deleted")
def subscription_changed(data: dict, event) -> None:
    """Stripe's view of the subscription (status, pause, cancel at period end, the period) goes to
    the plans' `subscription_sync`; credits move only with paid periods."""
    sub = _subscription_for(data.get("id", ""), data.get("metadata"))
    if sub is None:
        return
    status = STATUS.get(data.get("status", ""))
    if event.type == "customer.subscription.deleted":
        status = SubscriptionStatus.CANCELLED
    if status == SubscriptionStatus.ACTIVE and data.get("pause_collection"):
        status = SubscriptionStatus.PAUSED
    incomplete = sub.status == SubscriptionStatus.INCOMPLETE
    if incomplete and status != SubscriptionStatus.CANCELLED:
        status = None  # the plan order's fulfilment starts it (and grants the first month)
    items = (data.get("items") or {}).get("data") or [{}]
    start = _when(items[0].get("current_period_start") or data.get("current_period_start"))
    end = _when(items[0].get("current_period_end") or data.get("current_period_end"))
    _plans_services().subscription_sync(
        subscription=sub,
        status=status,
        current_period_start=None if incomplete else start,
        current_period_end=None if incomplete else end,
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
    )
