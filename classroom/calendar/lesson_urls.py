from django.urls import path

from . import views

# Mounted at /lessons/ beside classroom/scheduling/urls.py: the teacher's week and the feed page.
urlpatterns = [
    path("week/", views.week_schedule, name="week-schedule"),
    path("calendar/", views.calendar_feed_page, name="calendar-feed-page"),
]
