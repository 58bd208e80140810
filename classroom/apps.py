from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "classroom"

    def ready(self):
        from . import receivers, search_results  # noqa: F401
        from .teaching import receivers as teaching_receivers  # noqa: F401

        search_results.connect_invalidation()
