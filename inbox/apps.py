from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"

    def ready(self):
        from .live import receivers  # noqa: F401 — connects the live pushes
