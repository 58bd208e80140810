from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"

    def ready(self):
        # notifications: receivers of the other apps' (and the inbox's) in-transaction signals
        from .live import receivers  # noqa: F401 — connects the live pushes
        from .notifications import receivers as notification_receivers  # noqa: F401
        from .rooms import receivers as room_receivers  # noqa: F401
