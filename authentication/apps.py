from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AuthenticationConfig(AppConfig):
    name = "authentication"
    verbose_name = "Accounts and roles"
    default = True

    def ready(self):
        from . import receivers  # noqa: F401


class WagtailUsersConfig(WagtailUsersAppConfig):
    """`wagtail.users` with our user views (profile fields, guarded superuser flag). Listed in
    INSTALLED_APPS in place of "wagtail.users"."""

    user_viewset = "authentication.viewsets.UserViewSet"
