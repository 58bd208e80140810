"""Our catalog in Stripe: a product and a price for every paid course (a package is a course with
`lessons_included`) and every active plan. Prices are immutable in Stripe, so a price's `lookup_key`
names what it charges (object, currency, amount): a rerun finds every price it made before and creates
nothing; a changed price gets a new key and so a new price. Lesson prices are not synced: each booked
lesson has its own stored price, sent as `price_data`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import stripe

from courses.choices import CourseStatus
from courses.models import Course

from ..models import Plan
from .client import livemode, minor, stripe_client

logger = logging.getLogger(__name__)


def course_lookup_key(course: Course, *, amount=None) -> str:
    value = course.price if amount is None else amount
    return f"cplatform-course-{course.pk}-{course.currency.lower()}-{minor(value)}"


def plan_lookup_key(plan: Plan) -> str:
    return f"cplatform-plan-{plan.pk}-{plan.currency.lower()}-{minor(plan.price)}-month"


@dataclass
class SyncReport:
    products_created: list[str] = field(default_factory=list)
    prices_created: list[str] = field(default_factory=list)
    prices_found: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"products created: {len(self.products_created)} {' '.join(self.products_created)}",
            f"prices created: {len(self.prices_created)} {' '.join(self.prices_created)}",
            f"prices already there: {len(self.prices_found)}",
        ]


def _product(client, *, product_id: str, name: str, metadata: dict, report: SyncReport) -> str:
    try:
        return client.v1.products.retrieve(product_id)["id"]
    except stripe.InvalidRequestError:
        pass
    product = client.v1.products.create(
        params={"id": product_id, "name": name[:250], "metadata": metadata},
        options={"idempotency_key": f"product-{product_id}"},
    )
    report.products_created.append(product["id"])
    return product["id"]


def _price(
    client,
    *,
    lookup_key: str,
    product_id: str,
    name: str,
    currency: str,
    amount,
    metadata: dict,
    recurring: bool,
    report: SyncReport,
):
    found = client.v1.prices.list(params={"lookup_keys": [lookup_key], "active": True, "limit": 1})
    if found.get("data"):
        report.prices_found.append(found["data"][0]["id"])
        return found["data"][0]
    product = _product(client, product_id=product_id, name=name, metadata=metadata, report=report)
    params: dict = {
        "product": product,
        "currency": currency.lower(),
        "unit_amount": minor(amount),
        "lookup_key": lookup_key,
        "metadata": metadata,
    }
    if recurring:
        params["recurring"] = {"interval": "month"}
    price = client.v1.prices.create(
        params=params, options={"idempotency_key": f"price-{lookup_key}"}
    )
    report.prices_created.append(price["id"])
    return price


def _keep(price) -> None:
    """Keep the price in dj-stripe's tables: checkout finds it there without a call."""
    from djstripe.models import Price  # noqa: PLC0415

    from ..conf import stripe_secret_key  # noqa: PLC0415

    Price.sync_from_stripe_data(price, api_key=stripe_secret_key())


def sync_catalog() -> SyncReport:
    client = stripe_client()
    report = SyncReport()
    courses = Course.objects.filter(price__gt=0, status=CourseStatus.PUBLISHED).order_by("pk")
    for course in courses:
        kind = "package" if course.lessons_included else "course"
        price = _price(
            client,
            lookup_key=course_lookup_key(course),
            product_id=f"cplatform_course_{course.pk}",
            name=course.title,
            currency=course.currency,
            amount=course.price,
            metadata={"kind": kind, "course": str(course.pk)},
            recurring=False,
            report=report,
        )
        _keep(price)
    for plan in Plan.objects.filter(active=True).order_by("pk"):
        price = _price(
            client,
            lookup_key=plan_lookup_key(plan),
            product_id=f"cplatform_plan_{plan.pk}",
            name=plan.name,
            currency=plan.currency,
            amount=plan.price,
            metadata={"kind": "plan", "plan": str(plan.pk)},
            recurring=True,
            report=report,
        )
        _keep(price)
        if plan.stripe_price_id != price["id"]:
            Plan.objects.filter(pk=plan.pk).update(stripe_price_id=price["id"])
    logger.info("Stripe catalog synced (livemode=%s): %s", livemode(), report.lines())
    return report
