"""The manual path end to end, and the payer's history (pages and API): checkout → invoice → an admin
records the transfer → the enrolment is active → the history shows payment and invoice; lists hold
only what the viewer may see, in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.test import Client

from billing.checkout.services import checkout_course
from billing.choices import InvoiceStatus, OrderStatus, RefundReason
from billing.models import Invoice, Order
from billing.services import manual_payment_record, refund_create
from courses.choices import EnrollmentStatus
from inbox.notifications.models import Notification, NotificationKind
from tests.authentication.factories import AdminFactory, StudentFactory, TeacherFactory
from tests.billing.factories_front import family, pending_enrollment
from tests.conftest import login_token
from tests.query_budget import assert_constant_queries, html_rows, json_rows

pytestmark = pytest.mark.django_db


def api(user):
    client = Client()
    return client, {"HTTP_X_SESSION_TOKEN": login_token(client, user.email)}


def test_manual_path_end_to_end_checkout_invoice_admin_marks_paid_enrolment_active_history():
    parent, child = family()
    enrollment = pending_enrollment(student=child, actor=parent, price="45.00")
    browser = Client()
    browser.force_login(parent)
    page = browser.get(f"/billing/courses/{enrollment.pk}/pay/")
    assert page.status_code == 200
    assert b"45.00 EUR" in page.content
    answer = browser.post(f"/billing/courses/{enrollment.pk}/pay/", {"method": "manual"})
    order = Order.objects.get(enrollment=enrollment)
    assert answer.status_code == 302 and answer["Location"] == f"/billing/orders/{order.pk}/"
    invoice = Invoice.objects.get(order=order)
    transfer = browser.get(answer["Location"])
    assert invoice.number.encode() in transfer.content
    assert b"Waiting for your bank transfer" in transfer.content
    # The return page never fulfils: still open, still "confirming" for a card order.
    browser.get(f"/billing/orders/{order.pk}/return/")
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN

    manual_payment_record(actor=AdminFactory(), order=order)

    enrollment.refresh_from_db()
    invoice.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert invoice.status == InvoiceStatus.PAID
    paid = browser.get(f"/billing/orders/{order.pk}/")
    assert b"Payment received" in paid.content
    history = browser.get("/billing/history/")
    assert history.status_code == 200
    assert history.content.count(b'data-testid="payment-row"') == 1
    assert invoice.number.encode() in history.content
    kinds = set(Notification.objects.filter(recipient=parent).values_list("kind", flat=True))
    assert NotificationKind.PAYMENT_RECEIVED in kinds
    assert Notification.objects.filter(
        recipient=child, kind=NotificationKind.PAYMENT_RECEIVED
    ).exists()

    client, headers = api(parent)
    payments = client.get("/api/v1/payments", **headers).json()
    assert [p["order_id"] for p in payments["items"]] == [order.pk]
    invoices = client.get("/api/v1/invoices", **headers).json()
    assert [i["number"] for i in invoices["items"]] == [invoice.number]
    one = client.get(f"/api/v1/invoices/{invoice.pk}", **headers)
    assert one.status_code == 200 and Decimal(one.json()["total"]) == Decimal("45.00")


def test_a_refund_is_notified_and_shows_with_its_credit_note():
    enrollment = pending_enrollment(price="30.00")
    order = checkout_course(actor=enrollment.student, enrollment=enrollment)
    payment = manual_payment_record(actor=AdminFactory(), order=order).payment
    refund_create(
        payment=payment, amount=Decimal("10.00"), reason=RefundReason.ADMIN, cause="admin:test"
    )
    assert Notification.objects.filter(
        recipient=enrollment.student, kind=NotificationKind.REFUND_ISSUED
    ).exists()
    browser = Client()
    browser.force_login(enrollment.student)
    history = browser.get("/billing/history/")
    assert b"CN-" in history.content and b"10.00 EUR" in history.content


def test_a_teacher_or_another_student_sees_none_of_it_a_parent_sees_each_childs():
    parent, child = family()
    enrollment = pending_enrollment(student=child, actor=child, price="30.00")
    order = checkout_course(actor=child, enrollment=enrollment)
    manual_payment_record(actor=AdminFactory(), order=order)
    invoice = Invoice.objects.get(order=order)
    for outsider in (StudentFactory(), TeacherFactory(), enrollment.course.owner):
        client, headers = api(outsider)
        assert client.get("/api/v1/payments", **headers).json()["items"] == []
        assert client.get("/api/v1/invoices", **headers).json()["items"] == []
        assert client.get(f"/api/v1/invoices/{invoice.pk}", **headers).status_code == 404
        assert client.get(f"/api/v1/orders/{order.pk}", **headers).status_code == 404
        browser = Client()
        browser.force_login(outsider)
        assert browser.get(f"/billing/orders/{order.pk}/").status_code == 404
    client, headers = api(parent)
    assert [p["order_id"] for p in client.get("/api/v1/payments", **headers).json()["items"]] == [
        order.pk
    ]


def _paid_orders(payer, student, n):
    for _ in range(n):
        enrollment = pending_enrollment(student=student, actor=payer, price="12.00")
        order = checkout_course(actor=payer, enrollment=enrollment)
        manual_payment_record(actor=AdminFactory(), order=order)


def test_history_lists_run_a_fixed_number_of_queries_for_2_and_20_payments():
    parent, child = family()
    _paid_orders(parent, child, 2)
    browser = Client()
    browser.force_login(parent)
    assert_constant_queries(
        lambda: browser.get("/billing/history/"),
        grow=lambda: _paid_orders(parent, child, 3),
        rows=html_rows('data-testid="payment-row"'),
        budget=25,
    )
    client, headers = api(parent)
    assert_constant_queries(
        lambda: client.get("/api/v1/payments?limit=50", **headers),
        grow=lambda: _paid_orders(parent, child, 15),
        rows=json_rows,
        budget=12,
    )
    assert_constant_queries(
        lambda: client.get("/api/v1/invoices?limit=50", **headers),
        grow=lambda: _paid_orders(parent, child, 2),
        rows=json_rows,
        budget=12,
    )
