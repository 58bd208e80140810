"""Billing in the Wagtail admin. Each part registers its own viewsets in its module."""

from .plans import wagtail_hooks as _plans  # noqa: F401 - subscription plans (policy)
