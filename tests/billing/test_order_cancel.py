"""A payer who changed their mind cancels an unpaid order (the page asks first; the API at once):
its invoice is voided, its held lessons' times can be booked by someone else, its pending enrolment
ends and the seat goes to the next student. Only the payer (or an admin) may; a paid order is
refused with nothing changed; cancelling twice is harmless."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from billing.checkout.services import checkout_course, checkout_lessons
from billing.choices import InvoiceStatus, OrderStatus
from billing.models import Invoice, Payment, Refund
from billing.services import manual_payment_record, order_cancel
from classroom.choices import LessonStatus
from classroom.scheduling.services import lesson_book
from courses.choices import EnrollmentStatus
from courses.services import enrollment_create
from tests.authentication.factories import AdminFactory, StudentFactory, TeacherFactory
from tests.billing.factories_front import family, held_lessons, paid_course, pending_enrollment
from tests.conftest import login_token

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = Client()
    return client, {"HTTP_X_SESSION_TOKEN": login_token(client, user.email)}


def cancel_url(order) -> str:
    return reverse("billing-order-cancel", args=[order.pk])


def lesson_order(**kwargs):
    lessons = held_lessons(**kwargs)
    payer = kwargs.get("actor") or lessons[0].student
    return checkout_lessons(actor=payer, lessons=lessons), lessons


def status_of(obj) -> str:
    return type(obj).objects.get(pk=obj.pk).status


# --- the page ------------------------------------------------------------------------------------


def test_the_payer_is_asked_first_and_cancelling_voids_the_invoice_and_frees_the_lessons_time():
    order, [lesson] = lesson_order()
    invoice = Invoice.objects.get(order=order)
    client = browser(order.payer)

    page = client.get(reverse("billing-order", args=[order.pk])).content.decode()
    assert 'data-testid="order-cancel"' in page and cancel_url(order) in page

    asked = client.get(cancel_url(order))
    html = asked.content.decode()
    assert asked.status_code == 200 and 'data-testid="confirm"' in html
    assert invoice.number in html  # "Invoice … is voided"
    assert "its time can be booked by someone else" in html
    # Asking changed nothing.
    assert status_of(order) == OrderStatus.OPEN and status_of(lesson) == LessonStatus.HELD
    assert status_of(invoice) == InvoiceStatus.OPEN

    done = client.post(cancel_url(order))
    assert done.status_code == 302 and done["Location"] == reverse("billing-order", args=[order.pk])
    assert status_of(order) == OrderStatus.CANCELLED
    assert status_of(invoice) == InvoiceStatus.VOID
    assert status_of(lesson) == LessonStatus.CANCELLED

    # The slot is free: someone else books the very same time with the same teacher.
    other = StudentFactory()
    taken = lesson_book(
        actor=other, teacher=lesson.teacher, student=other, start=lesson.start, length=60
    )
    assert taken.start == lesson.start and taken.status == LessonStatus.SCHEDULED

    # A closed order has no button any more.
    after = client.get(reverse("billing-order", args=[order.pk])).content.decode()
    assert 'data-testid="order-cancel"' not in after


def test_a_parent_cancels_a_childs_course_order_and_the_seat_goes_to_the_waitlist():
    parent, child = family()
    course = paid_course(price="60.00", capacity=1)
    enrollment = pending_enrollment(student=child, actor=parent, course=course)
    order = checkout_course(actor=parent, enrollment=enrollment)
    waiting = StudentFactory()
    queued = enrollment_create(actor=waiting, course=course, student=waiting, waitlist=True)
    assert queued.status == EnrollmentStatus.WAITLISTED  # the one seat is held by the child

    # The child sees the order their parent placed, but it is not theirs to cancel.
    child_client = browser(child)
    child_page = child_client.get(reverse("billing-order", args=[order.pk])).content.decode()
    assert 'data-testid="order-cancel"' not in child_page
    assert child_client.get(cancel_url(order)).status_code == 404
    assert child_client.post(cancel_url(order)).status_code == 404

    client = browser(parent)
    asked = client.get(cancel_url(order)).content.decode()
    assert course.title in asked and "the seat goes to the next student" in asked
    assert client.post(cancel_url(order)).status_code == 302

    assert status_of(order) == OrderStatus.CANCELLED
    assert status_of(enrollment) == EnrollmentStatus.WITHDRAWN
    assert status_of(queued) == EnrollmentStatus.PENDING  # moved up into the freed seat
    assert Invoice.objects.get(order=order).status == InvoiceStatus.VOID


def test_someone_else_meets_a_missing_order_and_nothing_changes():
    order, [lesson] = lesson_order()
    for outsider in (StudentFactory(), TeacherFactory(), lesson.teacher.user):
        client = browser(outsider)
        assert client.get(cancel_url(order)).status_code == 404
        assert client.post(cancel_url(order)).status_code == 404
    assert status_of(order) == OrderStatus.OPEN and status_of(lesson) == LessonStatus.HELD
    missing = browser(order.payer).get(reverse("billing-order-cancel", args=[987654321]))
    assert missing.status_code == 404


def test_a_paid_order_has_no_button_and_a_post_is_refused_with_nothing_changed():
    enrollment = pending_enrollment(price="30.00")
    order = checkout_course(actor=enrollment.student, enrollment=enrollment)
    manual_payment_record(actor=AdminFactory(), order=order)
    counts = (Invoice.objects.count(), Payment.objects.count(), Refund.objects.count())
    client = browser(order.payer)

    page = client.get(reverse("billing-order", args=[order.pk])).content.decode()
    assert 'data-testid="order-cancel"' not in page
    asked = client.get(cancel_url(order))
    assert asked.status_code == 200 and 'data-testid="confirm-refusal"' in asked.content.decode()
    assert 'data-testid="confirm-button"' not in asked.content.decode()

    refused = client.post(cancel_url(order))
    html = refused.content.decode()
    assert refused.status_code == 409
    assert 'data-testid="confirm-refusal"' in html and "cannot be cancelled" in html
    assert status_of(order) == OrderStatus.PAID
    assert status_of(enrollment) == EnrollmentStatus.ACTIVE
    assert Invoice.objects.get(order=order).status == InvoiceStatus.PAID
    assert (Invoice.objects.count(), Payment.objects.count(), Refund.objects.count()) == counts


def test_cancelling_twice_is_harmless():
    order, [lesson] = lesson_order()
    client = browser(order.payer)
    assert client.post(cancel_url(order)).status_code == 302
    again = client.post(cancel_url(order), follow=True)
    assert again.status_code == 200
    assert "This order is already closed." in again.content.decode()
    assert status_of(order) == OrderStatus.CANCELLED and status_of(lesson) == LessonStatus.CANCELLED
    # Asking again does not ask: the order is closed.
    assert client.get(cancel_url(order)).status_code == 302


def test_an_admin_cancels_a_payers_order_for_them():
    enrollment = pending_enrollment(price="30.00")
    order = checkout_course(actor=enrollment.student, enrollment=enrollment)
    client = browser(AdminFactory())
    assert client.get(cancel_url(order)).status_code == 200
    assert client.post(cancel_url(order)).status_code == 302
    assert status_of(order) == OrderStatus.CANCELLED
    assert status_of(enrollment) == EnrollmentStatus.REMOVED


# --- the API -------------------------------------------------------------------------------------


def test_the_payer_cancels_through_the_api_and_again_is_harmless():
    order, lessons = lesson_order(count=2, price="25.00")
    client, headers = api(order.payer)
    path = f"/api/v1/orders/{order.pk}/cancel"

    response = client.post(path, **headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == order.pk and body["status"] == "cancelled"
    assert body["invoice"]["status"] == "void"
    assert [status_of(ls) for ls in lessons] == [LessonStatus.CANCELLED] * 2

    again = client.post(path, **headers)
    assert again.status_code == 200 and again.json()["status"] == "cancelled"


def test_the_api_answers_others_like_a_missing_order_and_a_paid_one_with_order_paid():
    order, [lesson] = lesson_order()
    client, headers = api(StudentFactory())
    forbidden = client.post(f"/api/v1/orders/{order.pk}/cancel", **headers)
    missing = client.post("/api/v1/orders/987654321/cancel", **headers)
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    assert status_of(order) == OrderStatus.OPEN and status_of(lesson) == LessonStatus.HELD

    manual_payment_record(actor=AdminFactory(), order=order)
    client, headers = api(order.payer)
    refused = client.post(f"/api/v1/orders/{order.pk}/cancel", **headers)
    assert refused.status_code == 409
    assert refused.json()["code"] == "order_paid"
    assert set(refused.json()) == {"detail", "code", "errors", "error_codes"}
    assert status_of(order) == OrderStatus.PAID and status_of(lesson) == LessonStatus.SCHEDULED
    assert not Refund.objects.exists()


# --- the service ---------------------------------------------------------------------------------


def test_a_hold_already_past_its_deadline_ends_expired_as_the_sweep_would_end_it():
    order, [lesson] = lesson_order()
    later = lesson.hold_expires_at + timedelta(minutes=1)
    order_cancel(actor=order.payer, order=order, now=later)
    assert status_of(order) == OrderStatus.CANCELLED
    assert status_of(lesson) == LessonStatus.EXPIRED


def test_without_an_actor_the_system_closes_the_order_and_leaves_the_hold_to_run_out():
    order, [lesson] = lesson_order()
    order_cancel(actor=None, order=order, status=OrderStatus.EXPIRED)
    assert status_of(order) == OrderStatus.EXPIRED
    assert status_of(lesson) == LessonStatus.HELD  # still payable on a new order until it lapses


def test_a_parent_whose_link_ended_still_cancels_their_order_and_the_hold_runs_out():
    """The parent is still the order's payer (they see it, its invoice is theirs) but no longer
    acts for the child: their order closes and its invoice is voided; the child's held lesson and
    pending enrolment are not theirs to cancel and run out on their own, as after a system cancel."""
    from authentication.models import GuardianLink
    from authentication.services import guardian_decline_or_remove

    parent, child = family()
    order, [lesson] = lesson_order(student=child, actor=parent)
    enrollment = pending_enrollment(student=child, actor=parent)
    course_order = checkout_course(actor=parent, enrollment=enrollment)
    link = GuardianLink.objects.get(guardian=parent, child=child)
    guardian_decline_or_remove(link=link, actor=child)

    client = Client()
    client.force_login(parent)
    asked = client.get(reverse("billing-order-cancel", args=[order.pk])).content.decode()
    assert "is voided" in asked
    assert "is released" not in asked  # the child's hold is not theirs to let go: not promised
    response = client.post(reverse("billing-order-cancel", args=[order.pk]))
    assert response.status_code == 302
    assert status_of(order) == OrderStatus.CANCELLED
    assert Invoice.objects.get(order=order).status == InvoiceStatus.VOID
    assert status_of(lesson) == LessonStatus.HELD  # the child's, until it lapses
    token = login_token(Client(), parent.email)
    answer = Client().post(f"/api/v1/orders/{course_order.pk}/cancel", HTTP_X_SESSION_TOKEN=token)
    assert answer.status_code == 200, answer.content
    assert status_of(course_order) == OrderStatus.CANCELLED
    assert status_of(course_order.enrollment) == EnrollmentStatus.PENDING  # runs out when due


def test_a_spanish_payer_is_asked_in_spanish():
    from django.utils import translation

    student = StudentFactory(language="es")
    order, _lessons = lesson_order(student=student)
    with translation.override("es"):
        url = cancel_url(order)
    assert url.startswith("/es/")
    html = browser(student).get(url).content.decode()
    assert "¿Cancelar este pedido?" in html
    assert "otra persona podrá reservar esa hora" in html
    assert "Cancelar el pedido" in html and "Conservar el pedido" in html
    done = browser(student).post(url, follow=True).content.decode()
    assert "El pedido está cancelado." in done
