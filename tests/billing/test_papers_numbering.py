"""Invoice numbers are gap-free under concurrency (PostgreSQL row lock on the year's sequence):
20 payments committed at once take 1..20, and a payment whose transaction rolls back gives its
number back."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from billing.choices import InvoiceKind, OrderKind, PaymentMethod
from billing.models import Invoice, InvoiceSequence
from billing.services import Line, order_create, order_fulfil
from courses.choices import EnrollmentStatus
from tests.authentication.factories import StudentFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory

PAYERS = 20


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


class RolledBack(Exception):
    pass


def card_order(n: int):
    student = StudentFactory()
    course = CourseFactory(price=Decimal("10.00"))
    enrollment = EnrollmentFactory(
        course=course, student=student, status=EnrollmentStatus.PENDING, enrolled_by=student
    )
    return order_create(
        actor=student,
        student=student,
        kind=OrderKind.COURSE,
        method=PaymentMethod.STRIPE,
        currency="EUR",
        lines=[Line(description=f"Course {n}", unit_price=Decimal("10.00"))],
        course=course,
        enrollment=enrollment,
        teacher=course.owner,
    )


def pay(order, n: int):
    return order_fulfil(
        order_id=order.pk,
        method=PaymentMethod.STRIPE,
        amount=order.total,
        currency="EUR",
        stripe_payment_intent_id=f"pi_race_{n}",
    )


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_payments_take_numbers_one_to_twenty_and_a_rollback_leaves_no_gap():
    orders = [card_order(n) for n in range(PAYERS + 1)]
    doomed = orders[0]  # pays, takes a number, then its transaction rolls back
    barrier = threading.Barrier(len(orders))
    errors: list[BaseException] = []

    def run(n, order):
        try:
            barrier.wait(timeout=30)
            if order is doomed:
                with transaction.atomic():
                    pay(order, n)
                    raise RolledBack
            else:
                pay(order, n)
        except RolledBack:
            pass
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, o)) for n, o in enumerate(orders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    invoices = Invoice.objects.filter(kind=InvoiceKind.INVOICE)
    assert sorted(invoices.values_list("sequence", flat=True)) == list(range(1, PAYERS + 1))
    assert sorted(invoices.values_list("number", flat=True)) == [
        f"INV-2026-{n:06d}" for n in range(1, PAYERS + 1)
    ]
    assert not invoices.filter(order=doomed).exists()
    assert InvoiceSequence.objects.get(kind=InvoiceKind.INVOICE, year=2026).last == PAYERS
    # the rolled-back payer pays again and takes the next number, 21
    pay(doomed, 99)
    assert invoices.get(order=doomed).number == f"INV-2026-{PAYERS + 1:06d}"


@pytest.mark.django_db
def test_a_rolled_back_payment_gives_its_number_back():
    first, second = card_order(1), card_order(2)
    with pytest.raises(RolledBack), transaction.atomic():
        pay(first, 1)
        assert Invoice.objects.get(order=first).number == "INV-2026-000001"
        raise RolledBack
    pay(second, 2)
    assert Invoice.objects.get(order=second).number == "INV-2026-000001"
