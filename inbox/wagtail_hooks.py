"""The inbox in the Wagtail admin: the moderation queue of reported direct messages
(inbox/safety/admin_views.py), for Admin-role users only."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from classroom.wagtail_hooks import AdminRolePermissionPolicy

from .safety.admin_views import ReportViewSet, SuspensionViewSet
from .safety.models import MessageReport, MessagingSuspension

# Reports are people's business: the Admin role (roles.py) handles them, no group permission does.
register_permission_policy(
    MessageReport,
    AdminRolePermissionPolicy(MessageReport, denied_actions={"add", "delete"}),
)
register_permission_policy(
    MessagingSuspension,
    AdminRolePermissionPolicy(MessagingSuspension, denied_actions={"add", "delete"}),
)


@hooks.register("register_admin_viewset")
def register_reported_messages():
    return ReportViewSet()


@hooks.register("register_admin_viewset")
def register_messaging_suspensions():
    return SuspensionViewSet()
