from django.urls import path

from . import views

# Included under "notifications/" by inbox/urls.py (namespace "inbox").
urlpatterns = [
    path("", views.notification_feed, name="notifications"),
    path("read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("settings/", views.notification_settings, name="notification-settings"),
    path("<int:notification_id>/", views.notification_open, name="notification-open"),
    path("<int:notification_id>/read/", views.notification_read, name="notification-read"),
]
