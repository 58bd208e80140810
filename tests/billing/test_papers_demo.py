"""The demo's money (demo/billing.py): manual payments with invoices for a course and a package, an
admin's refund with its credit note, a teacher's earnings and payout; loading twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from billing.choices import InvoiceKind, OrderKind, OrderStatus
from billing.models import (
    CreditEntry,
    EarningEntry,
    Invoice,
    Order,
    Payment,
    Payout,
    Refund,
    Subscription,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


def billing_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Order,
            Payment,
            Invoice,
            Refund,
            CreditEntry,
            EarningEntry,
            Payout,
            Subscription,
        )
    }


def test_the_demo_has_payments_invoices_a_refund_and_a_teacher_statement_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", stdout=io.StringIO())
    first = billing_counts()
    course = Order.objects.get(kind=OrderKind.COURSE, student__email="sofia.ruiz@example.com")
    assert course.status == OrderStatus.PARTIALLY_REFUNDED
    assert course.invoices.get(kind=InvoiceKind.INVOICE).language == "es"
    note = course.invoices.get(kind=InvoiceKind.CREDIT_NOTE)
    assert note.corrects.order == course and note.total < 0
    package = Order.objects.get(kind=OrderKind.PACKAGE, student__email="liam.johnson@example.com")
    assert package.status == OrderStatus.PAID
    assert CreditEntry.objects.filter(order=package).get().delta == 10
    assert EarningEntry.objects.filter(teacher__email="ana.garcia@example.com").exists()
    assert Payout.objects.filter(teacher__email="ana.garcia@example.com").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", stdout=io.StringIO())
    assert billing_counts() == first
