"""The one seam for outgoing Stripe calls. Every call goes through `stripe_client()` (the real
`stripe.StripeClient`, pointed at `settings.STRIPE_API_HOST` when set: tests run a local stand-in), and
every write carries an idempotency key derived from our own objects, so a retried call (a double click,
a task run twice) returns what Stripe made the first time instead of making it again.

Only creating the Checkout session runs on the request path (the payer waits for its URL); refunds
and subscription changes are sent from django-q2 tasks after the commit that decided them."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cplatform.exceptions import Conflict

from ..choices import OrderKind, OrderStatus, RefundStatus
from ..conf import stripe_enabled, stripe_secret_key
from ..models import Order, Refund, Subscription

logger = logging.getLogger(__name__)

# Stripe's limits for a Checkout session's `expires_at`: 30 minutes to 24 hours ahead.
SESSION_MIN = timedelta(minutes=31)
SESSION_MAX = timedelta(hours=23, minutes=55)
STRIPE_LOCALES = {"en", "es", "de", "fr", "it", "pt", "nl"}


def stripe_client() -> stripe.StripeClient:
    if not stripe_enabled():
        raise Conflict(_("Card payments are not available here."), code="stripe_disabled")
    host = getattr(settings, "STRIPE_API_HOST", "") or stripe.api_base
    return stripe.StripeClient(
        stripe_secret_key(),
        base_addresses={"api": host},
        max_network_retries=2,
    )


def livemode() -> bool:
    return stripe_secret_key().startswith(("sk_live_", "rk_live_"))


def minor(amount: Decimal) -> int:
    """Stripe's integer minor units (every currency we take has cents)."""
    return int((Decimal(amount) * 100).to_integral_value())


def from_minor(value: int) -> Decimal:
    return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


# --- customers ---------------------------------------------------------------------------------


def customer_for(user) -> str:
    """The payer's Stripe customer id: created once per payer (idempotency key `customer-<user id>`)
    and kept in dj-stripe's Customer (its subscriber is the user), so dj-stripe's webhook
    processing finds it locally."""
    from djstripe.models import Customer  # noqa: PLC0415 - dj-stripe's models need the app registry

    existing = (
        Customer.objects.filter(subscriber=user, livemode=livemode(), date_purged__isnull=True)
        .order_by("djstripe_id")
        .values_list("id", flat=True)
        .first()
    )
    if existing:
        return existing
    client = stripe_client()
    data = client.v1.customers.create(
        params={
            "email": user.email,
            "name": getattr(user, "name", "") or user.email,
            "metadata": {"djstripe_subscriber": str(user.pk), "user": str(user.pk)},
        },
        options={"idempotency_key": f"customer-{user.pk}"},
    )
    customer = Customer.sync_from_stripe_data(data, api_key=stripe_secret_key())
    if customer.subscriber_id != user.pk:
        Customer.objects.filter(pk=customer.pk).update(subscriber=user)
    return data["id"]


# --- checkout ----------------------------------------------------------------------------------


def synced_price_id(lookup_key: str) -> str:
    """The id of the Stripe price `sync_stripe_catalog` made for `lookup_key` ("" when none)."""
    from djstripe.models import Price  # noqa: PLC0415

    return (
        Price.objects.filter(lookup_key=lookup_key, active=True, livemode=livemode())
        .values_list("id", flat=True)
        .first()
        or ""
    )


def session_expiry(order: Order, now: datetime) -> datetime:
    """The order's expiry, clamped into what Stripe accepts (30 min to 24 h ahead). A clamped time
    is rounded up to 5 minutes so two clicks in a row send the same parameters."""
    wanted = order.expires_at or now + SESSION_MAX
    if now + SESSION_MIN <= wanted <= now + SESSION_MAX:
        return wanted
    clamped = now + SESSION_MIN if wanted < now + SESSION_MIN else now + SESSION_MAX
    clamped = clamped.replace(second=0, microsecond=0)
    return clamped + timedelta(minutes=(5 - clamped.minute % 5) % 5)


def _line_items(order: Order) -> list[dict]:
    from .catalog import course_lookup_key, plan_lookup_key  # noqa: PLC0415

    currency = order.currency.lower()
    if order.kind == OrderKind.PLAN:
        plan = order.plan
        price_id = ""
        if order.total == plan.price:
            price_id = plan.stripe_price_id or synced_price_id(plan_lookup_key(plan))
        if price_id:
            return [{"price": price_id, "quantity": 1}]
        return [
            {
                "price_data": {
                    "currency": currency,
                    "unit_amount": minor(order.total),
                    "recurring": {"interval": "month"},
                    "product_data": {"name": plan.name},
                },
                "quantity": 1,
            }
        ]
    lines = list(order.lines.all())
    if order.discount > 0:
        # Our own coupon: one line for what is owed, so Stripe charges exactly the order's total.
        name = "; ".join(line.description for line in lines)[:250]
        return [
            {
                "price_data": {
                    "currency": currency,
                    "unit_amount": minor(order.total),
                    "product_data": {"name": name or str(order.reference)},
                },
                "quantity": 1,
            }
        ]
    items = []
    for line in lines:
        price_id = ""
        if order.kind in (OrderKind.COURSE, OrderKind.PACKAGE) and order.course_id:
            price_id = synced_price_id(course_lookup_key(order.course, amount=line.unit_price))
        if price_id:
            items.append({"price": price_id, "quantity": line.quantity})
        else:
            items.append(
                {
                    "price_data": {
                        "currency": currency,
                        "unit_amount": minor(line.unit_price),
                        "product_data": {"name": line.description[:250]},
                    },
                    "quantity": line.quantity,
                }
            )
    return items


def checkout_session_params(
    order: Order, *, customer: str, success_url: str, cancel_url: str, now: datetime
) -> dict:
    reference = str(order.reference)
    params: dict = {
        "mode": "subscription" if order.kind == OrderKind.PLAN else "payment",
        "line_items": _line_items(order),
        "customer": customer,
        "client_reference_id": reference,
        "metadata": {"order": reference},
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int(session_expiry(order, now).timestamp()),
    }
    if order.discount == 0:
        params["allow_promotion_codes"] = True
    if order.language in STRIPE_LOCALES:
        params["locale"] = order.language
    if order.kind == OrderKind.PLAN:
        params["subscription_data"] = {"metadata": {"order": reference}}
    else:
        params["payment_intent_data"] = {"metadata": {"order": reference}}
    return params


def checkout_session_for(order: Order, *, success_url: str, cancel_url: str) -> str:
    """The Stripe Checkout URL to send the payer to for `order` (stored as the order's
    `stripe_checkout_session_id`). An open session made before is reused; after one expired a new
    one gets a new key (derived from the one it replaces)."""
    if order.status != OrderStatus.OPEN:
        raise Conflict(_("This order is not awaiting payment."), code="order_not_open")
    if order.total <= 0:
        raise Conflict(_("There is nothing to pay."), code="nothing_to_pay")
    client = stripe_client()
    key = f"order-{order.reference}-checkout"
    previous = order.stripe_checkout_session_id
    if previous:
        try:
            session = client.v1.checkout.sessions.retrieve(previous)
        except stripe.InvalidRequestError:
            session = None
        if session is not None and session.get("status") == "open" and session.get("url"):
            return session["url"]
        key = f"order-{order.reference}-checkout-after-{previous}"
    params = checkout_session_params(
        order,
        customer=customer_for(order.payer),
        success_url=success_url,
        cancel_url=cancel_url,
        now=timezone.now(),
    )
    session = client.v1.checkout.sessions.create(params=params, options={"idempotency_key": key})
    Order.objects.filter(pk=order.pk).update(stripe_checkout_session_id=session["id"])
    order.stripe_checkout_session_id = session["id"]
    return session["url"]


# --- refunds -----------------------------------------------------------------------------------


def refund_send(refund: Refund) -> Refund:
    """Create the Stripe refund for a PENDING refund of a Stripe payment (key `refund-<cause>`, so a
    task run twice refunds once); store its id and whether it worked. A refund Stripe refuses is
    FAILED (an admin sees it); a network error raises, and the task is retried."""
    refund = Refund.objects.select_related("payment").get(pk=refund.pk)
    if refund.stripe_refund_id or refund.status != RefundStatus.PENDING:
        return refund
    payment = refund.payment
    params: dict = {
        "amount": minor(refund.amount),
        "metadata": {"cause": refund.cause, "refund": str(refund.pk)},
    }
    if payment.stripe_payment_intent_id:
        params["payment_intent"] = payment.stripe_payment_intent_id
    elif payment.stripe_charge_id:
        params["charge"] = payment.stripe_charge_id
    else:
        logger.error("Refund %s: payment %s has no Stripe reference", refund.pk, payment.pk)
        Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.FAILED)
        refund.status = RefundStatus.FAILED
        return refund
    try:
        data = stripe_client().v1.refunds.create(
            params=params, options={"idempotency_key": f"refund-{refund.cause}"}
        )
    except (stripe.InvalidRequestError, stripe.CardError) as exc:
        logger.error("Stripe refused refund %s: %s", refund.pk, exc)
        Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.FAILED
        )
        refund.refresh_from_db()
        return refund
    status = RefundStatus.FAILED if data.get("status") in ("failed", "canceled") else None
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if not refund.stripe_refund_id:
            refund.stripe_refund_id = data["id"]
        refund.status = status or RefundStatus.SUCCEEDED
        refund.save(update_fields=["stripe_refund_id", "status"])
    return refund


def refunds_for_charge(charge_id: str) -> list[dict]:
    """The refunds of a charge (a `charge.refunded` event's charge no longer lists them)."""
    page = stripe_client().v1.refunds.list(params={"charge": charge_id, "limit": 100})
    return [dict(item) for item in page.get("data", [])]


# --- subscriptions -----------------------------------------------------------------------------


def _stamp(value: datetime | None) -> int:
    return int((value or timezone.now()).timestamp())


def subscription_pause(subscription: Subscription) -> dict | None:
    """Stop billing a Stripe subscription (invoices are voided while paused)."""
    if not subscription.stripe_subscription_id:
        return None
    return stripe_client().v1.subscriptions.update(
        subscription.stripe_subscription_id,
        params={"pause_collection": {"behavior": "void"}},
        options={
            "idempotency_key": f"subscription-{subscription.pk}-pause-"
            f"{_stamp(subscription.paused_at)}"
        },
    )


def subscription_resume(subscription: Subscription) -> dict | None:
    if not subscription.stripe_subscription_id:
        return None
    return stripe_client().v1.subscriptions.update(
        subscription.stripe_subscription_id,
        params={"pause_collection": ""},
        options={"idempotency_key": f"subscription-{subscription.pk}-resume-{_stamp(None)}"},
    )


def subscription_cancel(subscription: Subscription, *, at_period_end: bool = True) -> dict | None:
    """Cancel at the end of the paid period (the default), or at once."""
    if not subscription.stripe_subscription_id:
        return None
    client = stripe_client()
    if at_period_end:
        return client.v1.subscriptions.update(
            subscription.stripe_subscription_id,
            params={"cancel_at_period_end": True},
            options={"idempotency_key": f"subscription-{subscription.pk}-cancel-at-period-end"},
        )
    return client.v1.subscriptions.cancel(
        subscription.stripe_subscription_id,
        options={"idempotency_key": f"subscription-{subscription.pk}-cancel-now"},
    )
