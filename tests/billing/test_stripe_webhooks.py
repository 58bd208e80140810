"""Stripe webhooks end to end, against the stand-in: dj-stripe's real endpoint and signature check,
the django-q2 task (inline in tests), dj-stripe's own processing (it fetches the account and
re-retrieves objects from the stand-in), then billing's handlers once per event."""

from __future__ import annotations

import itertools
import json
import time

import pytest
from django.db import connection
from django.test import Client
from djstripe.models import Event, WebhookEventTrigger

from billing import signals
from billing.choices import OrderStatus, PaymentMethod, PaymentStatus, RefundStatus
from billing.models import Order, Payment, ProcessedStripeEvent, Refund
from billing.services import order_cancel
from courses.choices import EnrollmentStatus
from cplatform.models import OutboundEmail
from inbox.notifications.models import Notification, NotificationKind
from tests.billing.factories_stripe import checkout, course_order, deliver
from tests.stripe_standin.signing import sign

pytestmark = pytest.mark.django_db


def _paid_once(order: Order) -> Payment:
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    [payment] = Payment.objects.filter(order=order)
    assert payment.method == PaymentMethod.STRIPE
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.amount == order.total
    order.enrollment.refresh_from_db()
    assert order.enrollment.status == EnrollmentStatus.ACTIVE
    assert (
        Notification.objects.filter(
            recipient=order.student, kind=NotificationKind.ENROLLMENT_CONFIRMED
        ).count()
        == 1
    )
    # One email of each kind however often the event came: the enrolment and the payment's receipt.
    kinds = [
        email.headers.get("X-Cplatform-Notification")
        for email in OutboundEmail.objects.filter(to__contains=[order.student.email])
    ]
    assert sorted(kinds) == sorted(set(kinds)) and len(kinds) == 2, kinds
    assert order.invoices.get().status == "paid"
    return payment


def test_a_signed_checkout_completed_pays_the_order_and_activates_the_enrolment(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    order = course_order()
    session_id = checkout(order)
    event = stripe_standin.complete_checkout(session_id)
    deliver(stripe_standin, client, event, django_capture_on_commit_callbacks)

    payment = _paid_once(order)
    session = stripe_standin.get(session_id)
    assert payment.stripe_payment_intent_id == session["payment_intent"]
    assert ProcessedStripeEvent.objects.filter(event_id=event["id"]).count() == 1
    # dj-stripe processed it for real: the account was fetched and the session re-retrieved.
    assert Event.objects.filter(id=event["id"]).exists()
    assert stripe_standin.calls("GET", "/v1/account")
    assert stripe_standin.calls("GET", f"/v1/checkout/sessions/{session_id}")


def test_the_same_event_five_times_in_a_row_pays_once_enrols_once_and_tells_once(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    order = course_order()
    event = stripe_standin.complete_checkout(checkout(order))
    for _ in range(5):
        deliver(stripe_standin, client, event, django_capture_on_commit_callbacks)
    _paid_once(order)
    assert ProcessedStripeEvent.objects.count() == 1
    assert WebhookEventTrigger.objects.filter(valid=True).count() == 5


@pytest.mark.parametrize("case", ["wrong secret", "one byte", "no header", "301 s old", "unsigned"])
def test_a_bad_signature_is_a_400_and_nothing_is_stored_or_paid(
    stripe_standin, client, django_capture_on_commit_callbacks, case
):
    order = course_order()
    event = stripe_standin.complete_checkout(checkout(order))
    body = json.dumps(event)
    secret = stripe_standin.webhook_secret
    with django_capture_on_commit_callbacks(execute=True):
        if case == "wrong secret":
            response = stripe_standin.deliver(client, body, secret="whsec_" + "x" * 32)
        elif case == "one byte":
            tampered = body.replace('"paid"', '"pai_"', 1)
            assert tampered != body
            response = stripe_standin.deliver(client, tampered, signature=sign(body, secret))
        elif case == "no header":
            response = stripe_standin.deliver(client, body, signed=False)
        elif case == "301 s old":
            response = stripe_standin.deliver(client, body, timestamp=int(time.time()) - 301)
        else:
            response = stripe_standin.deliver(client, body, signature=f"t={int(time.time())}")
    assert response.status_code == 400
    assert not Event.objects.exists()
    assert not WebhookEventTrigger.objects.filter(valid=True).exists()
    assert not ProcessedStripeEvent.objects.exists()
    assert not Payment.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN


@pytest.mark.parametrize(
    "steps", list(itertools.permutations(["completed", "intent", "redirect"])), ids=str
)
def test_completed_intent_succeeded_and_the_success_redirect_in_any_order_fulfil_once(
    stripe_standin, client, django_capture_on_commit_callbacks, steps
):
    order = course_order()
    session_id = checkout(order)
    completed = stripe_standin.complete_checkout(session_id)
    intent_id = stripe_standin.get(session_id)["payment_intent"]
    intent = stripe_standin.payment_intent_succeeded(intent_id)
    for step in steps:
        if step == "completed":
            deliver(stripe_standin, client, completed, django_capture_on_commit_callbacks)
        elif step == "intent":
            deliver(stripe_standin, client, intent, django_capture_on_commit_callbacks)
        else:
            # The payer comes back to the success URL: a page, never a fulfilment.
            before = Payment.objects.count()
            client.get(f"/en/billing/paid/?session_id={session_id}")
            assert Payment.objects.count() == before
    payment = _paid_once(order)
    assert payment.stripe_payment_intent_id == intent_id
    assert ProcessedStripeEvent.objects.count() == 2


def test_an_async_payment_waits_then_pays_once_it_succeeds(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    order = course_order()
    session_id = checkout(order)
    deliver(
        stripe_standin,
        client,
        stripe_standin.complete_checkout(session_id, async_payment=True),
        django_capture_on_commit_callbacks,
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    assert not Payment.objects.exists()
    event = stripe_standin.succeed_async_payment(session_id)
    deliver(stripe_standin, client, event, django_capture_on_commit_callbacks)
    _paid_once(order)


def test_a_failed_async_payment_is_announced_once_and_the_order_stays_open(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, order, reason, **kwargs):
        heard.append((order.pk, reason))

    signals.payment_failed_committed.connect(listener, dispatch_uid="test-listener")
    try:
        order = course_order()
        session_id = checkout(order)
        stripe_standin.complete_checkout(session_id, async_payment=True)
        event = stripe_standin.fail_async_payment(session_id)
        for _ in range(3):
            deliver(stripe_standin, client, event, django_capture_on_commit_callbacks)
    finally:
        signals.payment_failed_committed.disconnect(dispatch_uid="test-listener")
    assert heard == [(order.pk, "async_payment_failed")]
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    assert not Payment.objects.exists()


def test_an_expired_session_expires_its_open_order_but_not_one_with_a_newer_session(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    order = course_order()
    deliver(
        stripe_standin,
        client,
        stripe_standin.expire_checkout(checkout(order)),
        django_capture_on_commit_callbacks,
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED

    other = course_order()
    old = checkout(other)
    event = stripe_standin.expire_checkout(old)
    checkout(other)  # the payer clicked Pay again: a new session replaces the old one
    deliver(stripe_standin, client, event, django_capture_on_commit_callbacks)
    other.refresh_from_db()
    assert other.status == OrderStatus.OPEN


def test_a_payment_after_the_order_expired_is_refunded_in_stripe_once(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    order = course_order()
    session_id = checkout(order)
    order_cancel(actor=None, order=order, status=OrderStatus.EXPIRED)
    event = stripe_standin.complete_checkout(session_id)
    for _ in range(3):
        deliver(stripe_standin, client, event, django_capture_on_commit_callbacks)

    [payment] = Payment.objects.filter(order=order)
    [refund] = Refund.objects.filter(payment=payment)
    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.amount == order.total
    [stripe_refund] = stripe_standin.of_type("refund")
    assert refund.stripe_refund_id == stripe_refund["id"]
    assert stripe_refund["amount"] == 4000
    [call] = stripe_standin.calls("POST", "/v1/refunds")
    assert call.idempotency_key == f"refund-{refund.cause}"
    order.enrollment.refresh_from_db()
    assert order.enrollment.status == EnrollmentStatus.PENDING
    # Stripe then reports the refund: it is ours, not a second one.
    deliver(
        stripe_standin,
        client,
        stripe_standin.charge_refunded(stripe_refund["id"]),
        django_capture_on_commit_callbacks,
    )
    assert Refund.objects.count() == 1


def test_a_refund_made_in_stripe_replayed_three_times_is_one_refund_record(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    order = course_order()
    session_id = checkout(order)
    deliver(
        stripe_standin,
        client,
        stripe_standin.complete_checkout(session_id),
        django_capture_on_commit_callbacks,
    )
    intent_id = stripe_standin.get(session_id)["payment_intent"]
    event = stripe_standin.refund(intent_id, 1500)
    for _ in range(3):
        deliver(stripe_standin, client, event, django_capture_on_commit_callbacks)

    [refund] = Refund.objects.all()
    assert refund.cause.startswith("stripe:re_")
    assert refund.stripe_refund_id == refund.cause.removeprefix("stripe:")
    assert refund.status == RefundStatus.SUCCEEDED
    assert str(refund.amount) == "15.00"
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    assert order.invoices.filter(kind="credit_note").count() == 1
    assert not stripe_standin.calls("POST", "/v1/refunds")[1:]  # only the stand-in's own


def test_a_dispute_opened_and_closed(stripe_standin, client, django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, dispute, **kwargs):
        heard.append(dispute.status)

    order = course_order()
    session_id = checkout(order)
    deliver(
        stripe_standin,
        client,
        stripe_standin.complete_checkout(session_id),
        django_capture_on_commit_callbacks,
    )
    charge_id = stripe_standin.get(stripe_standin.get(session_id)["payment_intent"])[
        "latest_charge"
    ]
    signals.dispute_changed_committed.connect(listener, dispatch_uid="test-dispute")
    try:
        opened = stripe_standin.dispute_create(charge_id)
        deliver(stripe_standin, client, opened, django_capture_on_commit_callbacks)
        deliver(stripe_standin, client, opened, django_capture_on_commit_callbacks)
        payment = Payment.objects.get(order=order)
        assert payment.status == PaymentStatus.DISPUTED
        dispute = payment.disputes.get()
        assert dispute.status == "open"
        assert str(dispute.amount) == "40.00"
        closed = stripe_standin.dispute_close(opened["data"]["object"]["id"], status="won")
        deliver(stripe_standin, client, closed, django_capture_on_commit_callbacks)
    finally:
        signals.dispute_changed_committed.disconnect(dispatch_uid="test-dispute")
    dispute.refresh_from_db()
    assert dispute.status == "won"
    assert dispute.closed_at is not None
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert heard == ["open", "won"]


def _post_together(standin, event, n: int) -> list[int]:
    import threading

    from django.db import connections

    barrier = threading.Barrier(n)
    statuses: list[int] = []

    def post():
        try:
            barrier.wait()
            statuses.append(standin.deliver(Client(), event).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_the_same_event_five_times_at_once_pays_once_enrols_once_and_tells_once(stripe_standin):
    assert connection.vendor == "postgresql"
    order = course_order()
    event = stripe_standin.complete_checkout(checkout(order))
    statuses = _post_together(stripe_standin, event, 5)
    assert statuses == [200] * 5
    _paid_once(order)
    assert ProcessedStripeEvent.objects.count() == 1
    assert Event.objects.filter(id=event["id"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_completed_and_intent_succeeded_at_once_pay_once(stripe_standin):
    order = course_order()
    session_id = checkout(order)
    completed = stripe_standin.complete_checkout(session_id)
    intent = stripe_standin.payment_intent_succeeded(
        stripe_standin.get(session_id)["payment_intent"]
    )
    import threading

    from django.db import connections

    barrier = threading.Barrier(6)
    statuses = []

    def post(event):
        try:
            barrier.wait()
            statuses.append(stripe_standin.deliver(Client(), event).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(e,)) for e in [completed, intent] * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 6
    _paid_once(order)
    assert ProcessedStripeEvent.objects.count() == 2


def test_an_event_whose_processing_failed_is_processed_by_the_retry_schedule_once(
    stripe_standin, client, django_capture_on_commit_callbacks, settings
):
    import stripe

    from billing.stripe.tasks import retry_unprocessed_triggers

    order = course_order()
    event = stripe_standin.complete_checkout(checkout(order))
    reachable = stripe.api_base
    stripe.api_base = settings.STRIPE_API_HOST = "http://127.0.0.1:9"  # Stripe unreachable
    try:
        # The endpoint answered 200 (the trigger is stored); the task after commit fails (in tests
        # the task runs inline, so its error surfaces here; a worker records it as failed).
        with (
            pytest.raises(stripe.APIConnectionError),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = stripe_standin.deliver(client, event)
        assert response.status_code == 200
    finally:
        stripe.api_base = settings.STRIPE_API_HOST = reachable
    [trigger] = WebhookEventTrigger.objects.all()
    assert trigger.valid and not trigger.processed
    assert not Payment.objects.exists()
    assert not ProcessedStripeEvent.objects.exists()

    assert retry_unprocessed_triggers(older_than_minutes=0) == 1
    assert retry_unprocessed_triggers(older_than_minutes=0) == 0
    _paid_once(order)
    trigger.refresh_from_db()
    assert trigger.processed


def test_our_refund_is_sent_to_stripe_once_and_one_stripe_refuses_is_marked_failed(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    from billing.choices import RefundReason
    from billing.services import refund_create
    from billing.stripe.tasks import refund_send_task

    capture = django_capture_on_commit_callbacks
    order = course_order()
    session_id = checkout(order)
    deliver(stripe_standin, client, stripe_standin.complete_checkout(session_id), capture)
    payment = Payment.objects.get(order=order)
    with capture(execute=True):
        refund = refund_create(
            payment=payment, amount=10, reason=RefundReason.ADMIN, cause="admin:part"
        )
    refund_send_task(refund.pk)  # the task run again: nothing more is sent
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    [call] = stripe_standin.calls("POST", "/v1/refunds")
    assert call.idempotency_key == "refund-admin:part"
    assert call.params["amount"] == "1000"
    assert call.params["payment_intent"] == payment.stripe_payment_intent_id

    # Someone refunds the rest in Stripe's dashboard; our next refund is refused there.
    stripe_standin.refund(payment.stripe_payment_intent_id)
    with capture(execute=True):
        refused = refund_create(
            payment=payment, amount=5, reason=RefundReason.ADMIN, cause="admin:more"
        )
    refused.refresh_from_db()
    assert refused.status == RefundStatus.FAILED
    assert refused.stripe_refund_id == ""
