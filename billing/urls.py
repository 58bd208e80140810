"""Billing's pages, under /billing/ (no namespace: the booking flow reverses "billing-lesson-pay")."""

from django.urls import path

from .checkout import views as checkout_views
from .history import views as history_views

urlpatterns = [
    # front: paying and the payer's history
    path("courses/<int:enrollment_id>/pay/", checkout_views.course_pay, name="billing-course-pay"),
    path("lessons/<int:lesson_id>/pay/", checkout_views.lesson_pay, name="billing-lesson-pay"),
    path("orders/<int:order_id>/", checkout_views.order_detail, name="billing-order"),
    path("orders/<int:order_id>/cancel/", checkout_views.order_cancel, name="billing-order-cancel"),
    path("orders/<int:order_id>/return/", checkout_views.order_return, name="billing-return"),
    path("history/", history_views.payment_history, name="billing-history"),
]
