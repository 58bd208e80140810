from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CplatformConfig(AppConfig):
    name = "cplatform"
    verbose_name = "cplatform site"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .editorial import on_post_migrate

        post_migrate.connect(on_post_migrate, dispatch_uid="cplatform-editorial")
        from . import wagtail_lookups

        wagtail_lookups.install()
        from django_q.signals import post_spawn

        from .mail import sweep_on_worker_start

        post_spawn.connect(sweep_on_worker_start, dispatch_uid="cplatform-outbox-sweep")
