"""Reads for plans and subscriptions, each checking the viewer."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from authentication.models import User
from authentication.roles import is_admin
from authentication.selectors import is_guardian_of
from cplatform.exceptions import NotFound

from ..choices import SubscriptionStatus
from ..models import Plan, Subscription


def plan_list_active(*, teacher_id: int | None = None) -> QuerySet[Plan]:
    qs = Plan.objects.filter(active=True).select_related("teacher")
    if teacher_id is not None:
        qs = qs.filter(teacher_id=teacher_id)
    return qs.order_by("name", "pk")


def plan_get_active(*, plan_id: int) -> Plan:
    plan = Plan.objects.filter(pk=plan_id, active=True).select_related("teacher").first()
    if plan is None:
        raise NotFound()
    return plan


def subscription_list_for_user(*, user: User) -> QuerySet[Subscription]:
    """The subscriptions the user pays for or learns under (a parent sees the ones they pay)."""
    return (
        Subscription.objects.filter(Q(payer=user) | Q(student=user))
        .select_related("plan", "plan__teacher", "student", "payer")
        .order_by("-created_at", "-pk")
    )


def subscription_get_for_manager(*, user: User, subscription_id: int) -> Subscription:
    """A subscription its payer (or an admin) may pause, resume or cancel; anyone else → 404."""
    sub = (
        Subscription.objects.filter(pk=subscription_id)
        .select_related("plan", "plan__teacher", "student", "payer")
        .first()
    )
    if sub is None or not (sub.payer_id == user.pk or is_admin(user)):
        raise NotFound()
    return sub


def subscription_may_start(*, user: User, student: User) -> bool:
    return user.pk == student.pk or is_guardian_of(guardian=user, child_id=student.pk)


def live_statuses() -> tuple[str, ...]:
    return (
        SubscriptionStatus.INCOMPLETE,
        SubscriptionStatus.ACTIVE,
        SubscriptionStatus.PAUSED,
        SubscriptionStatus.PAST_DUE,
    )
