"""Admins manage subscription plans (Wagtail admin → Snippets → Subscription plans). A plan in use
is retired (active off), not deleted: subscriptions and orders point at it."""

from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from classroom.wagtail_hooks import AdminRolePermissionPolicy
from cplatform.admin_views import PrivateSnippetChooserViewSet

from ..models import Plan

register_permission_policy(Plan, AdminRolePermissionPolicy(Plan, denied_actions={"delete"}))


class PlanViewSet(SnippetViewSet):
    model = Plan
    # Plans carry teachers and prices: only those who manage plans may list them in a chooser (or
    # through wagtail-localize's snippet API).
    chooser_viewset_class = PrivateSnippetChooserViewSet
    icon = "tasks"
    menu_label = gettext_lazy("Subscription plans")
    add_to_admin_menu = True
    menu_order = 260
    list_display = [
        "name",
        "teacher",
        "credits_per_month",
        "rollover_cap",
        "price",
        "currency",
        "active",
    ]
    list_filter = ["active", "currency"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("teacher"),
        FieldPanel("lesson_minutes"),
        FieldPanel("credits_per_month"),
        FieldPanel("rollover_cap"),
        FieldPanel("price"),
        FieldPanel("currency"),
        FieldPanel("active"),
    ]


register_snippet(PlanViewSet)
