"""Billing's switches, read from settings at call time (tests override them)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings

from .choices import PaymentMethod

_DUMMY = re.compile(r"^sk_(test|live)_0+$")


def stripe_secret_key() -> str:
    live = getattr(settings, "STRIPE_LIVE_MODE", False)
    return getattr(settings, "STRIPE_LIVE_SECRET_KEY" if live else "STRIPE_TEST_SECRET_KEY", "")


def stripe_enabled() -> bool:
    """Stripe is on only with a real-looking secret key: the all-zero dummy keys that keep
    dj-stripe's checks quiet mean "no Stripe", so `make run` works offline with manual payment."""
    key = stripe_secret_key() or ""
    return bool(key) and key.startswith(("sk_", "rk_")) and not _DUMMY.match(key)


def default_method() -> str:
    return PaymentMethod.STRIPE if stripe_enabled() else PaymentMethod.MANUAL


def commission_percent() -> Decimal:
    return Decimal(str(getattr(settings, "BILLING_COMMISSION_PERCENT", "20")))


def manual_payment_days() -> int:
    """How long a manual invoice gives the payer to transfer the money."""
    return int(getattr(settings, "BILLING_MANUAL_PAYMENT_DAYS", 7))


def reminder_days_before() -> int:
    """How many days before its due date an open manual invoice is recalled to its payer (0: no
    reminder before the due date, only the overdue one)."""
    return max(0, int(getattr(settings, "BILLING_REMINDER_DAYS_BEFORE", 3)))
