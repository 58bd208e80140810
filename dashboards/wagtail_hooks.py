"""dashboards in the Wagtail admin: the "School dashboard" (dashboards/admin/views.py), Admin role
only."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from classroom.wagtail_hooks import AdminRolePermissionPolicy

from .admin.views import SchoolDashboardViewSet
from .models import ReportSubscription

# Subscriptions are the admins' own: made and ended from the dashboard, never added or deleted
# through a generic view.
register_permission_policy(
    ReportSubscription,
    AdminRolePermissionPolicy(ReportSubscription, denied_actions={"add", "delete"}),
)


@hooks.register("register_admin_viewset")
def register_school_dashboard():
    return SchoolDashboardViewSet()
