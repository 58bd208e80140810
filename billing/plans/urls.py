from django.urls import path

from . import views

# Included under "billing/" by cplatform/urls.py.
urlpatterns = [
    path("plans/", views.plan_list, name="billing-plans"),
    path("plans/<int:plan_id>/subscribe/", views.plan_subscribe, name="billing-plan-subscribe"),
    path("subscriptions/", views.subscription_list, name="billing-subscriptions"),
    path(
        "subscriptions/<int:subscription_id>/pause/",
        views.subscription_pause,
        name="billing-subscription-pause",
    ),
    path(
        "subscriptions/<int:subscription_id>/resume/",
        views.subscription_resume,
        name="billing-subscription-resume",
    ),
    path(
        "subscriptions/<int:subscription_id>/cancel/",
        views.subscription_cancel,
        name="billing-subscription-cancel",
    ),
]
