from django.urls import path

from . import views

# Mounted at /lessons/ beside classroom/scheduling/urls.py: the teacher's week and the feed page.
urlpatterns = [
    path("week/", views.week_schedule, name="week-schedule"),
    path("calendar/", views.calendar_feed_page, name="calendar-feed-page"),
    path(
        "calendar/new-address/",
        views.calendar_feed_regenerate_view,
        name="calendar-feed-regenerate",
    ),
    path("calendar/turn-off/", views.calendar_feed_turn_off_view, name="calendar-feed-turn-off"),
]
