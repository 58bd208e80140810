from django.apps import AppConfig


class AuthenticationConfig(AppConfig):
    name = "authentication"
    verbose_name = "Accounts and roles"

    def ready(self):
        from . import receivers  # noqa: F401
