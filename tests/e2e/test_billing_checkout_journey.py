"""A student pays for a course by card through Stripe Checkout (the local stand-in,
tests/stripe_standin) and a signed webhook: the course page's Enrol holds the place, Pay now leads
to the pay page, the card choice to the stand-in's hosted Checkout page, and paying there back to
our return page. The webhook arrives a moment later (as Stripe's may): the return page says the
payment is being confirmed and looks again until the webhook (dj-stripe's endpoint on the live
server, processed by the django-q2 task, inline in the test settings) has fulfilled the order. Then
the course is active in My courses, the bell has the "payment received" notification, and the
invoice's PDF from the payment history reads (pypdf) with its number and amount."""

import io
import re
from decimal import Decimal

import pytest
from djstripe.models import WebhookEventTrigger
from playwright.sync_api import expect
from pypdf import PdfReader

from billing.choices import InvoiceStatus, OrderStatus, PaymentMethod, PaymentStatus
from billing.models import Invoice, Order, Payment
from courses.choices import CourseFormat, EnrollmentStatus
from courses.models import Enrollment
from inbox.notifications.models import Notification, NotificationKind
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.courses.page_helpers import live_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONFIRM_TIMEOUT_MS = 20_000  # the return page looks again every 5 s


def _allow_forms_to_post_to(settings, origin: str) -> None:
    """The stand-in's Checkout page is at http://127.0.0.1:<port>, not Stripe's host: this test's
    policy lets the pay form's redirect go there too (production's stays as it is)."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {**directives, "form-action": [*directives["form-action"], origin]},
    }


def test_a_student_pays_for_a_course_by_card_and_sees_the_enrolment_the_notice_and_the_pdf(
    journey, stripe_standin, live_server, settings
):
    _allow_forms_to_post_to(settings, stripe_standin.url)
    teacher = TeacherFactory(first_name="Carla", last_name="Teacher")
    course = live_course(
        owner=teacher,
        title="Spanish A1 in twelve weeks",
        summary="Your first conversations.",
        price=Decimal("49.00"),
        currency="EUR",
        capacity=12,
        format=CourseFormat.GROUP,
    )
    student = StudentFactory(email="sam.student@example.com", first_name="Sam")
    page = journey.page
    main = page.locator("main")

    # The course page: Enrol holds the place until it is paid; Pay now.
    journey.login(student.email)
    journey.goto(course.page.url)
    expect(page.get_by_test_id("course-price")).to_contain_text("49 EUR")
    journey.submit(re.compile(r"^Enrol$"))
    enrollment = Enrollment.objects.get(student=student, course=course)
    assert enrollment.status == EnrollmentStatus.PENDING
    expect(page.get_by_test_id("enrollment-status")).to_contain_text("Pending")
    with page.expect_navigation():
        page.get_by_test_id("pay-enrollment").click()
    journey.check_a11y()

    # The pay page: the course, for the student, the price; the card.
    expect(page.get_by_test_id("pay-summary")).to_contain_text("Spanish A1 in twelve weeks")
    expect(page.get_by_test_id("pay-price")).to_contain_text("49.00 EUR")
    main.get_by_label("Card (secure payment page)").check()
    journey.screenshot("billing-checkout-pay")
    with page.expect_navigation(url=re.compile("^" + re.escape(stripe_standin.url) + "/c/pay/")):
        main.get_by_role("button", name="Pay 49.00 EUR").click()
    order = Order.objects.get(enrollment=enrollment)
    assert (order.method, order.status, order.total) == (
        PaymentMethod.STRIPE,
        OrderStatus.OPEN,
        Decimal("49.00"),
    )
    session = stripe_standin.get(order.stripe_checkout_session_id)
    assert (session["amount_total"], session["currency"]) == (4900, "eur")

    # Stripe's page (the stand-in's, not ours: no axe here) takes the card; back to our page,
    # before the webhook has come.
    checkout = page.locator("main")
    expect(checkout).to_contain_text("Spanish A1 in twelve weeks")
    expect(checkout).to_contain_text("49.00 eur")
    with page.expect_navigation(url=re.compile(rf"/billing/orders/{order.pk}/return/")):
        checkout.get_by_role("button", name="Pay").click()
    journey.check_a11y()
    expect(page.get_by_test_id("order-state")).to_contain_text("We are confirming your payment")
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN  # coming back is not paying
    [completed] = [e for e in stripe_standin.events if e["type"] == "checkout.session.completed"]

    # The signed webhook reaches dj-stripe's endpoint on the live server; its task fulfils the
    # order; the return page, looking again, says so.
    assert stripe_standin.deliveries == []
    assert settings.Q_CLUSTER["sync"]  # no worker: the task runs in the request that enqueues it
    stripe_standin.send_webhooks_to(live_server.url)
    assert stripe_standin.send_webhook(completed) == 200
    assert stripe_standin.deliveries == [(completed["id"], "checkout.session.completed", 200)]
    # Processed in the live server's thread before it answered: paid by the time the 200 came.
    trigger = WebhookEventTrigger.objects.get()
    assert trigger.valid and trigger.processed and trigger.event_id == completed["id"]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    expect(page.get_by_test_id("order-state")).to_contain_text(
        "Payment received", timeout=CONFIRM_TIMEOUT_MS
    )
    journey.check_a11y()
    journey.screenshot("billing-checkout-paid")
    payment = Payment.objects.get(order=order)
    assert (payment.method, payment.status, payment.amount) == (
        PaymentMethod.STRIPE,
        PaymentStatus.SUCCEEDED,
        Decimal("49.00"),
    )
    invoice = Invoice.objects.get(order=order)
    assert invoice.status == InvoiceStatus.PAID

    # My courses: the enrolment is active.
    with page.expect_navigation():
        main.get_by_role("link", name="My courses").click()
    journey.check_a11y()
    row = main.locator("tr", has_text="Spanish A1 in twelve weeks")
    expect(row).to_contain_text("Active")
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    journey.screenshot("billing-checkout-my-courses")

    # The bell: the payment received notification.
    assert (
        Notification.objects.filter(
            recipient=student, kind=NotificationKind.PAYMENT_RECEIVED
        ).count()
        == 1
    )
    expect(page.locator("header [data-testid=notifications-badge]")).to_be_visible()
    with page.expect_navigation():
        page.locator("header").get_by_role("link", name=re.compile("^Notifications")).click()
    journey.check_a11y()
    received = "We received your payment of 49.00 EUR: Spanish A1 in twelve weeks."
    expect(main.locator("[data-testid=notification]", has_text=received)).to_have_count(1)
    journey.screenshot("billing-checkout-notification")

    # The payment history: the payment and the invoice, whose PDF reads back.
    journey.goto("/billing/history/")
    expect(page.get_by_test_id("payment-row")).to_have_count(1)
    expect(page.get_by_test_id("payment-row")).to_contain_text("49.00 EUR")
    invoice_row = page.get_by_test_id("invoice-row")
    expect(invoice_row).to_contain_text(invoice.number)
    journey.screenshot("billing-checkout-history")
    href = invoice_row.get_by_role("link", name="PDF").get_attribute("href")
    response = page.request.get(journey.url(href) if href.startswith("/") else href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert invoice.number in text
    assert "49.00" in text
    assert "Spanish A1 in twelve weeks" in text
    assert stripe_standin.unanswered == []
