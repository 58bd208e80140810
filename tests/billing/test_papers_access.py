"""Who reads which paper (the payer, the student, the student's guardians, admins; anyone else the
404 of a missing id), on the page and in the API; the admins' billing API and screens."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from billing.choices import InvoiceKind, InvoiceStatus, OrderStatus, RefundStatus
from billing.models import Invoice, Refund
from billing.papers.selectors import invoice_get_for_user, invoice_list_for_user
from courses.choices import EnrollmentStatus
from cplatform.exceptions import NotFound
from tests.authentication.consent import link
from tests.authentication.factories import (
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.billing.factories_papers import course_order, paid_course_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def family():
    parent, child = ParentFactory(), StudentFactory()
    link(parent, child)
    order = paid_course_order(student=child, payer=parent, price=Decimal("75.00"))
    return parent, child, order, order.invoices.get(kind=InvoiceKind.INVOICE)


def test_the_payer_the_student_their_guardian_and_admins_read_the_invoice(family):
    parent, child, _order, invoice = family
    other_guardian = ParentFactory()
    link(other_guardian, child)
    for reader in (parent, child, other_guardian, AdminFactory()):
        assert invoice_get_for_user(user=reader, invoice_id=invoice.pk) == invoice
        assert list(invoice_list_for_user(user=reader)) == [invoice]


def test_anyone_else_meets_the_404_of_a_missing_invoice(family):
    _parent, _child, order, invoice = family
    for stranger in (StudentFactory(), ParentFactory(), TeacherFactory(), order.teacher):
        with pytest.raises(NotFound):
            invoice_get_for_user(user=stranger, invoice_id=invoice.pk)
        assert list(invoice_list_for_user(user=stranger)) == []


def test_the_pdf_page_answers_the_reader_and_404s_the_others(client, family):
    parent, _child, _order, invoice = family
    url = f"/billing/invoices/{invoice.pk}/pdf/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(StudentFactory())
    assert client.get(url).status_code == 404
    client.force_login(parent)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert invoice.number in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_the_pdf_in_the_api(client, family):
    parent, _child, _order, invoice = family
    url = f"/api/v1/invoices/{invoice.pk}/pdf"
    assert client.get(url).status_code == 401
    client.force_login(TeacherFactory())
    assert client.get(url).json()["code"] == "not_found"
    client.force_login(parent)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert client.get("/api/v1/invoices/987654321/pdf").status_code == 404


# --- the admins' API ------------------------------------------------------------------------------


def test_admins_list_payments_with_filters_in_a_constant_number_of_queries(client):
    admin = AdminFactory()
    client.force_login(admin)
    paid_course_order(currency="EUR")

    def count(query=""):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/admin/payments{query}")
        assert response.status_code == 200
        return response.json(), len(queries)

    body, few = count()
    assert body["count"] == 1
    assert body["items"][0]["invoice_ids"] and body["items"][0]["refunds"] == []
    for _ in range(4):
        paid_course_order(currency="USD")
    body, many = count()
    assert body["count"] == 5 and many == few
    assert count("?currency=USD")[0]["count"] == 4
    assert count("?method=manual&status=succeeded")[0]["count"] == 5
    assert count("?method=stripe")[0]["count"] == 0
    assert client.get("/api/v1/admin/payments?currency=XXX").status_code == 422


def test_non_admins_get_403_from_the_admin_billing_api(client):
    order = paid_course_order()
    payment = order.payments.get()
    client.force_login(order.payer)
    assert client.get("/api/v1/admin/payments").status_code == 403
    response = client.post(
        f"/api/v1/admin/payments/{payment.pk}/refund",
        {"amount": "1.00", "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Refund.objects.exists()


def test_an_admin_refunds_part_of_a_payment_once_per_key_and_not_more_than_is_left(client):
    order = paid_course_order(price=Decimal("100.00"))
    payment = order.payments.get()
    client.force_login(AdminFactory())
    url = f"/api/v1/admin/payments/{payment.pk}/refund"
    body = {"amount": "40.00", "note": "Goodwill", "key": "6f1c7d52-7a8e-4a41-9a52-2d3c2b1d0a11"}
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 200, first.content
    again = client.post(url, body, content_type="application/json")
    assert again.json()["id"] == first.json()["id"]
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.SUCCEEDED and refund.note == "Goodwill"
    assert first.json()["credit_note_id"] == refund.credit_note.pk
    too_much = client.post(
        url, {"amount": "60.01", "note": "More"}, content_type="application/json"
    )
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "refund_too_large"
    assert "amount" in too_much.json()["errors"]
    assert Refund.objects.count() == 1
    rest = client.post(url, {"amount": "60.00", "note": "Rest"}, content_type="application/json")
    assert rest.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and order.refunded == Decimal("100.00")
    nothing = client.post(url, {"amount": "1", "note": "x"}, content_type="application/json")
    assert nothing.status_code == 409 and nothing.json()["code"] == "not_refundable"
    assert (
        client.post(
            "/api/v1/admin/payments/987654321/refund", body, content_type="application/json"
        ).status_code
        == 404
    )


def test_an_admin_marks_a_manual_invoice_paid_through_the_api(client):
    order = course_order(price=Decimal("50.00"))
    invoice = order.invoices.get()
    client.force_login(AdminFactory())
    url = f"/api/v1/admin/invoices/{invoice.pk}/mark-paid"
    response = client.post(url, {"note": "Transfer 123"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "paid"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.enrollment.status == EnrollmentStatus.ACTIVE
    assert order.payments.get().note == "Transfer 123"
    # again: the same answer, still one payment
    assert client.post(url, {}, content_type="application/json").status_code == 200
    assert order.payments.count() == 1
    note = Refund.objects.none()
    assert not note.exists()


def test_a_credit_note_is_not_marked_paid(client):
    from billing.choices import RefundReason
    from billing.services import refund_create

    order = paid_course_order()
    refund = refund_create(
        payment=order.payments.get(), amount=Decimal("5"), reason=RefundReason.ADMIN, cause="t:9"
    )
    client.force_login(AdminFactory())
    response = client.post(
        f"/api/v1/admin/invoices/{refund.credit_note.pk}/mark-paid",
        {},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "not_an_invoice"


# --- the admins' screens --------------------------------------------------------------------------


def test_the_billing_screens_are_for_admins_and_lists_keep_their_query_count(client):
    order = paid_course_order()
    open_order = course_order()
    teacher = TeacherFactory()
    client.force_login(teacher)
    assert client.get("/admin/billing_payments/").status_code in (302, 403)
    admin = AdminFactory()
    client.force_login(admin)
    urls = [
        "/admin/billing_payments/",
        "/admin/billing_payments/?status=succeeded&method=manual&currency=EUR",
        f"/admin/billing_payments/{order.payments.get().pk}/",
        f"/admin/billing_payments/{order.payments.get().pk}/refund/",
        "/admin/billing_invoices/",
        f"/admin/billing_invoices/{open_order.invoices.get().pk}/mark-paid/",
        "/admin/billing_refunds/",
        "/admin/billing_disputes/",
        "/admin/billing_payouts/",
        "/admin/billing_payouts/record/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert b"Billing" in client.get("/admin/").content

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    lists = ["/admin/billing_payments/", "/admin/billing_invoices/", "/admin/billing_refunds/"]
    before = {url: queries(url) for url in lists}
    from billing.choices import RefundReason
    from billing.services import refund_create

    for n in range(3):
        more = paid_course_order()
        course_order()
        refund_create(
            payment=more.payments.get(),
            amount=Decimal("1"),
            reason=RefundReason.ADMIN,
            cause=f"q:{n}",
        )
    assert {url: queries(url) for url in lists} == before


def test_refund_from_the_admin_asks_first_then_refunds(client):
    order = paid_course_order(price=Decimal("80.00"))
    payment = order.payments.get()
    client.force_login(AdminFactory())
    url = f"/admin/billing_payments/{payment.pk}/refund/"
    page = client.get(url)
    assert b"80.00" in page.content and not Refund.objects.exists()
    refused = client.post(url, {"amount": "81", "note": "Too much", "key": ""})
    assert refused.status_code == 200 and b"aria-invalid" in refused.content
    assert not Refund.objects.exists()
    key = "0b8f7a1e-1f3a-4c3e-8a44-6c0f0c9e2b7d"
    done = client.post(url, {"amount": "30,00", "note": "Late start", "key": key})
    assert done.status_code == 302
    client.post(url, {"amount": "30,00", "note": "Late start", "key": key})  # a double click
    refund = Refund.objects.get()
    assert refund.amount == Decimal("30.00") and refund.cause == f"admin:{key}"


def test_mark_paid_from_the_admin_asks_first_then_fulfils(client):
    order = course_order()
    invoice = order.invoices.get()
    client.force_login(AdminFactory())
    url = f"/admin/billing_invoices/{invoice.pk}/mark-paid/"
    assert client.get(url).status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert client.post(url, {"note": "Cash"}).status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert Invoice.objects.filter(order=order).count() == 1


def test_record_payout_from_the_admin(client):
    # payout_record is the policy engineer's service (billing/earnings, branch i-policy)
    pytest.importorskip("billing.earnings.services")
    from billing.models import Payout

    teacher = TeacherFactory()
    client.force_login(AdminFactory())
    url = "/admin/billing_payouts/record/"
    values = {
        "teacher": str(teacher.pk),
        "currency": "EUR",
        "amount": "250.00",
        "period_start": "2026-11-01",
        "period_end": "2026-10-31",
        "note": "November",
    }
    refused = client.post(url, values)
    assert refused.status_code == 200 and b"aria-invalid" in refused.content
    assert not Payout.objects.exists()
    assert client.post(url, {**values, "period_end": "2026-11-30"}).status_code == 302
    payout = Payout.objects.get()
    assert (payout.teacher, payout.amount) == (teacher, Decimal("250.00"))
