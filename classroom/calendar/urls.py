from django.urls import re_path

from . import views

# Mounted at /calendar/ outside the language prefixes: calendar apps fetch it without cookies.
urlpatterns = [
    re_path(r"^(?P<token>[A-Za-z0-9_-]{16,64})\.ics$", views.calendar_feed, name="calendar-feed"),
]
