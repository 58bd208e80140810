"""Subscription pages and API: the plans list, subscribing (manual: an open invoice), "My
subscriptions" with Pause / Resume / Cancel at period end (each asked first), the API's list, pause,
resume and cancel, and nobody but the payer (or an admin) manages a subscription."""

from __future__ import annotations

import pytest
from django.urls import reverse

from billing.choices import SubscriptionStatus
from billing.models import Subscription
from tests.authentication.consent import link
from tests.authentication.factories import ParentFactory, StudentFactory
from tests.billing.factories_policy import paid_subscription, plan_for
from tests.booking.factories import bookable_teacher, student
from tests.conftest import login_token
from tests.query_budget import assert_constant_queries, json_rows

pytestmark = pytest.mark.django_db


def _api(client, user):
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email)}


def test_a_parent_subscribes_a_child_from_the_plans_page(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    plan = plan_for(teacher)
    parent, child = ParentFactory(), StudentFactory()
    link(parent, child)
    client.force_login(parent)
    page = client.get(reverse("billing-plans"))
    assert page.status_code == 200 and plan.name.encode() in page.content
    done = client.post(reverse("billing-plan-subscribe", args=[plan.pk]), {"student": child.pk})
    assert done.status_code == 302 and done["Location"].endswith(reverse("billing-subscriptions"))
    sub = Subscription.objects.get(plan=plan)
    assert (sub.payer, sub.student, sub.status) == (parent, child, SubscriptionStatus.INCOMPLETE)
    mine = client.get(reverse("billing-subscriptions"))
    assert plan.name.encode() in mine.content


def test_nobody_subscribes_someone_elses_child(client):
    plan = plan_for(bookable_teacher(lesson_lengths=[60]))
    stranger, child = ParentFactory(), StudentFactory()
    client.force_login(stranger)
    answer = client.post(reverse("billing-plan-subscribe", args=[plan.pk]), {"student": child.pk})
    assert answer.status_code == 404
    assert not Subscription.objects.exists()


def test_pause_resume_and_cancel_ask_first_then_act(client):
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    _plan, sub = paid_subscription(teacher, learner)
    client.force_login(learner)
    for name, status in (
        ("billing-subscription-pause", SubscriptionStatus.PAUSED),
        ("billing-subscription-resume", SubscriptionStatus.ACTIVE),
    ):
        url = reverse(name, args=[sub.pk])
        question = client.get(url)
        assert question.status_code == 200 and b"<form" in question.content
        sub.refresh_from_db()
        assert sub.status != status  # asking changed nothing
        client.post(url)
        sub.refresh_from_db()
        assert sub.status == status
    client.post(reverse("billing-subscription-cancel", args=[sub.pk]))
    sub.refresh_from_db()
    assert sub.cancel_at_period_end and sub.status == SubscriptionStatus.ACTIVE


def test_the_api_lists_pauses_resumes_and_cancels_only_for_the_payer(client):
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    _plan, sub = paid_subscription(teacher, learner)
    headers = _api(client, learner)
    listed = client.get("/api/v1/subscriptions", **headers).json()
    assert [item["id"] for item in listed["items"]] == [sub.pk]
    paused = client.post(f"/api/v1/subscriptions/{sub.pk}/pause", **headers)
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    again = client.post(f"/api/v1/subscriptions/{sub.pk}/pause", **headers)
    assert again.status_code == 200
    resumed = client.post(f"/api/v1/subscriptions/{sub.pk}/resume", **headers)
    assert resumed.json()["status"] == "active"
    cancelled = client.post(
        f"/api/v1/subscriptions/{sub.pk}/cancel",
        {"at_period_end": True},
        content_type="application/json",
        **headers,
    )
    assert cancelled.status_code == 200 and cancelled.json()["cancel_at_period_end"] is True
    other = _api(client, StudentFactory())
    assert client.post(f"/api/v1/subscriptions/{sub.pk}/pause", **other).status_code == 404
    assert client.get("/api/v1/subscriptions", **other).json()["items"] == []


def test_the_plans_list_runs_the_same_queries_for_2_and_40_plans(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    for n in range(2):
        plan_for(teacher, name=f"Plan {n}")
    headers = _api(client, StudentFactory())
    assert_constant_queries(
        lambda: client.get("/api/v1/plans", {"limit": 100}, **headers),
        grow=lambda: [plan_for(teacher, name=f"More {n}") for n in range(38)],
        rows=json_rows,
    )
