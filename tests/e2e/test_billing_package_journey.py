"""A parent buys a five-lesson package for their child by bank transfer: the home's Pay button, the
pay page (what, for whom, the price, what happens next), the transfer page with the invoice number
and the bank details; the school's admin records the transfer in the Wagtail admin (Billing →
Outstanding invoices → Mark paid, which asks first); the order page then says the payment arrived,
the history shows it with five credits, and the child books a lesson of the package."""

import re
from decimal import Decimal

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from billing.choices import InvoiceStatus, OrderKind, OrderStatus
from billing.models import Invoice, Order
from classroom.models import Lesson
from courses.choices import CourseFormat, EnrollmentStatus
from courses.services import enrollment_create
from tests.authentication.factories import AdminFactory
from tests.billing.factories_front import family
from tests.booking.factories import bookable_teacher
from tests.courses.factories import CourseFactory
from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, TIMEOUT_MS
from tests.e2e.test_course_page_admin_journey import ADMIN_TIMEOUT_MS, check_admin_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BANK = "Cplatform School\nIBAN ES91 2100 0418 4502 0005 1332"


@override_settings(BILLING_BANK_DETAILS=BANK)
def test_a_parent_buys_a_package_by_transfer_and_the_child_books_a_lesson_of_it(journey):
    page = journey.page
    teacher = bookable_teacher(lesson_lengths=[60], email="package.teacher@example.com")
    package = CourseFactory(
        owner=teacher.user,
        title="Five conversation lessons",
        format=CourseFormat.ONE_TO_ONE,
        capacity=None,
        price=Decimal("100.00"),
        currency="EUR",
        lessons_included=5,
    )
    parent, child = family()
    enrollment = enrollment_create(actor=parent, course=package, student=child)
    assert enrollment.status == EnrollmentStatus.PENDING

    # The parent's home lists the child's place held until paid, with its Pay button.
    journey.login(parent.email)
    journey.goto("/dashboard/")
    with page.expect_navigation():
        page.get_by_test_id("pay-enrollment").first.click()
    journey.check_a11y()
    summary = page.get_by_test_id("pay-summary")
    expect(summary).to_contain_text("Five conversation lessons")
    expect(page.get_by_test_id("pay-student")).to_contain_text(child.name)
    expect(page.get_by_test_id("pay-price")).to_contain_text("100.00 EUR")
    expect(page.get_by_test_id("pay-next")).to_contain_text("Bank transfer")
    journey.screenshot("billing-pay-package")

    journey.submit(re.compile(r"^Pay 100\.00 EUR$"))
    order = Order.objects.get(enrollment=enrollment)
    assert (order.kind, order.status, order.payer, order.student) == (
        OrderKind.PACKAGE,
        OrderStatus.OPEN,
        parent,
        child,
    )
    invoice = Invoice.objects.get(order=order)
    expect(page.get_by_test_id("order-state")).to_contain_text("Waiting for your bank transfer")
    expect(page.get_by_test_id("invoice-number")).to_contain_text(invoice.number)
    expect(page.get_by_test_id("bank-details")).to_contain_text("ES91 2100 0418")
    journey.screenshot("billing-transfer")

    journey.logout()

    # The school's admin records the transfer in the Wagtail admin: Billing → Outstanding
    # invoices → Mark paid, a question first, then the answer.
    admin = AdminFactory(email="school.admin@example.com")
    journey.login(admin.email)
    page.set_default_timeout(ADMIN_TIMEOUT_MS)
    page.goto(journey.url("/admin/"))
    check_admin_page(journey)
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="Billing").click()
    with page.expect_navigation():
        sidebar.get_by_role("link", name="Outstanding invoices").click()
    check_admin_page(journey)
    expect(page.locator("h1")).to_contain_text("Outstanding invoices")
    row = page.locator("main tbody tr", has_text=invoice.number)
    expect(row).to_contain_text(parent.email)
    expect(row).to_contain_text(child.email)
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile(r"^Mark paid")).click()
    check_admin_page(journey)
    expect(page.locator("h1")).to_contain_text(f"Mark invoice {invoice.number} paid?")
    expect(page.locator("main")).to_contain_text(f"Records that {parent.email} paid")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN  # the question changes nothing
    page.get_by_label("Note (transfer reference)").fill("Transfer received")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "billing-admin-mark-paid-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    check_admin_page(journey)
    page.screenshot(path=ARTIFACTS / "billing-admin-mark-paid-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Mark paid").click()
    check_admin_page(journey)
    expect(page.locator("body")).to_contain_text(f"Invoice {invoice.number} is paid.")
    expect(page.locator("main tbody tr", has_text=invoice.number)).to_have_count(0)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    page.set_default_timeout(TIMEOUT_MS)
    journey.goto("/dashboard/")
    journey.logout()

    # The parent sees the payment arrived.
    journey.login(parent.email)
    journey.goto(f"/billing/orders/{order.pk}/")
    expect(page.get_by_test_id("order-state")).to_contain_text("Payment received")
    journey.goto("/billing/history/")
    expect(page.get_by_test_id("payment-row")).to_have_count(1)
    expect(page.get_by_test_id("history-invoices")).to_contain_text(invoice.number)
    expect(page.get_by_test_id("credit-row")).to_contain_text("5")
    journey.screenshot("billing-history")
    journey.logout()

    # The child books a lesson of the package.
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    journey.login(child.email)
    journey.goto(f"/lessons/book/{teacher.pk}/?course={package.pk}")
    main = page.locator("main")
    length = main.get_by_text("60 min", exact=True)
    if length.count():
        length.first.click()
    journey.submit("Show free times")
    with page.expect_navigation():
        page.locator("main .slot-day").nth(2).locator("button").first.click()
    journey.check_a11y()
    expect(page.get_by_test_id("booking-price")).to_contain_text("Five conversation lessons")
    journey.submit("Confirm booking")
    lesson = Lesson.objects.get(student=child)
    assert lesson.course_id == package.pk
    assert lesson.status == "scheduled"
    journey.screenshot("billing-package-lesson-booked")
