"""The inbox's pages (namespace "inbox"); each part adds its own block."""

from django.urls import include, path

app_name = "inbox"

urlpatterns = [
    # notifications: the feed and the settings
    path("notifications/", include("inbox.notifications.urls")),
]
