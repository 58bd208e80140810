from django.urls import path  # noqa: F401

# Mounted at /calendar/ outside the language prefixes: calendar apps fetch it without cookies.
urlpatterns = []
