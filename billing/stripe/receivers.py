"""After-commit receivers that send billing's decisions to Stripe (in django-q2 tasks)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django_q.tasks import async_task
from djstripe.models import WebhookEventTrigger

from ..choices import PaymentMethod, RefundStatus
from ..conf import stripe_enabled
from ..signals import refund_issued_committed
from .webhooks import enqueue_saved_trigger


@receiver(post_save, sender=WebhookEventTrigger, dispatch_uid="billing.stripe.trigger_saved")
def process_trigger_once_saved(sender, instance, **kwargs) -> None:
    """A trigger dj-stripe handed to `enqueue_event` is processed once dj-stripe has saved it."""
    enqueue_saved_trigger(instance)


@receiver(refund_issued_committed, dispatch_uid="billing.stripe.refund_send")
def send_refund_to_stripe(sender, refund, **kwargs) -> None:
    """A refund of a Stripe payment that Stripe has not made yet (not one a webhook reported)."""
    if (
        refund.status == RefundStatus.PENDING
        and not refund.stripe_refund_id
        and refund.payment.method == PaymentMethod.STRIPE
        and stripe_enabled()
    ):
        async_task("billing.stripe.tasks.refund_send_task", refund.pk)
