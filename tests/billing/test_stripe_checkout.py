"""Checkout sessions and the catalog, against the Stripe stand-in (the real `stripe` client)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from billing.choices import OrderKind, PaymentMethod
from billing.models import Plan
from billing.services import Line, order_create
from billing.stripe.catalog import course_lookup_key
from billing.stripe.client import checkout_session_for
from cplatform.exceptions import Conflict
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.billing.factories_stripe import (
    CANCEL_URL,
    SUCCESS_URL,
    checkout,
    course_order,
    package_course,
    paid_course,
)

pytestmark = pytest.mark.django_db


def _session_calls(standin):
    return standin.calls("POST", "/v1/checkout/sessions")


def test_a_checkout_session_charges_the_orders_amount_in_its_currency_with_a_key_from_the_order(
    stripe_standin,
):
    order = course_order(course=paid_course(price="40.00", currency="EUR"))
    url = checkout_session_for(order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
    order.refresh_from_db()

    [call] = _session_calls(stripe_standin)
    assert call.idempotency_key == f"order-{order.reference}-checkout"
    assert call.status == 200
    params = call.params
    assert params["mode"] == "payment"
    [item] = params["line_items"]
    assert item["price_data"]["unit_amount"] == "4000"
    assert item["price_data"]["currency"] == "eur"
    assert item["quantity"] == "1"
    assert params["client_reference_id"] == str(order.reference)
    assert params["metadata"] == {"order": str(order.reference)}
    assert params["payment_intent_data"]["metadata"] == {"order": str(order.reference)}
    assert params["allow_promotion_codes"] == "true"
    session = stripe_standin.get(order.stripe_checkout_session_id)
    assert session["amount_total"] == 4000
    assert session["currency"] == "eur"
    assert session["url"] == url
    assert session["customer"] == params["customer"]


def test_the_payer_gets_one_stripe_customer_made_once_with_a_key_from_their_id(stripe_standin):
    payer = StudentFactory()
    checkout(course_order(student=payer))
    checkout(course_order(student=payer))

    [call] = stripe_standin.calls("POST", "/v1/customers")
    assert call.idempotency_key == f"customer-{payer.pk}"
    from djstripe.models import Customer

    assert Customer.objects.get(subscriber=payer).id == call_customer(stripe_standin)


def call_customer(standin):
    [customer] = standin.of_type("customer")
    return customer["id"]


def test_a_second_click_on_pay_reuses_the_open_session(stripe_standin):
    order = course_order()
    first = checkout_session_for(order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
    order.refresh_from_db()
    second = checkout_session_for(order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
    assert first == second
    assert len(_session_calls(stripe_standin)) == 1


def test_after_the_session_expired_a_new_one_gets_its_own_key(stripe_standin):
    order = course_order()
    old = checkout(order)
    stripe_standin.expire_checkout(old)
    new = checkout(order)
    assert new != old
    keys = [call.idempotency_key for call in _session_calls(stripe_standin)]
    assert keys == [
        f"order-{order.reference}-checkout",
        f"order-{order.reference}-checkout-after-{old}",
    ]


def test_the_session_expires_with_the_order_clamped_to_what_stripe_accepts(stripe_standin):
    now = timezone.now()
    soon = course_order(expires_at=now + timedelta(minutes=10))
    later = course_order(expires_at=(now + timedelta(hours=2)).replace(microsecond=0))
    checkout(soon)
    checkout(later)
    soon_call, later_call = _session_calls(stripe_standin)
    assert int(soon_call.params["expires_at"]) >= (now + timedelta(minutes=30)).timestamp()
    assert int(later_call.params["expires_at"]) == int(later.expires_at.timestamp())


def test_a_plan_order_opens_a_subscription_session(stripe_standin):
    teacher = TeacherFactory()
    student = StudentFactory()
    plan = Plan.objects.create(
        name="Four a month", teacher=teacher, credits_per_month=4, price=Decimal("99.00")
    )
    order = order_create(
        actor=student,
        student=student,
        kind=OrderKind.PLAN,
        method=PaymentMethod.STRIPE,
        currency=plan.currency,
        lines=[Line(description=plan.name, unit_price=plan.price)],
        plan=plan,
        teacher=teacher,
    )
    checkout(order)
    [call] = _session_calls(stripe_standin)
    assert call.params["mode"] == "subscription"
    assert call.params["subscription_data"]["metadata"] == {"order": str(order.reference)}
    [item] = call.params["line_items"]
    assert item["price_data"]["recurring"] == {"interval": "month"}
    assert item["price_data"]["unit_amount"] == "9900"


def test_checkout_refuses_when_stripe_is_off(settings, db):
    settings.STRIPE_TEST_SECRET_KEY = "sk_test_" + "0" * 24
    order = course_order()
    with pytest.raises(Conflict) as caught:
        checkout_session_for(order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
    assert caught.value.code == "stripe_disabled"


def test_sync_stripe_catalog_twice_makes_the_same_products_and_prices(stripe_standin, capsys):
    course = paid_course(price="40.00")
    package = package_course(price="150.00")
    paid_course(price="0")  # free: not sold through Stripe
    plan = Plan.objects.create(
        name="Eight a month", teacher=TeacherFactory(), credits_per_month=8, price=Decimal("180.00")
    )
    call_command("sync_stripe_catalog")
    first = capsys.readouterr().out
    prices = {p["id"]: p for p in stripe_standin.of_type("price")}
    products = {p["id"] for p in stripe_standin.of_type("product")}
    assert "prices created: 3" in first
    assert products == {
        f"cplatform_course_{course.pk}",
        f"cplatform_course_{package.pk}",
        f"cplatform_plan_{plan.pk}",
    }
    plan.refresh_from_db()
    assert prices[plan.stripe_price_id]["recurring"]["interval"] == "month"
    assert prices[plan.stripe_price_id]["unit_amount"] == 18000

    call_command("sync_stripe_catalog")
    second = capsys.readouterr().out
    assert "products created: 0" in second
    assert "prices created: 0" in second
    assert "prices already there: 3" in second
    assert {p["id"] for p in stripe_standin.of_type("price")} == set(prices)
    assert {p["id"] for p in stripe_standin.of_type("product")} == products
    before = plan.stripe_price_id
    plan.refresh_from_db()
    assert plan.stripe_price_id == before

    # Checkout now charges the synced price of the course.
    order = course_order(course=course)
    checkout(order)
    [call] = _session_calls(stripe_standin)
    [item] = call.params["line_items"]
    synced = next(p for p in prices.values() if p["lookup_key"] == course_lookup_key(course))
    assert item == {"price": synced["id"], "quantity": "1"}
