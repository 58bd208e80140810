"""Matrix rows: plans, subscriptions and teachers' earnings (billing, policy part). Plans and your
own subscriptions are every signed-in person's to list; a subscription is managed by its payer (and
admins), anyone else meets a missing one; earnings are teachers' (their own) and admins'."""

from tests.api.matrix.base import ADMINS, ALL_SIGNED_IN, SIGNED_IN, Call, expect

SIGNED = {"anonymous": 401, **ALL_SIGNED_IN}
PAYER_ONLY = expect(
    {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 404)},
    student_a=200,
    **dict.fromkeys(ADMINS, 200),
)
TEACHERS_AND_ADMINS = expect(
    {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 403)},
    teacher=200,
    other_teacher=200,
    **dict.fromkeys(ADMINS, 200),
)
SUB = {"subscription_id": "subscription_id"}

ROWS: dict[str, Call] = {
    "GET /api/v1/plans": Call(SIGNED),
    "GET /api/v1/subscriptions": Call(SIGNED),
    "POST /api/v1/subscriptions/{subscription_id}/pause": Call(PAYER_ONLY, path_params=SUB),
    "POST /api/v1/subscriptions/{subscription_id}/resume": Call(PAYER_ONLY, path_params=SUB),
    "POST /api/v1/subscriptions/{subscription_id}/cancel": Call(
        PAYER_ONLY, path_params=SUB, json={"at_period_end": True}
    ),
    "GET /api/v1/earnings": Call(TEACHERS_AND_ADMINS),
}


def build(world) -> None:
    """Student A's subscription (paid by A, by transfer) to a plan of A's teacher, with its own id N."""
    from decimal import Decimal

    from billing.models import Plan
    from billing.plans.services import subscription_start
    from billing.services import manual_payment_record
    from tests.authentication.factories import AdminFactory

    a = world.users["student_a"]
    plan = Plan.objects.create(
        name="Matrix plan",
        teacher=world.users["teacher"],
        credits_per_month=4,
        price=Decimal("80.00"),
        currency="EUR",
    )
    orders = []

    def start():
        orders.append(subscription_start(actor=a, plan=plan, student=a, method="manual"))
        return plan.subscriptions.get()

    world.make("subscription_id", "subscription", start)
    manual_payment_record(actor=AdminFactory(), order=orders[0])
