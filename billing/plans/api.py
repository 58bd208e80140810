"""Plans (the active ones, to subscribe to through `POST /checkout` kind "plan") and your
subscriptions: list, pause, resume, cancel at period end. Operations parse, call one selector or
service, answer."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from cplatform.api_base import LimitOffset, errors, sort_enum, sort_field, sorted_by

from . import selectors, services
from .schemas import PlanOut, SubscriptionCancelIn, SubscriptionOut

router = Router(tags=["subscriptions"])

PlanSort = sort_enum("PlanSort", {"name": ("name",), "price": ("price", "name")})
SubscriptionSort = sort_enum("SubscriptionSort", {"created": ("created_at",)})


class PlanFilter(Schema):
    teacher_id: int | None = Field(None, ge=1, le=2**63 - 1, description="Only this teacher's")
    sort: PlanSort = sort_field(PlanSort, "name")


class SubscriptionFilter(Schema):
    sort: SubscriptionSort = sort_field(SubscriptionSort, "-created")


@router.get("/plans", response={200: list[PlanOut], **errors(401, 422)}, auth=auth_for())
@paginate(LimitOffset)
def list_plans(request, filters: Query[PlanFilter]):
    """The subscription plans on offer (active ones), by name unless `sort` says otherwise."""
    return sorted_by(selectors.plan_list_active(teacher_id=filters.teacher_id), filters.sort)


@router.get(
    "/subscriptions", response={200: list[SubscriptionOut], **errors(401, 422)}, auth=auth_for()
)
@paginate(LimitOffset)
def list_subscriptions(request, filters: Query[SubscriptionFilter]):
    """The subscriptions you pay for or learn under, newest first."""
    return sorted_by(selectors.subscription_list_for_user(user=request.auth), filters.sort)


def _managed(request, subscription_id: int):
    return selectors.subscription_get_for_manager(
        user=request.auth, subscription_id=subscription_id
    )


@router.post(
    "/subscriptions/{subscription_id}/pause",
    response={200: SubscriptionOut, **errors(401, 404, 409)},
    auth=auth_for(),
)
def pause_subscription(request, subscription_id: int):
    """Pause (its payer or an admin): no credits are granted and nothing billed until it resumes;
    credits already granted stay usable. Pausing a paused one changes nothing."""
    sub = services.subscription_pause(
        actor=request.auth, subscription=_managed(request, subscription_id)
    )
    return _managed(request, sub.pk)


@router.post(
    "/subscriptions/{subscription_id}/resume",
    response={200: SubscriptionOut, **errors(401, 404, 409)},
    auth=auth_for(),
)
def resume_subscription(request, subscription_id: int):
    """Resume a paused subscription: the next period is granted when it is paid."""
    sub = services.subscription_resume(
        actor=request.auth, subscription=_managed(request, subscription_id)
    )
    return _managed(request, sub.pk)


@router.post(
    "/subscriptions/{subscription_id}/cancel",
    response={200: SubscriptionOut, **errors(400, 401, 404)},
    auth=auth_for(),
)
def cancel_subscription(request, subscription_id: int, payload: SubscriptionCancelIn | None = None):
    """Cancel at the current period's end (default): credits already granted stay usable and
    nothing more is billed. An unpaid subscription ends at once."""
    at_period_end = True if payload is None else payload.at_period_end
    sub = services.subscription_cancel(
        actor=request.auth,
        subscription=_managed(request, subscription_id),
        at_period_end=at_period_end,
    )
    return _managed(request, sub.pk)
