from django.urls import path

from . import views

# Included under "billing/earnings/" by cplatform/urls.py.
urlpatterns = [
    path("", views.earnings_page, name="billing-earnings"),
    path("statement.csv", views.earnings_csv, name="billing-earnings-csv"),
]
