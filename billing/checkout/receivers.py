"""Checkout's receivers of billing's own in-transaction signals (connected in billing/apps.py)."""

from django.dispatch import receiver

from ..signals import payment_received
from .services import coupon_redeemed


@receiver(payment_received, dispatch_uid="billing.checkout.coupon_redeemed")
def on_payment_received(sender, order, payment, **kwargs):
    """A coupon counts as used when its order is paid (once: a payment is announced once)."""
    coupon_redeemed(order=order)
