"""Held lessons and subscriptions paid through Stripe (the stand-in and signed webhooks): a late
payment for a hold whose slot was taken is refunded once in Stripe; a plan's checkout starts the
subscription, renewals grant the next month, and pause / resume / cancel reach Stripe."""

from __future__ import annotations

from datetime import timedelta

import pytest

from billing.choices import (
    LedgerCause,
    OrderKind,
    OrderStatus,
    PaymentMethod,
    RefundStatus,
    SubscriptionStatus,
)
from billing.models import CreditEntry, Payment, Refund
from billing.plans.services import (
    subscription_cancel,
    subscription_pause,
    subscription_resume,
    subscription_start,
)
from billing.services import Line, order_create
from classroom.choices import LessonStatus
from classroom.models import Lesson
from classroom.scheduling.services import lesson_book, lesson_hold_expire
from tests.billing.factories_policy import held_lesson, plan_for
from tests.billing.factories_stripe import checkout, deliver
from tests.booking.factories import bookable_teacher, student

pytestmark = pytest.mark.django_db


def _lesson_order(lesson):
    return order_create(
        actor=lesson.student,
        student=lesson.student,
        kind=OrderKind.LESSON,
        method=PaymentMethod.STRIPE,
        currency=lesson.currency,
        teacher=lesson.teacher.user,
        lines=[Line(description=f"Lesson {lesson.pk}", unit_price=lesson.price, lesson=lesson)],
        expires_at=lesson.hold_expires_at,
    )


def test_a_held_lesson_paid_through_checkout_is_confirmed(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    lesson = held_lesson(teacher, learner)
    order = _lesson_order(lesson)
    event = stripe_standin.complete_checkout(checkout(order))
    for _ in range(2):
        deliver(stripe_standin, client, event, django_capture_on_commit_callbacks)
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.SCHEDULED
    assert Payment.objects.filter(order=order).count() == 1
    assert not Refund.objects.exists()


def test_an_expired_hold_whose_slot_was_taken_and_a_late_payment_make_one_lesson_and_one_refund(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    lesson = held_lesson(teacher, learner)
    order = _lesson_order(lesson)
    session_id = checkout(order)
    lesson_hold_expire(lesson=lesson, now=lesson.hold_expires_at + timedelta(seconds=1))
    other = student()
    taken = lesson_book(actor=other, teacher=teacher, student=other, start=lesson.start, length=60)

    completed = stripe_standin.complete_checkout(session_id)
    intent = stripe_standin.payment_intent_succeeded(
        stripe_standin.get(session_id)["payment_intent"]
    )
    for event in (completed, intent, completed, intent):
        deliver(stripe_standin, client, event, django_capture_on_commit_callbacks)

    assert list(
        Lesson.objects.filter(teacher=teacher, start=lesson.start)
        .exclude(status=LessonStatus.EXPIRED)
        .values_list("pk", flat=True)
    ) == [taken.pk]
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.EXPIRED
    [payment] = Payment.objects.filter(order=order)
    [refund] = Refund.objects.filter(payment=payment)
    assert refund.amount == order.total
    assert refund.status == RefundStatus.SUCCEEDED
    [stripe_refund] = stripe_standin.of_type("refund")
    assert refund.stripe_refund_id == stripe_refund["id"]
    assert stripe_refund["amount"] == int(order.total * 100)
    assert [c.idempotency_key for c in stripe_standin.calls("POST", "/v1/refunds")] == [
        f"refund-{refund.cause}"
    ]
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    # Stripe reports the refund back, three times: still one refund.
    reported = stripe_standin.charge_refunded(stripe_refund["id"])
    for _ in range(3):
        deliver(stripe_standin, client, reported, django_capture_on_commit_callbacks)
    assert Refund.objects.count() == 1


def _stripe_subscription(stripe_standin, client, capture):
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    plan = plan_for(teacher, credits_per_month=4, rollover_cap=2)
    order = subscription_start(
        actor=learner, plan=plan, student=learner, method=PaymentMethod.STRIPE
    )
    session_id = checkout(order)
    event = stripe_standin.complete_checkout(session_id)
    for _ in range(2):
        deliver(stripe_standin, client, event, capture)
    subscription = plan.subscriptions.get()
    return plan, learner, subscription, stripe_standin.get(session_id)["subscription"]


def test_a_plan_paid_through_checkout_starts_the_subscription_and_renewals_grant_each_month(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    plan, learner, subscription, stripe_id = _stripe_subscription(stripe_standin, client, capture)
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.stripe_subscription_id == stripe_id
    grants = CreditEntry.objects.filter(
        subscription=subscription, cause=LedgerCause.SUBSCRIPTION_GRANT
    )
    assert grants.count() == 1

    # The first invoice (billing_reason subscription_create) pays nothing twice.
    [first_invoice] = stripe_standin.of_type("invoice")
    assert first_invoice["billing_reason"] == "subscription_create"
    deliver(
        stripe_standin,
        client,
        stripe_standin.event("invoice.paid", stripe_standin.objects[first_invoice["id"]]),
        capture,
    )
    assert grants.count() == 1

    renewal = stripe_standin.invoice_paid(stripe_id)
    for _ in range(3):
        deliver(stripe_standin, client, renewal, capture)
    assert grants.count() == 2
    subscription.refresh_from_db()
    period = renewal["data"]["object"]["lines"]["data"][0]["period"]
    assert int(subscription.current_period_start.timestamp()) == period["start"]


def test_pause_resume_and_cancel_reach_stripe_with_keys_and_stripes_answer_comes_back(
    stripe_standin, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    plan, learner, subscription, stripe_id = _stripe_subscription(stripe_standin, client, capture)
    path = f"/v1/subscriptions/{stripe_id}"

    with capture(execute=True):
        subscription_pause(actor=learner, subscription=subscription)
    assert stripe_standin.get(stripe_id)["pause_collection"]["behavior"] == "void"
    deliver(stripe_standin, client, stripe_standin.subscription_updated(stripe_id), capture)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAUSED

    with capture(execute=True):
        subscription_resume(actor=learner, subscription=subscription)
    assert not stripe_standin.get(stripe_id)["pause_collection"]
    deliver(stripe_standin, client, stripe_standin.subscription_updated(stripe_id), capture)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE

    with capture(execute=True):
        subscription_cancel(actor=learner, subscription=subscription)
    assert stripe_standin.get(stripe_id)["cancel_at_period_end"] is True
    deliver(stripe_standin, client, stripe_standin.subscription_updated(stripe_id), capture)
    subscription.refresh_from_db()
    assert subscription.cancel_at_period_end is True

    keys = [c.idempotency_key for c in stripe_standin.calls("POST", path)]
    assert len(keys) == 3
    assert keys[0].startswith(f"subscription-{subscription.pk}-pause-")
    assert keys[1].startswith(f"subscription-{subscription.pk}-resume-")
    assert keys[2] == f"subscription-{subscription.pk}-cancel-at-period-end"

    deliver(stripe_standin, client, stripe_standin.subscription_deleted(stripe_id), capture)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELLED
