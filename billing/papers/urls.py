"""The papers' pages: an invoice or credit note as PDF."""

from django.urls import path

from . import views

urlpatterns = [
    path("invoices/<int:invoice_id>/pdf/", views.invoice_pdf, name="billing-invoice-pdf"),
]
