"""Signal receivers of analytics, connected in DashboardsConfig.ready()."""

from django.contrib.auth.signals import user_logged_in

from courses.signals import material_downloaded_committed

from .recording import activity_record, download_recorded


def _logged_in(sender, request, user, **kwargs):
    activity_record(user=user)


def connect() -> None:
    material_downloaded_committed.connect(download_recorded, dispatch_uid="analytics_download")
    user_logged_in.connect(_logged_in, dispatch_uid="analytics_login")
