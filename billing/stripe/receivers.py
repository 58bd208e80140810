"""After-commit receivers that send billing's decisions to Stripe (in django-q2 tasks)."""

from __future__ import annotations

from django.dispatch import receiver
from django_q.tasks import async_task

from ..choices import PaymentMethod, RefundStatus
from ..conf import stripe_enabled
from ..signals import refund_issued_committed


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
