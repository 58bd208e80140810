"""The Stripe stand-in says no where Stripe says no, and dj-stripe's own code runs against it.

The real `stripe` client talks HTTP to tests/stripe_standin; nothing here is mocked.
"""

import http.client
import json
import threading
import time
from urllib.parse import urlsplit

import pytest
import stripe
from djstripe import models as djstripe_models

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_price(stripe_standin):
    product = stripe.Product.create(name="Spanish A1 course", metadata={"course": "12"})
    return stripe.Price.create(
        product=product.id, unit_amount=4900, currency="eur", lookup_key="course-12"
    )


def _paid_checkout(stripe_standin, price, **extra):
    session = stripe.checkout.Session.create(
        mode="payment",
        success_url="https://testserver/billing/done/",
        line_items=[{"price": price.id, "quantity": 1}],
        **extra,
    )
    event = stripe_standin.complete_checkout(session.id)
    return session, event


# -- the real client against the stand-in -------------------------------------------------------------


def test_the_real_client_creates_a_customer_a_product_a_price_and_a_checkout_session(
    stripe_standin,
):
    customer = stripe.Customer.create(email="ana@example.com", name="Ana", metadata={"user": "7"})
    product = stripe.Product.create(name="Five lessons")
    price = stripe.Price.create(
        product=product.id, unit_amount=12000, currency="eur", lookup_key="pack-5"
    )
    session = stripe.checkout.Session.create(
        mode="payment",
        customer=customer.id,
        client_reference_id="order-1",
        success_url="https://testserver/ok/",
        cancel_url="https://testserver/cancel/",
        line_items=[{"price": price.id, "quantity": 2}],
        metadata={"order": "1"},
    )

    assert customer.id.startswith("cus_") and customer.email == "ana@example.com"
    assert customer.metadata["user"] == "7" and customer.livemode is False
    assert price.id.startswith("price_") and price.type == "one_time" and price.unit_amount == 12000
    assert stripe.Price.list(lookup_keys=["pack-5"]).data[0].id == price.id
    assert stripe.Price.list(lookup_keys=["nope"]).data == []
    assert session.id.startswith("cs_test_") and session.object == "checkout.session"
    assert (session.status, session.payment_status, session.amount_total) == (
        "open",
        "unpaid",
        24000,
    )
    assert session.url.startswith(stripe_standin.url)
    again = stripe.checkout.Session.retrieve(session.id, expand=["line_items"])
    assert [(i.price.id, i.quantity, i.amount_total) for i in again.line_items.data] == [
        (price.id, 2, 24000)
    ]
    assert stripe.checkout.Session.list_line_items(session.id).data[0].description == "Five lessons"
    assert [r.path for r in stripe_standin.calls("POST")] == [
        "/v1/customers",
        "/v1/products",
        "/v1/prices",
        "/v1/checkout/sessions",
    ]
    logged = stripe_standin.calls("POST", "/v1/checkout/sessions")[0]
    assert logged.params["line_items"][0] == {"price": price.id, "quantity": "2"}
    assert logged.params["metadata"] == {"order": "1"} and logged.idempotency_key


def test_a_checkout_session_with_price_data_makes_an_inline_price(stripe_standin):
    session = stripe.checkout.Session.create(
        mode="payment",
        success_url="https://testserver/ok/",
        line_items=[
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 2500,
                    "product_data": {"name": "Lesson"},
                },
                "quantity": 1,
            }
        ],
    )
    item = stripe.checkout.Session.list_line_items(session.id).data[0]
    assert (session.currency, session.amount_total, item.description) == ("usd", 2500, "Lesson")
    assert item.price.active is False


def test_an_idempotent_retry_gets_the_same_object_and_other_parameters_with_the_key_are_refused(
    stripe_standin,
):
    first = stripe.Customer.create(email="a@example.com", idempotency_key="order-9-customer")
    replay = stripe.Customer.create(email="a@example.com", idempotency_key="order-9-customer")

    assert replay.id == first.id
    assert replay.last_response.headers["Idempotent-Replayed"] == "true"
    assert len(stripe_standin.of_type("customer")) == 1
    with pytest.raises(stripe.error.IdempotencyError):
        stripe.Customer.create(email="b@example.com", idempotency_key="order-9-customer")
    assert len(stripe_standin.of_type("customer")) == 1


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"unit_amount": "12.50", "currency": "eur"}, "unit_amount"),
        ({"unit_amount": -100, "currency": "eur"}, "unit_amount"),
        ({"unit_amount": "abc", "currency": "eur"}, "unit_amount"),
        ({"currency": "eur"}, "unit_amount"),
        ({"unit_amount": 100, "currency": "euro"}, "currency"),
        ({"unit_amount": 100, "currency": "zzz"}, "currency"),
    ],
)
def test_a_bad_amount_or_currency_is_refused(stripe_standin, params, param):
    product = stripe.Product.create(name="Course")

    with pytest.raises(stripe.error.InvalidRequestError) as error:
        stripe.Price.create(product=product.id, **params)

    assert error.value.http_status == 400 and error.value.param == param
    assert stripe_standin.of_type("price") == []


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"line_items": None}, "line_items"),
        ({"success_url": None}, "success_url"),
        ({"mode": None}, "mode"),
        ({"line_items": [{"quantity": 1}]}, "line_items[0][price]"),
        ({"line_items": [{"price": "price_missing", "quantity": 1}]}, "line_items[0][price]"),
        ({"line_items": "PRICE"}, "line_items[0][quantity]"),
        ({"customer": "cus_missing"}, "customer"),
    ],
)
def test_a_checkout_session_needs_what_stripe_needs(stripe_standin, course_price, changes, param):
    params = {
        "mode": "payment",
        "success_url": "https://testserver/ok/",
        "line_items": [{"price": course_price.id, "quantity": 1}],
    }
    for key, value in changes.items():
        if value == "PRICE":
            params[key] = [{"price": course_price.id}]
        else:
            params[key] = value

    with pytest.raises(stripe.error.InvalidRequestError) as error:
        stripe.checkout.Session.create(**params)

    assert error.value.param == param
    assert stripe_standin.of_type("checkout.session") == []


def test_a_checkout_total_under_the_currency_minimum_is_refused(stripe_standin):
    with pytest.raises(stripe.error.InvalidRequestError) as error:
        stripe.checkout.Session.create(
            mode="payment",
            success_url="https://testserver/ok/",
            line_items=[
                {
                    "price_data": {
                        "currency": "eur",
                        "unit_amount": 10,
                        "product_data": {"name": "x"},
                    },
                    "quantity": 1,
                }
            ],
        )
    assert error.value.code == "amount_too_small"


def test_refunds_are_partial_up_to_the_charge_and_no_further(stripe_standin, course_price):
    session, event = _paid_checkout(stripe_standin, course_price)
    intent = stripe.PaymentIntent.retrieve(event["data"]["object"]["payment_intent"])
    assert (intent.status, intent.amount_received) == ("succeeded", 4900)

    first = stripe.Refund.create(payment_intent=intent.id, amount=1900)
    with pytest.raises(stripe.error.InvalidRequestError) as too_much:
        stripe.Refund.create(payment_intent=intent.id, amount=3001)
    rest = stripe.Refund.create(charge=intent.latest_charge)
    with pytest.raises(stripe.error.InvalidRequestError) as again:
        stripe.Refund.create(payment_intent=intent.id)

    assert first.id.startswith("re_") and (first.amount, first.status) == (1900, "succeeded")
    assert too_much.value.code == "amount_too_large" and too_much.value.param == "amount"
    assert rest.amount == 3000
    assert again.value.code == "charge_already_refunded"
    charge = stripe.Charge.retrieve(intent.latest_charge, expand=["refunds"])
    assert (charge.amount_refunded, charge.refunded) == (4900, True)
    assert sorted(r.amount for r in charge.refunds.data) == [1900, 3000]
    assert [r.id for r in stripe.Refund.list(payment_intent=intent.id).data] == [rest.id, first.id]


@pytest.mark.parametrize("amount", [0, -5, "1.5"])
def test_a_refund_amount_must_be_a_positive_integer(stripe_standin, course_price, amount):
    _, event = _paid_checkout(stripe_standin, course_price)

    with pytest.raises(stripe.error.InvalidRequestError) as error:
        stripe.Refund.create(
            payment_intent=event["data"]["object"]["payment_intent"], amount=amount
        )

    assert error.value.param == "amount"
    assert stripe_standin.of_type("refund") == []


def test_a_wrong_or_missing_key_is_refused(stripe_standin):
    with pytest.raises(stripe.error.AuthenticationError) as wrong:
        stripe.Customer.create(email="a@example.com", api_key="sk_test_" + "1" * 24)
    assert wrong.value.http_status == 401
    with pytest.raises(stripe.error.AuthenticationError):
        stripe.Account.retrieve(api_key="")
    assert stripe_standin.of_type("customer") == []


def test_an_unknown_id_is_a_404_and_an_unknown_route_says_so_loudly(stripe_standin):
    with pytest.raises(stripe.error.InvalidRequestError) as missing:
        stripe.Customer.retrieve("cus_missing")
    with pytest.raises(stripe.error.InvalidRequestError) as unknown:
        stripe.Coupon.create(percent_off=10)

    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")
    assert unknown.value.http_status == 404 and "tests/stripe_standin" in str(unknown.value)


def test_subscriptions_pause_cancel_at_period_end_and_cancel(stripe_standin):
    product = stripe.Product.create(name="Monthly plan")
    price = stripe.Price.create(
        product=product.id, unit_amount=3900, currency="eur", recurring={"interval": "month"}
    )
    session = stripe.checkout.Session.create(
        mode="subscription",
        success_url="https://testserver/ok/",
        customer_email="sub@example.com",
        line_items=[{"price": price.id, "quantity": 1}],
    )
    completed = stripe_standin.complete_checkout(session.id)["data"]["object"]
    sub_id = completed["subscription"]

    paused = stripe.Subscription.modify(sub_id, pause_collection={"behavior": "void"})
    resumed = stripe.Subscription.modify(sub_id, pause_collection="")
    ending = stripe.Subscription.modify(sub_id, cancel_at_period_end=True)
    canceled = stripe.Subscription.cancel(sub_id)

    assert completed["customer"].startswith("cus_") and completed["invoice"].startswith("in_")
    assert stripe.Invoice.retrieve(completed["invoice"]).status == "paid"
    assert paused.pause_collection.behavior == "void" and resumed.pause_collection is None
    assert ending.cancel_at == ending["items"].data[0].current_period_end
    assert canceled.status == "canceled"
    with pytest.raises(stripe.error.InvalidRequestError):
        stripe.Subscription.modify(sub_id, pause_collection={"behavior": "sometimes"})


def test_events_the_drivers_make_are_served_by_the_api(stripe_standin, course_price):
    _, event = _paid_checkout(stripe_standin, course_price)

    fetched = stripe.Event.retrieve(event["id"])

    assert event["id"].startswith("evt_") and event["type"] == "checkout.session.completed"
    assert event["api_version"] == stripe_standin.api_version and event["livemode"] is False
    assert fetched.data.object.id == event["data"]["object"]["id"]
    assert fetched.data.object.payment_status == "paid"


# -- dj-stripe against the stand-in -------------------------------------------------------------------


def test_djstripe_retrieves_the_account_for_the_key(stripe_standin):
    account = djstripe_models.Account.get_or_retrieve_for_api_key(stripe_standin.api_key)

    assert account.id == stripe_standin.account_id
    assert stripe_standin.calls("GET", "/v1/account")


def test_a_signed_checkout_completed_event_is_processed_by_djstripe(
    stripe_standin, course_price, client, settings
):
    settings.DJSTRIPE_WEBHOOK_EVENT_CALLBACK = (
        None  # dj-stripe's own processing, network calls and all
    )
    customer = stripe.Customer.create(email="buyer@example.com")
    session, event = _paid_checkout(
        stripe_standin, course_price, customer=customer.id, client_reference_id="order-5"
    )

    response = stripe_standin.deliver(client, event)

    assert response.status_code == 200, response.content
    stored = djstripe_models.Session.objects.get(id=session.id)
    assert (stored.payment_status, stored.amount_total, stored.client_reference_id) == (
        "paid",
        4900,
        "order-5",
    )
    assert djstripe_models.Customer.objects.get(id=customer.id).email == "buyer@example.com"
    assert djstripe_models.Event.objects.filter(id=event["id"]).exists()
    assert stripe_standin.calls("GET", "/v1/account")
    retrieve = stripe_standin.calls("GET", f"/v1/checkout/sessions/{session.id}")
    assert retrieve and "line_items" in retrieve[-1].params.get("expand", [])
    assert stripe_standin.calls("GET", f"/v1/customers/{customer.id}")
    assert stripe_standin.unanswered == []


def _tamper(body: str) -> str:
    return body.replace('"livemode": false', '"livemode": fals3', 1)


@pytest.mark.parametrize(
    "case",
    ["wrong secret", "one byte changed", "missing header", "timestamp 301 s old", "unsigned"],
)
def test_a_bad_signature_is_refused_and_stores_no_event(
    stripe_standin, course_price, client, settings, case
):
    settings.DJSTRIPE_WEBHOOK_EVENT_CALLBACK = None
    from tests.stripe_standin.signing import sign

    _, event = _paid_checkout(stripe_standin, course_price)
    body = json.dumps(event)
    secret = stripe_standin.webhook_secret
    if case == "wrong secret":
        response = stripe_standin.deliver(client, body, secret="whsec_" + "x" * 32)
    elif case == "one byte changed":
        response = stripe_standin.deliver(client, _tamper(body), signature=sign(body, secret))
    elif case == "missing header":
        response = stripe_standin.deliver(client, body, signed=False)
    elif case == "timestamp 301 s old":
        response = stripe_standin.deliver(client, body, timestamp=int(time.time()) - 301)
    else:
        response = stripe_standin.deliver(client, body, signature=f"t={int(time.time())}")

    assert response.status_code == 400
    assert not djstripe_models.Event.objects.exists()
    assert not djstripe_models.Session.objects.exists()


def test_the_same_event_signed_in_time_is_accepted_once_delivered(
    stripe_standin, course_price, client, settings
):
    """The control for the refusals above: the same body, signed now, is accepted."""
    settings.DJSTRIPE_WEBHOOK_EVENT_CALLBACK = None
    _, event = _paid_checkout(stripe_standin, course_price)

    response = stripe_standin.deliver(client, json.dumps(event), timestamp=int(time.time()) - 299)

    assert response.status_code == 200
    assert djstripe_models.Event.objects.filter(id=event["id"]).exists()


def test_djstripe_syncs_prices_products_refunds_subscriptions_and_disputes_from_the_standin(
    stripe_standin, course_price
):
    _, event = _paid_checkout(stripe_standin, course_price)
    intent = stripe.PaymentIntent.retrieve(event["data"]["object"]["payment_intent"])
    refund = stripe.Refund.create(payment_intent=intent.id, amount=900)
    dispute_event = stripe_standin.dispute_create(intent.latest_charge)
    plan = stripe.Price.create(
        product=course_price.product,
        unit_amount=2900,
        currency="eur",
        recurring={"interval": "month"},
    )
    sub_session = stripe.checkout.Session.create(
        mode="subscription",
        success_url="https://testserver/ok/",
        customer_email="sub@example.com",
        line_items=[{"price": plan.id, "quantity": 1}],
    )
    sub_id = stripe_standin.complete_checkout(sub_session.id)["data"]["object"]["subscription"]

    product = djstripe_models.Product.sync_from_stripe_data(
        stripe.Product.retrieve(course_price.product)
    )
    price = djstripe_models.Price.sync_from_stripe_data(stripe.Price.retrieve(course_price.id))
    synced_refund = djstripe_models.Refund.sync_from_stripe_data(stripe.Refund.retrieve(refund.id))
    sub = djstripe_models.Subscription.sync_from_stripe_data(stripe.Subscription.retrieve(sub_id))
    dispute = djstripe_models.Dispute.sync_from_stripe_data(
        stripe.Dispute.retrieve(dispute_event["data"]["object"]["id"])
    )

    assert product.name == "Spanish A1 course"
    assert (price.unit_amount, price.currency, price.product_id) == (4900, "eur", product.id)
    assert (synced_refund.amount, synced_refund.charge_id) == (900, intent.latest_charge)
    assert (sub.status, sub.customer.email) == ("active", "sub@example.com")
    assert (dispute.amount, dispute.status) == (4000, "needs_response")
    assert stripe_standin.unanswered == []


def _subscribed(stripe_standin):
    product = stripe.Product.create(name="Monthly plan")
    price = stripe.Price.create(
        product=product.id, unit_amount=3900, currency="eur", recurring={"interval": "month"}
    )
    session = stripe.checkout.Session.create(
        mode="subscription",
        success_url="https://testserver/ok/",
        customer_email="sub@example.com",
        line_items=[{"price": price.id, "quantity": 1}],
    )
    return stripe_standin.complete_checkout(session.id)


def _scenario(stripe_standin, name):
    """The events Stripe would send for one story, in order, and the dj-stripe row the last one leaves."""
    if name.startswith("subscription") or name.startswith("invoice"):
        completed = _subscribed(stripe_standin)
        sub_id = completed["data"]["object"]["subscription"]
        if name == "subscription created and renewed":
            paid = stripe_standin.invoice_paid(sub_id)
            return [completed, paid], (
                djstripe_models.Invoice,
                paid["data"]["object"]["id"],
                "status",
                "paid",
            )
        if name == "invoice payment failed":
            failed = stripe_standin.invoice_payment_failed(sub_id)
            return [completed, failed], (djstripe_models.Subscription, sub_id, "status", "past_due")
        stripe.Subscription.modify(sub_id, cancel_at_period_end=True)
        updated = stripe_standin.subscription_updated(sub_id, {"cancel_at_period_end": False})
        deleted = stripe_standin.subscription_deleted(sub_id)
        return [completed, updated, deleted], (
            djstripe_models.Subscription,
            sub_id,
            "status",
            "canceled",
        )
    product = stripe.Product.create(name="Course")
    price = stripe.Price.create(product=product.id, unit_amount=4900, currency="eur")
    session = stripe.checkout.Session.create(
        mode="payment",
        success_url="https://testserver/ok/",
        line_items=[{"price": price.id, "quantity": 1}],
        customer_creation="always",
    )
    if name == "async payment succeeded":
        first = stripe_standin.complete_checkout(session.id, async_payment=True)
        last = stripe_standin.succeed_async_payment(session.id)
        return [first, last], (djstripe_models.Session, session.id, "payment_status", "paid")
    if name == "async payment failed":
        first = stripe_standin.complete_checkout(session.id, async_payment=True)
        last = stripe_standin.fail_async_payment(session.id)
        return [first, last], (djstripe_models.Session, session.id, "payment_status", "unpaid")
    if name == "checkout expired":
        last = stripe_standin.expire_checkout(session.id)
        return [last], (djstripe_models.Session, session.id, "status", "expired")
    completed = stripe_standin.complete_checkout(session.id)
    intent_id = completed["data"]["object"]["payment_intent"]
    succeeded = stripe_standin.payment_intent_succeeded(intent_id)
    charge_id = stripe_standin.get(intent_id)["latest_charge"]
    if name == "partly refunded":
        refunded = stripe_standin.refund(intent_id, 1000)
        return [completed, succeeded, refunded], (
            djstripe_models.Charge,
            charge_id,
            "amount_refunded",
            1000,
        )
    opened = stripe_standin.dispute_create(charge_id)
    closed = stripe_standin.dispute_close(opened["data"]["object"]["id"], "lost")
    return [completed, succeeded, opened, closed], (
        djstripe_models.Dispute,
        opened["data"]["object"]["id"],
        "status",
        "lost",
    )


@pytest.mark.parametrize(
    "name",
    [
        "async payment succeeded",
        "async payment failed",
        "checkout expired",
        "partly refunded",
        "disputed and lost",
        "subscription created and renewed",
        "invoice payment failed",
        "subscription cancelled",
    ],
)
def test_djstripe_processes_the_events_the_drivers_make(stripe_standin, client, settings, name):
    settings.DJSTRIPE_WEBHOOK_EVENT_CALLBACK = None
    events, (model, object_id, field, value) = _scenario(stripe_standin, name)

    for event in events:
        response = stripe_standin.deliver(client, event)
        assert response.status_code == 200, (event["type"], response.content)

    assert djstripe_models.Event.objects.count() == len(events)
    assert getattr(model.objects.get(id=object_id), field) == value
    assert stripe_standin.unanswered == []


@pytest.mark.django_db(transaction=True)  # dj-stripe's view runs in the live server's thread
def test_the_hosted_checkout_page_pays_sends_a_signed_webhook_and_redirects(
    stripe_standin, live_server, settings
):
    settings.DJSTRIPE_WEBHOOK_EVENT_CALLBACK = None
    stripe_standin.send_webhooks_to(live_server.url)
    product = stripe.Product.create(name="Spanish A1 course")
    price = stripe.Price.create(product=product.id, unit_amount=4900, currency="eur")
    session = stripe.checkout.Session.create(
        mode="payment",
        success_url=live_server.url + "/billing/done/?session={CHECKOUT_SESSION_ID}",
        cancel_url=live_server.url + "/",
        line_items=[{"price": price.id, "quantity": 1}],
    )
    address = urlsplit(session.url)

    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request("GET", address.path)
    page = connection.getresponse().read().decode()
    connection.request(
        "POST", address.path, body="", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    paid = connection.getresponse()
    paid.read()
    connection.close()

    assert "Spanish A1 course" in page and "49.00 eur" in page and "<button" in page
    assert paid.status == 303
    assert paid.getheader("Location") == f"{live_server.url}/billing/done/?session={session.id}"
    assert [(kind, status) for _, kind, status in stripe_standin.deliveries] == [
        ("checkout.session.completed", 200)
    ]
    assert djstripe_models.Session.objects.get(id=session.id).payment_status == "paid"


def test_metadata_stays_where_it_was_put_as_in_stripe(stripe_standin, course_price):
    session = stripe.checkout.Session.create(
        mode="payment",
        success_url="https://testserver/ok/",
        line_items=[{"price": course_price.id, "quantity": 1}],
        metadata={"order": "5"},
        payment_intent_data={"metadata": {"payment": "5"}},
    )
    event = stripe_standin.complete_checkout(session.id)
    intent = stripe.PaymentIntent.retrieve(
        event["data"]["object"]["payment_intent"], expand=["latest_charge"]
    )

    assert event["data"]["object"]["metadata"] == {"order": "5"}
    assert intent.metadata.to_dict() == {"payment": "5"}
    assert intent.latest_charge.metadata.to_dict() == {"payment": "5"}


def test_a_refused_request_leaves_nothing_behind(stripe_standin):
    good = {
        "price_data": {"currency": "eur", "unit_amount": 900, "product_data": {"name": "a"}},
        "quantity": 1,
    }
    bad = {
        "price_data": {"currency": "eur", "unit_amount": -1, "product_data": {"name": "b"}},
        "quantity": 1,
    }

    with pytest.raises(stripe.error.InvalidRequestError) as error:
        stripe.checkout.Session.create(
            mode="payment", success_url="https://testserver/ok/", line_items=[good, bad]
        )

    assert error.value.param == "line_items[1][price_data][unit_amount]"
    assert stripe_standin.of_type("price") == [] and stripe_standin.of_type("product") == []


def test_concurrent_retries_with_one_idempotency_key_make_one_object(stripe_standin):
    results, errors = [], []

    def create():
        try:
            results.append(
                stripe.Customer.create(email="race@example.com", idempotency_key="signup-42").id
            )
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=create) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == [] and len(results) == 5 and len(set(results)) == 1
    assert len(stripe_standin.of_type("customer")) == 1
    assert sum(r.replayed for r in stripe_standin.calls("POST", "/v1/customers")) == 4


def test_zero_decimal_currencies_count_whole_units(stripe_standin):
    line = {
        "price_data": {"currency": "jpy", "unit_amount": 800, "product_data": {"name": "Lesson"}},
        "quantity": 1,
    }
    session = stripe.checkout.Session.create(
        mode="payment", success_url="https://testserver/ok/", line_items=[line]
    )
    intent_id = stripe_standin.complete_checkout(session.id)["data"]["object"]["payment_intent"]

    with pytest.raises(stripe.error.InvalidRequestError) as error:
        stripe.Refund.create(payment_intent=intent_id, amount=801)

    assert session.amount_total == 800
    assert "801 jpy" in str(error.value) and "800 jpy" in str(error.value)


def test_another_account_is_not_reachable_with_our_key(stripe_standin):
    with pytest.raises(stripe.error.PermissionError):
        stripe.Customer.list(stripe_account="acct_someone_else")


def test_djstripe_customer_get_or_create_makes_one_stripe_customer_per_user(stripe_standin):
    from tests.authentication.factories import UserFactory

    user = UserFactory(email="learner@example.com", roles=[])

    customer, created = djstripe_models.Customer.get_or_create(subscriber=user)
    again, created_again = djstripe_models.Customer.get_or_create(subscriber=user)

    assert created and not created_again and again.id == customer.id
    remote = stripe_standin.get(customer.id)
    assert remote["email"] == "learner@example.com"
    assert remote["metadata"] == {"djstripe_subscriber": str(user.pk)}
    assert len(stripe_standin.calls("POST", "/v1/customers")) == 1
    assert stripe_standin.calls("POST", "/v1/customers")[0].idempotency_key


def test_the_customer_portal_lists_and_histories(stripe_standin):
    completed = _subscribed(stripe_standin)["data"]["object"]
    customer_id = completed["customer"]

    portal = stripe.billing_portal.Session.create(
        customer=customer_id, return_url="https://testserver/billing/"
    )
    invoices = stripe.Invoice.list(customer=customer_id)
    charges = stripe.Charge.list(customer=customer_id)

    assert portal.url.startswith(stripe_standin.url) and portal.customer == customer_id
    assert [i.id for i in invoices.data] == [completed["invoice"]]
    assert [c.amount for c in charges.data] == [3900]
    assert [p.amount for p in stripe.PaymentIntent.list(customer=customer_id).data] == [3900]
    with pytest.raises(stripe.error.InvalidRequestError):
        stripe.billing_portal.Session.create(customer="cus_missing")
