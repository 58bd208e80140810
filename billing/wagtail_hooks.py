"""Billing in the Wagtail admin: the "Billing" menu (billing/papers/admin_views.py), for Admin-role
users only."""

from wagtail import hooks

from .papers.admin_views import BillingViewSetGroup


@hooks.register("register_admin_viewset")
def register_billing():
    return BillingViewSetGroup()
