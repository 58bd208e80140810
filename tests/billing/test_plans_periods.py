"""Subscriptions: the first month's payment activates and grants, each next month grants once with
the rollover cap applied, periods keep their local hour across a DST change and their day across a
short month, pause grants nothing, cancel at period end ends it, manual renewals are issued once."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from billing.choices import (
    InvoiceKind,
    InvoiceStatus,
    LedgerCause,
    OrderKind,
    OrderStatus,
    SubscriptionStatus,
)
from billing.models import CreditEntry, Invoice, Order, Subscription
from billing.plans.services import (
    add_month,
    subscription_cancel,
    subscription_pause,
    subscription_period_paid,
    subscription_resume,
    subscription_start,
    subscriptions_renew_due,
)
from billing.services import credit_balance, manual_payment_record
from cplatform.exceptions import Conflict, NotFound
from tests.authentication.consent import link
from tests.authentication.factories import AdminFactory, ParentFactory, StudentFactory
from tests.billing.factories_policy import credit_lesson, paid_subscription, plan_for
from tests.booking.factories import bookable_teacher, student

pytestmark = pytest.mark.django_db
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def _balance(sub):
    return credit_balance(
        student_id=sub.student_id, teacher_id=sub.plan.teacher_id, currency=sub.plan.currency
    )


def _next(sub):
    sub.refresh_from_db()
    start = sub.current_period_end
    return start, add_month(start, tz=MADRID)


def test_paying_the_first_month_activates_the_subscription_and_grants_its_credits():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student(tz="Europe/Madrid")
    plan = plan_for(teacher)
    order = subscription_start(actor=learner, plan=plan, student=learner, method="manual")
    sub = Subscription.objects.get(plan=plan)
    assert sub.status == SubscriptionStatus.INCOMPLETE and order.kind == OrderKind.PLAN
    invoice = Invoice.objects.get(order=order, kind=InvoiceKind.INVOICE)
    assert invoice.status == InvoiceStatus.OPEN  # a manual subscription is paid by transfer
    manual_payment_record(actor=AdminFactory(), order=order)
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.ACTIVE
    assert sub.current_period_end == add_month(sub.current_period_start, tz=MADRID)
    grant = CreditEntry.objects.get(cause=LedgerCause.SUBSCRIPTION_GRANT)
    assert grant.delta == 4 and grant.unit_value == 20
    assert grant.cause_key == f"sub:{sub.pk}:{sub.current_period_start:%Y-%m}"
    with pytest.raises(Conflict):
        subscription_start(actor=learner, plan=plan, student=learner, method="manual")


def test_a_parent_subscribes_their_child_and_a_stranger_cannot():
    teacher = bookable_teacher(lesson_lengths=[60])
    parent, child = ParentFactory(), StudentFactory()
    link(parent, child)
    plan = plan_for(teacher)
    order = subscription_start(actor=parent, plan=plan, student=child, method="manual")
    assert order.payer == parent and order.student == child
    with pytest.raises(NotFound):
        subscription_start(actor=StudentFactory(), plan=plan, student=child, method="manual")


def test_each_next_month_lapses_credits_above_the_cap_then_grants_once():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student(tz="Europe/Madrid")
    _plan, sub = paid_subscription(teacher, learner)  # 4 a month, cap 2
    credit_lesson(teacher, learner)
    assert _balance(sub) == 3
    start, end = _next(sub)
    assert subscription_period_paid(subscription=sub, period_start=start, period_end=end)
    lapsed = CreditEntry.objects.get(cause=LedgerCause.ROLLOVER_CAP)
    assert lapsed.delta == -1
    assert _balance(sub) == 2 + 4
    # invoice.paid replayed: nothing more
    assert not subscription_period_paid(subscription=sub, period_start=start, period_end=end)
    assert _balance(sub) == 6
    sub.refresh_from_db()
    assert sub.current_period_start == start and sub.current_period_end == end


def test_a_period_keeps_its_local_hour_across_a_dst_change_and_its_day_across_a_short_month():
    before_dst = datetime(2026, 10, 15, 10, 0, tzinfo=MADRID)  # CEST, UTC+2
    after = add_month(before_dst.astimezone(UTC), tz=MADRID)
    assert after.astimezone(MADRID).replace(tzinfo=None) == datetime(2026, 11, 15, 10, 0)
    assert after - before_dst.astimezone(UTC) == timedelta(days=31, hours=1)
    month_end = datetime(2027, 1, 31, 18, 0, tzinfo=MADRID)
    feb = add_month(month_end.astimezone(UTC), tz=MADRID)
    assert feb.astimezone(MADRID).replace(tzinfo=None) == datetime(2027, 2, 28, 18, 0)
    late_night = datetime(2026, 12, 31, 23, 30, tzinfo=MADRID)  # 22:30 UTC: still December
    assert add_month(late_night.astimezone(UTC), tz=MADRID).astimezone(MADRID).day == 31


def test_subscription_periods_across_a_dst_change_and_a_month_end_grant_each_month_once():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student(tz="Europe/Madrid")
    first = datetime(2026, 10, 31, 9, 0, tzinfo=MADRID).astimezone(UTC)
    _plan, sub = paid_subscription(teacher, learner, now=first, rollover_cap=10)
    sub.refresh_from_db()
    assert sub.current_period_end.astimezone(MADRID).replace(tzinfo=None) == datetime(
        2026, 11, 30, 9, 0
    )
    for _ in range(2):
        start, end = _next(sub)
        assert subscription_period_paid(subscription=sub, period_start=start, period_end=end)
    keys = sorted(
        CreditEntry.objects.filter(cause=LedgerCause.SUBSCRIPTION_GRANT).values_list(
            "cause_key", flat=True
        )
    )
    assert [k.rsplit(":", 1)[1] for k in keys] == ["2026-10", "2026-11", "2026-12"]
    assert _balance(sub) == 12


def test_a_paused_subscription_grants_nothing_until_it_resumes():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student(tz="Europe/Madrid")
    _plan, sub = paid_subscription(teacher, learner)
    subscription_pause(actor=learner, subscription=sub)
    start, end = _next(sub)
    assert not subscription_period_paid(subscription=sub, period_start=start, period_end=end)
    assert _balance(sub) == 4
    subscription_resume(actor=learner, subscription=sub)
    assert subscription_period_paid(subscription=sub, period_start=start, period_end=end)
    assert _balance(sub) == 2 + 4


def test_only_the_payer_or_an_admin_manages_a_subscription():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    _plan, sub = paid_subscription(teacher, learner)
    for stranger in (StudentFactory(), teacher.user):
        with pytest.raises(NotFound):
            subscription_pause(actor=stranger, subscription=sub)
    assert subscription_pause(actor=AdminFactory(), subscription=sub).status == "paused"


def test_cancel_at_period_end_keeps_the_credits_and_ends_it_then():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    _plan, sub = paid_subscription(teacher, learner)
    subscription_cancel(actor=learner, subscription=sub)
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.ACTIVE and sub.cancel_at_period_end
    start, end = _next(sub)
    assert subscriptions_renew_due(now=start - timedelta(days=3))["issued"] == 0
    subscriptions_renew_due(now=start + timedelta(minutes=1))
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.CANCELLED
    assert not subscription_period_paid(subscription=sub, period_start=start, period_end=end)
    assert _balance(sub) == 4


def test_a_manual_subscription_gets_its_next_invoice_once_and_its_payment_grants_the_next_month():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student(tz="Europe/Madrid")
    _plan, sub = paid_subscription(teacher, learner)
    start, end = _next(sub)
    assert subscriptions_renew_due(now=start - timedelta(days=10))["issued"] == 0
    assert subscriptions_renew_due(now=start - timedelta(days=3))["issued"] == 1
    assert subscriptions_renew_due(now=start - timedelta(days=2))["issued"] == 0
    renewal = Order.objects.get(kind=OrderKind.PLAN, status=OrderStatus.OPEN)
    invoice = Invoice.objects.get(order=renewal)
    assert invoice.status == InvoiceStatus.OPEN and invoice.due_at == start
    manual_payment_record(actor=AdminFactory(), order=renewal)
    sub.refresh_from_db()
    assert (sub.current_period_start, sub.current_period_end) == (start, end)
    assert _balance(sub) == 2 + 4


def test_a_paused_manual_subscription_is_not_invoiced_and_an_unpaid_one_falls_past_due():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    _plan, sub = paid_subscription(teacher, learner)
    start, _end = _next(sub)
    subscription_pause(actor=learner, subscription=sub)
    assert subscriptions_renew_due(now=start - timedelta(days=1))["issued"] == 0
    subscription_resume(actor=learner, subscription=sub)
    subscriptions_renew_due(now=start - timedelta(days=1))
    subscriptions_renew_due(now=start + timedelta(hours=1))
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.PAST_DUE
