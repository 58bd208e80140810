from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"

    def ready(self):
        from .rooms import receivers as room_receivers  # noqa: F401
