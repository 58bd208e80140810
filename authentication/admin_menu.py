"""The Admin role's own Wagtail-admin screens (billing, the moderation queue, the school dashboard):
a menu item only admins see, and the viewset base whose menu item leads to its index. The views
still check the role themselves; hiding the item only keeps the menu honest."""

from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from .roles import is_admin


class AdminsOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_active and is_admin(request.user)


class AdminsOnlyViewSet(ViewSet):
    """An Admin-role viewset: admins see its menu item, which opens its `index` view."""

    menu_item_class = AdminsOnlyMenuItem

    @property
    def menu_url(self):
        return reverse(f"{self.url_namespace}:index")
