"""Every error code of the registry (cplatform/error_codes.py) is reachable: one case per code makes a
service (or the API) refuse with it. A code no case reaches fails, so the registry cannot hold codes
that nothing raises, and a new code needs a case here."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from authentication.choices import Role
from authentication.models import GuardianLink
from authentication.services import (
    guardian_accept,
    guardian_invite,
    guardian_link_admin_create,
    user_add_role,
    user_create,
)
from billing.choices import OrderKind
from billing.services import (
    Line,
    manual_payment_record,
    order_cancel,
    order_create,
    order_fulfil,
    refund_create,
)
from classroom.models import TeacherProfile
from classroom.progress.services import module_complete
from classroom.scheduling.selectors import student_get_for_booking
from classroom.scheduling.services import (
    lesson_book,
    lesson_cancel,
    lesson_hold_confirm,
    lesson_hold_expire,
    lesson_reschedule,
    lessons_hold_expire_due,
    series_book,
    time_off_add,
)
from classroom.services import student_profile_update
from classroom.teaching.services import attendance_record, lesson_update, seat_take
from courses.choices import EnrollmentStatus
from courses.page_services import course_page_publish
from courses.services import (
    course_update,
    enrollment_activate,
    enrollment_create,
    enrollment_release_unpaid,
    enrollment_withdraw,
)
from cplatform.editorial import MODERATORS
from cplatform.error_codes import CODES
from cplatform.exceptions import DomainError
from home.models import HomePage
from tests.authentication.consent import child, link, set_birthday
from tests.authentication.factories import (
    AdminFactory,
    ParentFactory,
    StudentFactory,
)
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory
from tests.courses.page_helpers import catalog
from tests.teaching.factories import group_course, session, started_lesson

pytestmark = pytest.mark.django_db


def book(teacher, learner, day=3, hour=10, length=60, **kwargs):
    return lesson_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        start=days_ahead(day, hour=hour),
        length=length,
        **kwargs,
    )


def _invalid():
    time_off_add(teacher=bookable_teacher(), start=days_ahead(3), end=days_ahead(2))


def _not_found():
    teacher = bookable_teacher()
    lesson = book(teacher, student())
    lesson_cancel(lesson=lesson, actor=StudentFactory())


def _permission_denied():
    teacher = bookable_teacher()
    course = group_course(teacher=teacher.user, students=[(learner := StudentFactory())])
    lesson_cancel(lesson=session(course=course), actor=learner)


def _not_authenticated():
    response = Client().get("/api/v1/lessons")
    if response.status_code == 401:
        raise DomainError(code=response.json()["code"])


def _session_invalid():
    response = Client().get("/api/v1/teachers", HTTP_X_SESSION_TOKEN="signed-out-long-ago")
    if response.status_code == 401:
        raise DomainError(code=response.json()["code"])


def _method_not_allowed():
    response = Client().delete("/api/v1/teachers")
    if response.status_code == 405:
        raise DomainError(code=response.json()["code"])


def _malformed_request():
    token = login_token(Client(), StudentFactory().email)
    response = Client().patch(
        "/api/v1/me", "{", content_type="application/json", HTTP_X_SESSION_TOKEN=token
    )
    if response.status_code == 400:
        raise DomainError(code=response.json()["code"])


def _email_taken():
    user_create(email=StudentFactory().email)


def _already_invited():
    parent = ParentFactory()
    guardian_invite(actor=parent, email="kid@example.com", as_role="child")
    guardian_invite(actor=parent, email="kid@example.com", as_role="child")


def _already_linked():
    parent, kid = ParentFactory(), StudentFactory()
    link(parent, kid)
    guardian_link_admin_create(actor=AdminFactory(), guardian=parent, child=kid)


def _guardian_limit_reached():
    kid = StudentFactory()
    link(ParentFactory(), kid)
    link(ParentFactory(), kid)
    guardian_link_admin_create(actor=AdminFactory(), guardian=ParentFactory(), child=kid)


def _invitation_not_acceptable():
    parent = ParentFactory()
    invitation = guardian_invite(actor=parent, email="kid@example.com", as_role="child")
    guardian_accept(link=invitation, actor=parent)


def _invitation_pending():
    parent, kid = ParentFactory(), StudentFactory()
    GuardianLink.objects.create(
        guardian=parent, child=kid, invited_email=kid.email, initiated_by=parent
    )
    guardian_link_admin_create(actor=AdminFactory(), guardian=parent, child=kid)


def _own_guardian():
    kid = StudentFactory()
    guardian_link_admin_create(actor=AdminFactory(), guardian=kid, child=kid)


def _guardian_consent_required():
    kid, _parent = child(age=12)
    book(bookable_teacher(), kid)


def _date_of_birth_required():
    kid = StudentFactory()
    set_birthday(kid, None)
    book(bookable_teacher(), kid)


def _guardian_removal_locked():
    from authentication.services import guardian_decline_or_remove

    kid, _parent = child(age=12)
    guardian_decline_or_remove(link=kid.guardian_links.get(), actor=kid)


def _date_of_birth_locked():
    kid, _parent = child(age=12, consent=True)
    student_profile_update(user=kid, data={"date_of_birth": None})


def _course_full():
    course = CourseFactory(capacity=1)
    enrollment_create(actor=StudentFactory(), course=course)
    enrollment_create(actor=StudentFactory(), course=course)


def _already_enrolled():
    course, learner = CourseFactory(), StudentFactory()
    enrollment_create(actor=learner, course=course)
    enrollment_create(actor=learner, course=course)


def _enrollment_ended():
    learner = StudentFactory()
    enrollment = enrollment_create(actor=learner, course=CourseFactory())
    enrollment_withdraw(actor=learner, enrollment=enrollment)
    enrollment_withdraw(actor=learner, enrollment=enrollment)


def _enrollment_not_pending():
    enrollment = enrollment_create(actor=StudentFactory(), course=CourseFactory())
    enrollment.status = EnrollmentStatus.WAITLISTED
    enrollment.save()
    enrollment_activate(actor=None, enrollment=enrollment)


def _enrollment_not_active():
    enrollment = EnrollmentFactory(status=EnrollmentStatus.PENDING)
    module = ModuleFactory(course=enrollment.course)
    module_complete(actor=enrollment.student, enrollment=enrollment, module=module)


def _capacity_below_taken():
    course = CourseFactory(capacity=2)
    enrollment_create(actor=StudentFactory(), course=course)
    enrollment_create(actor=StudentFactory(), course=course)
    course_update(actor=course.owner, course=course, data={"capacity": 1})


def _module_not_released():
    enrollment = EnrollmentFactory()
    module = ModuleFactory(course=enrollment.course, release_at=timezone.now() + timedelta(days=3))
    module_complete(actor=enrollment.student, enrollment=enrollment, module=module)


def _catalog_page_missing():
    course = CourseFactory()
    HomePage.objects.all().delete()
    course_page_publish(actor=course.owner, course=course)


def _moderation_in_progress():
    index = catalog()
    task = GroupApprovalTask.objects.create(name="Course review")
    task.groups.set([Group.objects.get(name=MODERATORS)])
    workflow = Workflow.objects.create(name="Course review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=index, workflow=workflow)
    course = CourseFactory()
    course_page_publish(actor=course.owner, course=course)
    course_page_publish(actor=course.owner, course=course)


def _slot_taken():
    teacher = bookable_teacher()
    book(teacher, student())
    book(teacher, student())


def _student_busy():
    learner = student()
    book(bookable_teacher(), learner)
    book(bookable_teacher(), learner)


def _slot_too_close():
    teacher = bookable_teacher(buffer_minutes=30)
    book(teacher, student(), hour=10)
    book(teacher, student(), hour=11)


def _outside_availability():
    from datetime import time

    teacher = bookable_teacher(rules=[(d, time(9, 0), time(12, 0)) for d in range(7)])
    book(teacher, student(), hour=20)


def _length_not_offered():
    book(bookable_teacher(lesson_lengths=[60]), student(), length=45)


def _notice_too_short():
    teacher = bookable_teacher(min_notice_minutes=60 * 24 * 10)
    book(teacher, student(), day=3)


def _beyond_horizon():
    book(bookable_teacher(horizon_days=2), student(), day=5)


def _series_unavailable():
    teacher, learner = bookable_teacher(), student()
    book(teacher, student(), day=10)
    series_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        first_start=days_ahead(3),
        length=60,
        count=3,
    )


def _package_used_up():
    teacher, learner = bookable_teacher(), student()
    course = CourseFactory(owner=teacher.user, format="one_to_one", lessons_included=1)
    EnrollmentFactory(course=course, student=learner)
    book(teacher, learner, day=3, course_id=course.pk)
    book(teacher, learner, day=4, course_id=course.pk)


def _course_not_bookable():
    teacher, learner = bookable_teacher(), student()
    course = CourseFactory(owner=teacher.user, format="one_to_one")
    book(teacher, learner, course_id=course.pk)  # not enrolled


def _own_lesson():
    teacher = bookable_teacher()
    user_add_role(user=teacher.user, role=Role.STUDENT)
    book(teacher, teacher.user)


def _student_required():
    student_get_for_booking(user=ParentFactory(), student_id=None)


def _lesson_not_scheduled():
    teacher, learner = bookable_teacher(), student()
    lesson = book(teacher, learner)
    lesson_cancel(lesson=lesson, actor=learner)
    lesson_cancel(lesson=lesson, actor=learner)


def _lesson_started():
    teacher, learner = bookable_teacher(), student()
    lesson = started_lesson(teacher=teacher.user, student=learner)
    lesson_cancel(lesson=lesson, actor=teacher.user)


def _reschedule_too_late():
    teacher, learner = bookable_teacher(cancellation_cutoff_hours=24 * 30), student()
    lesson = book(teacher, learner)
    lesson_reschedule(lesson=lesson, actor=learner, start=days_ahead(4))


def _group_session_not_movable():
    teacher = bookable_teacher()
    lesson = session(course=group_course(teacher=teacher.user))
    lesson_reschedule(lesson=lesson, actor=teacher.user, start=days_ahead(9))


def _price_changed():
    teacher = bookable_teacher()
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=40)
    book(teacher, student(), expected=(Decimal("30.00"), "EUR"))  # shown before the rise to 40


def _mode_not_offered():
    teacher = bookable_teacher()  # online only
    book(teacher, student(), mode="in_person")


def _teacher_profile_missing():
    teacher = bookable_teacher()
    course = group_course(teacher=teacher.user)
    TeacherProfile.objects.filter(pk=teacher.pk).delete()
    session(course=course, actor=AdminFactory())


def _not_a_group_session():
    teacher, learner = bookable_teacher(), student()
    seat_take(actor=learner, lesson=book(teacher, learner), student=learner)


def _already_seated():
    learner = StudentFactory()
    lesson = session(course=group_course(teacher=bookable_teacher().user, students=[learner]))
    seat_take(actor=learner, lesson=lesson, student=learner)


def _session_full():
    first, second = StudentFactory(), StudentFactory()
    course = group_course(teacher=bookable_teacher().user, students=[first, second], capacity=1)
    lesson = session(course=course)
    seat_take(actor=second, lesson=lesson, student=second)


def _lesson_cancelled():
    teacher, learner = bookable_teacher(), student()
    lesson = book(teacher, learner)
    lesson_cancel(lesson=lesson, actor=teacher.user)
    lesson_update(actor=teacher.user, lesson=lesson, data={"notes": "x"})


def _lesson_not_started():
    teacher, learner = bookable_teacher(), student()
    lesson = book(teacher, learner)
    attendance_record(
        actor=teacher.user, lesson=lesson, marks=[{"student_id": learner.pk, "status": "present"}]
    )


def post_with_key(learner, key: str, day: int):
    client = Client()
    client.force_login(learner)
    teacher = bookable_teacher()
    body = {"teacher_id": teacher.pk, "start": days_ahead(day).isoformat(), "length": 60}
    response = client.post(
        "/api/v1/lessons", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    if response.status_code >= 400:
        raise DomainError(code=response.json()["code"])


def _idempotency_key_reused():
    learner = student()
    post_with_key(learner, "key-1", day=3)
    post_with_key(learner, "key-1", day=4)


def _idempotency_key_in_use():
    from cplatform.models import IdempotencyKey

    learner = student()
    IdempotencyKey.objects.create(user_id=learner.pk, key="key-1", fingerprint="running")
    post_with_key(learner, "key-1", day=3)


def _admin_not_blockable():
    from inbox.safety.services import user_block
    from tests.authentication.factories import AdminFactory

    user_block(actor=student(), user_id=AdminFactory().pk)


def reported_message_of_a_student():
    from inbox.safety.models import MessageReport
    from tests.authentication.factories import AdminFactory
    from tests.inbox.safety_people import write

    learner = student()
    report = MessageReport.objects.create(
        message=write(AdminFactory(), learner, "Hello"), reporter=learner, reason="spam"
    )
    return learner, report


def _already_reported():
    from inbox.safety.services import message_report

    learner, report = reported_message_of_a_student()
    message_report(actor=learner, message_id=report.message_id, reason="spam")


def _report_not_open():
    from inbox.safety.services import report_dismiss

    _learner, report = reported_message_of_a_student()
    admin = report.message.sender
    report_dismiss(actor=admin, report_id=report.pk)
    report_dismiss(actor=admin, report_id=report.pk)


def _recipient_not_allowed():
    from inbox.messaging.services import message_send

    message_send(sender=StudentFactory(), recipient_id=StudentFactory().pk, subject="Hi", body="?")


def _room_member_not_allowed():
    from inbox.rooms.services import group_room_create

    group_room_create(actor=bookable_teacher().user, name="Club", member_ids=[StudentFactory().pk])


def _course_room_managed():
    from inbox.rooms.services import course_room_open, group_room_delete

    teacher = bookable_teacher().user
    room = course_room_open(actor=teacher, course=CourseFactory(owner=teacher))
    group_room_delete(actor=teacher, room=room)


def _room_message_deleted():
    from inbox.rooms.services import course_room_open, room_message_delete, room_message_edit
    from inbox.rooms.services import room_message_post as post

    teacher = bookable_teacher().user
    room = course_room_open(actor=teacher, course=CourseFactory(owner=teacher))
    message = post(actor=teacher, room=room, body="Hi")
    room_message_delete(actor=teacher, message=message)
    room_message_edit(actor=teacher, message=message, body="Back")


def attach_check(*files):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inbox.attachments.validators import attachments_check

    attachments_check([SimpleUploadedFile(name, content) for name, content in files])


def _too_many_files():
    attach_check(*[(f"n{i}.txt", b"hi\n") for i in range(4)])


def _file_too_large():
    from django.test import override_settings

    with override_settings(INBOX_ATTACHMENT_MAX_BYTES=10):
        attach_check(("big.txt", b"x" * 11))


def _invalid_file_type():
    attach_check(("invoice.pdf", b"MZ\x90\x00\x03\x00"))


# Billing (billing/services.py).
def billing_course_order(price="30"):
    from billing.services import Line, order_create

    course = CourseFactory(price=Decimal(price))
    learner = StudentFactory()
    enrollment = EnrollmentFactory(course=course, student=learner, status=EnrollmentStatus.PENDING)
    return order_create(
        actor=learner,
        student=learner,
        kind=OrderKind.COURSE,
        method="manual",
        currency="EUR",
        lines=[Line(description="Course", unit_price=course.price)],
        course=course,
        enrollment=enrollment,
    )


def _already_ordered():

    lesson = book(bookable_teacher(), student())
    for _ in range(2):
        order_create(
            actor=lesson.student,
            student=lesson.student,
            kind="lesson",
            method="manual",
            currency="EUR",
            lines=[Line(description="Lesson", unit_price=Decimal("20"), lesson=lesson)],
        )


def _payment_mismatch():

    order = billing_course_order()
    order_fulfil(order_id=order.pk, method="manual", amount=Decimal("1"), currency="EUR")


def _order_paid():

    order = billing_course_order()
    order_fulfil(order_id=order.pk, method="manual", amount=order.total, currency="EUR")
    order_cancel(actor=order.payer, order=order)


def _not_manual():

    order = billing_course_order()
    order.method = "stripe"
    order.save(update_fields=["method"])
    manual_payment_record(actor=AdminFactory(), order=order)


def _refund_too_large():

    order = billing_course_order()
    payment = order_fulfil(
        order_id=order.pk, method="manual", amount=order.total, currency="EUR"
    ).payment
    refund_create(payment=payment, amount=Decimal("31"), reason="admin", cause="admin:x")


def _hold_expired_slot_taken():
    teacher, learner, other = bookable_teacher(), student(), student()
    held = book(teacher, learner, hold=True)
    lessons_hold_expire_due(now=held.hold_expires_at)
    book(teacher, other)
    lesson_hold_confirm(lessons=[held])


def _lesson_not_held():
    teacher, learner = bookable_teacher(), student()
    held = book(teacher, learner, hold=True)
    lesson_cancel(lesson=held, actor=learner)
    lesson_hold_confirm(lessons=[held])


def _lesson_not_confirmed():
    teacher, learner = bookable_teacher(), student()
    held = book(teacher, learner, hold=True)
    lesson_hold_expire(lesson=held, now=held.hold_expires_at)
    lesson_update(actor=teacher.user, lesson=held, data={"notes": "x"})


def _enrollment_expired():
    enrollment = enrollment_create(actor=StudentFactory(), course=CourseFactory(price=50))
    enrollment_release_unpaid(enrollment=enrollment, now=enrollment.payment_due_by)
    enrollment_activate(actor=None, enrollment=enrollment)


# billing (policy): credits and subscriptions


def _no_credit():
    from billing.policy import lesson_pay_with_credit

    teacher, learner = bookable_teacher(), student()
    lesson = book(teacher, learner, hold=True)
    lesson_pay_with_credit(actor=learner, lessons=[lesson])


def _nothing_to_pay():
    from billing.policy import lesson_pay_with_credit

    lesson_pay_with_credit(actor=student(), lessons=[])


def policy_plan():
    from billing.models import Plan

    return Plan.objects.create(
        name="Plan", teacher=bookable_teacher().user, credits_per_month=4, price=Decimal("80")
    )


def _already_subscribed():
    from billing.plans.services import subscription_start
    from billing.services import manual_payment_record

    plan, learner = policy_plan(), student()
    order = subscription_start(actor=learner, plan=plan, student=learner, method="manual")
    manual_payment_record(actor=AdminFactory(), order=order)
    subscription_start(actor=learner, plan=plan, student=learner, method="manual")


def _subscription_not_active():
    from billing.plans.services import subscription_pause, subscription_start

    plan, learner = policy_plan(), student()
    subscription_start(actor=learner, plan=plan, student=learner, method="manual")
    subscription_pause(actor=learner, subscription=plan.subscriptions.get())


# billing (orders, refunds, Stripe): the stripe engineer's cases


def held_lesson_order(method="manual", learner=None):
    from billing.services import Line, order_create

    teacher, learner = bookable_teacher(), learner or student()
    lesson = book(teacher, learner, hold=True)
    line = Line(description="Lesson", unit_price=lesson.price, lesson=lesson)
    order = order_create(
        actor=learner,
        student=learner,
        kind="lesson",
        method=method,
        currency=lesson.currency,
        teacher=teacher.user,
        lines=[line],
    )
    return order, line


def _already_ordered():
    from billing.services import order_create

    order, line = held_lesson_order()
    order_create(
        actor=order.payer,
        student=order.student,
        kind="lesson",
        method="manual",
        currency=order.currency,
        lines=[line],
    )


def _payment_mismatch():
    from billing.services import order_fulfil

    order, _line = held_lesson_order(method="stripe")
    order_fulfil(
        order_id=order.pk, method="stripe", amount=order.total + 1, currency=order.currency
    )


def _order_paid():
    from billing.services import manual_payment_record, order_cancel

    order, _line = held_lesson_order()
    manual_payment_record(actor=AdminFactory(), order=order)
    order_cancel(actor=order.payer, order=order)


def _not_manual():
    from billing.services import manual_payment_record

    order, _line = held_lesson_order(method="stripe")
    manual_payment_record(actor=AdminFactory(), order=order)


def _refund_too_large():
    from billing.services import manual_payment_record, refund_create

    order, _line = held_lesson_order()
    payment = manual_payment_record(actor=AdminFactory(), order=order).payment
    refund_create(payment=payment, amount=order.total + 1, reason="admin", cause="admin:too-much")


def _order_not_open():
    from billing.services import manual_payment_record
    from billing.stripe.client import checkout_session_for

    order, _line = held_lesson_order()
    manual_payment_record(actor=AdminFactory(), order=order)
    order.refresh_from_db()
    checkout_session_for(order, success_url="https://x.test/ok", cancel_url="https://x.test/no")


def _stripe_disabled():
    from billing.stripe.client import checkout_session_for

    order, _line = held_lesson_order(method="stripe")  # the test settings carry the dummy keys
    checkout_session_for(order, success_url="https://x.test/ok", cancel_url="https://x.test/no")


# --- inbox leftovers of issue 13 -------------------------------------------------------------------


def _room_not_member():
    from inbox.rooms.services import course_room_open
    from inbox.rooms.services import room_message_post as post

    teacher = bookable_teacher().user
    room = course_room_open(actor=teacher, course=CourseFactory(owner=teacher))
    post(actor=AdminFactory(), room=room, body="Hi")


def _admin_cannot_block():
    from inbox.safety.services import user_block

    user_block(actor=AdminFactory(), user_id=student().pk)


CASES = {
    name.removeprefix("_"): case
    for name, case in list(globals().items())
    if name.startswith("_") and not name.startswith("__") and callable(case)
}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_error_code_is_reachable(code):
    case = CASES.get(code)
    assert case is not None, f"no case reaches the error code {code!r}: add _{code}() here"
    with pytest.raises(DomainError) as refusal:
        case()
    assert refusal.value.code == code, refusal.value.detail


def test_every_case_names_a_registered_code():
    assert set(CASES) <= set(CODES), set(CASES) - set(CODES)


def test_an_unregistered_code_cannot_be_raised():
    with pytest.raises(ValueError, match="Unknown error code"):
        DomainError(code="no_such_code")


def test_every_conflict_raised_in_the_apps_names_its_code():
    """Conflict has no default code (a 409 always says which conflict), so one constructed without
    `code=` would fail at run time: read every app module and find none."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    apps = [
        "cplatform",
        "catalog",
        "authentication",
        "courses",
        "classroom",
        "home",
        "blog",
        "faq",
        "billing",
    ]
    missing = []
    for app in apps:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Conflict"
                    and not any(k.arg == "code" for k in node.keywords)
                ):
                    missing.append(f"{path.relative_to(root)}:{node.lineno}")
    assert missing == []


# --- billing papers (billing/papers) and the core refusals its admin API answers -----------------


def _billing_refund(order, amount):
    from billing.choices import RefundReason
    from billing.services import refund_create

    return refund_create(
        payment=order.payments.get(), amount=amount, reason=RefundReason.ADMIN, cause="codes"
    )


def _billing_refund_too_large():
    from tests.billing.factories_papers import paid_course_order

    _billing_refund(paid_course_order(price=Decimal("10.00")), Decimal("10.01"))


def _billing_not_manual():
    from billing.papers.services import manual_invoice_issue
    from tests.billing.test_papers_numbering import card_order

    manual_invoice_issue(order=card_order(1))


def _billing_invalid_amount():
    from billing.papers.services import parse_amount

    parse_amount("12.345")


def _billing_not_refundable():
    from billing.papers.services import admin_refund_create
    from tests.billing.factories_papers import paid_course_order

    order = paid_course_order(price=Decimal("10.00"))
    _billing_refund(order, Decimal("10.00"))
    admin = AdminFactory()
    admin_refund_create(actor=admin, payment=order.payments.get(), amount="1", note="Again")


def _billing_not_an_invoice():
    from billing.papers.services import admin_invoice_mark_paid
    from tests.billing.factories_papers import paid_course_order

    refund = _billing_refund(paid_course_order(), Decimal("1.00"))
    admin_invoice_mark_paid(actor=AdminFactory(), invoice=refund.credit_note)


def _billing_invoice_void():
    from billing.papers.services import admin_invoice_mark_paid
    from billing.services import order_cancel
    from tests.billing.factories_papers import course_order

    order = course_order()
    order_cancel(actor=None, order=order)
    admin_invoice_mark_paid(actor=AdminFactory(), invoice=order.invoices.get())


# --- billing, front (issue 14): checkout's refusals ------------------------------------------------


def _billing_nothing_to_pay():
    from tests.billing.factories_front import pending_enrollment

    enrollment = pending_enrollment(price="30")
    type(enrollment.course).objects.filter(pk=enrollment.course_id).update(price=0)
    enrollment.course.refresh_from_db()
    from billing.checkout.services import checkout_course

    checkout_course(actor=enrollment.student, enrollment=enrollment)


def _billing_already_ordered():
    from billing.checkout.services import checkout_lessons
    from tests.billing.factories_front import held_lessons

    first, second = held_lessons(count=2)
    checkout_lessons(actor=first.student, lessons=[first, second])
    checkout_lessons(actor=first.student, lessons=[first])


def _billing_method_unavailable():
    from billing.checkout.services import checkout_course
    from tests.billing.factories_front import pending_enrollment

    enrollment = pending_enrollment()
    checkout_course(actor=enrollment.student, enrollment=enrollment, method="stripe")


def _billing_coupon_invalid():
    from billing.checkout.services import checkout_course
    from tests.billing.factories_front import pending_enrollment

    enrollment = pending_enrollment()
    checkout_course(actor=enrollment.student, enrollment=enrollment, coupon_code="NO-SUCH")


def _billing_lesson_not_payable():
    from billing.checkout.services import checkout_lessons

    checkout_lessons(actor=StudentFactory(), lessons=[])


CASES.update(
    {
        name.removeprefix("_billing_"): case
        for name, case in list(globals().items())
        if name.startswith("_billing_")
        and name.removeprefix("_billing_") in CODES  # helpers of the billing cases are not codes
        and callable(case)
    }
)


def _no_homework():
    from classroom.teaching.services import homework_done_mark

    teacher, learner = bookable_teacher(), student()
    homework_done_mark(actor=learner, lesson=book(teacher, learner))


CASES["no_homework"] = _no_homework
