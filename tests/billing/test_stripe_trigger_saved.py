"""dj-stripe's webhook view saves its copy of the trigger after it calls our callback: the task that
processes the trigger must start only after that save is committed, or dj-stripe's stale copy
(processed=False, no event) is written over what the task recorded, and the retry schedule processes
the event again. Real commits here (transaction=True), as in production and the browser journeys."""

import pytest
from djstripe.models import WebhookEventTrigger

from billing.choices import OrderStatus
from tests.billing.factories_stripe import checkout, course_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_processed_trigger_stays_processed_with_its_event(stripe_standin, client):
    from billing.stripe.tasks import retry_unprocessed_triggers

    order = course_order()
    event = stripe_standin.complete_checkout(checkout(order))

    response = stripe_standin.deliver(client, event)

    assert response.status_code == 200
    [trigger] = WebhookEventTrigger.objects.all()
    assert trigger.valid and trigger.processed and not trigger.exception
    assert trigger.event_id == event["id"]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert retry_unprocessed_triggers(older_than_minutes=0) == 0


def test_a_trigger_with_a_bad_signature_is_not_processed(stripe_standin, client):
    order = course_order()
    event = stripe_standin.complete_checkout(checkout(order))

    response = stripe_standin.deliver(client, event, secret="whsec_wrong")

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    assert not WebhookEventTrigger.objects.filter(processed=True).exists()
