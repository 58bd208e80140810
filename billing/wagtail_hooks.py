"""Billing in the Wagtail admin: the "Billing" menu (billing/papers/admin_views.py), for Admin-role
users only. Each part registers its own viewsets in its module."""

from wagtail import hooks

from .papers.admin_views import BillingViewSetGroup
from .plans import wagtail_hooks as _plans  # noqa: F401 - subscription plans (policy)


@hooks.register("register_admin_viewset")
def register_billing():
    return BillingViewSetGroup()
