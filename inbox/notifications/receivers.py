"""Who hears of what: receivers of the other apps' IN-TRANSACTION signals (and the inbox's own), so
each notification row (and its email) commits or rolls back with the event. Connected in
`inbox/apps.py`. People are read through the lower apps' selectors.

- Lessons booked / moved / cancelled: the other side of the lesson (its teacher; its student, or a
  group session's seated students), never the actor; each student's guardians get a copy (`child=`)
  unless they turned `children_lesson_changes` off.
- Attendance, notes, homework, materials: the lesson's students (the teacher wrote them).
- Enrolment confirmed / waitlisted / released unpaid: the student (and whoever enrolled them, when
  another person).
- A booking awaiting payment that expired unpaid: whoever booked it (the payer), and the student
  when a parent booked for them. A held booking that is cancelled tells nobody (nobody else heard of
  it: a held booking is not announced to the teacher until it is paid).
- Guardian invitation: the invited side, when they already have an account.
- Direct messages: the recipient; room mentions: each mentioned member.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse

from authentication.selectors import guardians_of
from authentication.signals import guardian_invited
from classroom.choices import LessonKind
from classroom.signals import (
    attendance_recorded,
    lesson_booked,
    lesson_cancelled,
    lesson_hold_expired,
    lesson_material_shared,
    lesson_notes_posted,
    lesson_rescheduled,
)
from classroom.teaching.selectors import student_list_for_lesson
from courses.signals import enrollment_activated, enrollment_expired, enrollment_waitlisted

from ..rooms.signals import room_message_posted
from ..signals import direct_message_sent
from .models import NotificationKind
from .services import notify, settings_of


def _path(name: str, **kwargs) -> str:
    """The (English) path of the page a notification leads to; shown in the reader's language."""
    return reverse(name, kwargs=kwargs)


def _lesson_data(lesson, **extra) -> dict:
    teacher = lesson.teacher.user
    data = {
        "lesson_id": lesson.pk,
        "start": lesson.start.isoformat(),
        "teacher_name": teacher.name,
        "teacher_user_id": teacher.pk,
        "student_name": lesson.student.name if lesson.student_id else "",
        "student_user_id": lesson.student_id,
        "course_title": lesson.course.title if lesson.course_id else "",
        "title": lesson.title or (lesson.course.title if lesson.course_id else ""),
        "group": lesson.kind == LessonKind.GROUP,
    }
    data.update(extra)
    return data


def _lesson_change(*, lesson, actor, kind: str, **extra) -> None:
    """The teacher and the students (not the actor), and each student's guardians who want it."""
    data = _lesson_data(lesson, **extra)
    url = _path("lesson-detail", lesson_id=lesson.pk)
    students = student_list_for_lesson(lesson=lesson)
    common = {"kind": kind, "actor": actor, "target": lesson, "url": url, "data": data}
    notify(recipient=lesson.teacher.user, **common)
    told = {lesson.teacher.user_id}
    for student in students:
        if student.pk not in told:
            notify(recipient=student, **common)
            told.add(student.pk)
    for student in students:
        for guardian in guardians_of(child=student):
            if guardian.pk in told or not settings_of(guardian).children_lesson_changes:
                continue
            notify(recipient=guardian, child=student, **common)
            told.add(guardian.pk)


@receiver(lesson_booked, dispatch_uid="inbox.notify.lesson_booked")
def on_lesson_booked(sender, lesson, actor, **kwargs):
    _lesson_change(lesson=lesson, actor=actor, kind=NotificationKind.LESSON_BOOKED)


@receiver(lesson_rescheduled, dispatch_uid="inbox.notify.lesson_rescheduled")
def on_lesson_rescheduled(sender, lesson, actor, previous_start, **kwargs):
    _lesson_change(
        lesson=lesson,
        actor=actor,
        kind=NotificationKind.LESSON_RESCHEDULED,
        previous_start=previous_start.isoformat(),
    )


@receiver(lesson_cancelled, dispatch_uid="inbox.notify.lesson_cancelled")
def on_lesson_cancelled(sender, lesson, actor, was_held=False, **kwargs):
    if was_held:
        return
    _lesson_change(
        lesson=lesson,
        actor=actor,
        kind=NotificationKind.LESSON_CANCELLED,
        reason=lesson.cancellation_reason,
        late=bool(lesson.cancelled_late),
    )


def _to_students(*, lesson, actor, kind: str, **extra) -> None:
    common = {
        "kind": kind,
        "actor": actor,
        "target": lesson,
        "url": _path("lesson-detail", lesson_id=lesson.pk),
        "data": _lesson_data(lesson, **extra),
    }
    for student in student_list_for_lesson(lesson=lesson):
        notify(recipient=student, **common)


@receiver(attendance_recorded, dispatch_uid="inbox.notify.attendance_recorded")
def on_attendance_recorded(sender, lesson, attendances, actor, **kwargs):
    marks = {a.student_id: a.status for a in attendances}
    url = _path("lesson-detail", lesson_id=lesson.pk)
    for student in student_list_for_lesson(lesson=lesson):
        if student.pk not in marks:
            continue
        notify(
            recipient=student,
            kind=NotificationKind.ATTENDANCE_RECORDED,
            actor=actor,
            target=lesson,
            url=url,
            data=_lesson_data(lesson, status=str(marks[student.pk])),
        )


@receiver(lesson_notes_posted, dispatch_uid="inbox.notify.lesson_notes_posted")
def on_lesson_notes_posted(sender, lesson, actor, fields, **kwargs):
    fields = set(fields or ())
    if fields & {"homework", "homework_due"} and lesson.homework:
        due = lesson.homework_due.isoformat() if getattr(lesson, "homework_due", None) else ""
        _to_students(
            lesson=lesson, actor=actor, kind=NotificationKind.HOMEWORK_SET, homework_due=due
        )
    if "notes" in fields and lesson.notes:
        _to_students(lesson=lesson, actor=actor, kind=NotificationKind.LESSON_NOTES)


@receiver(lesson_material_shared, dispatch_uid="inbox.notify.lesson_material_shared")
def on_lesson_material_shared(sender, lesson, material, actor, **kwargs):
    _to_students(
        lesson=lesson,
        actor=actor,
        kind=NotificationKind.MATERIAL_SHARED,
        material_title=material.title,
    )


def _enrollment(enrollment, kind: str) -> None:
    course = enrollment.course
    common = {
        "kind": kind,
        "actor": None,
        "target": enrollment,
        "url": course.get_absolute_url(),
        "data": {"course_title": course.title, "student_name": enrollment.student.name},
    }
    notify(recipient=enrollment.student, **common)
    by = enrollment.enrolled_by
    if by is not None and by.pk != enrollment.student_id:
        notify(recipient=by, child=enrollment.student, **common)


@receiver(enrollment_activated, dispatch_uid="inbox.notify.enrollment_activated")
def on_enrollment_activated(sender, enrollment, **kwargs):
    _enrollment(enrollment, NotificationKind.ENROLLMENT_CONFIRMED)


@receiver(enrollment_expired, dispatch_uid="inbox.notify.enrollment_expired")
def on_enrollment_expired(sender, enrollment, **kwargs):
    _enrollment(enrollment, NotificationKind.ENROLLMENT_EXPIRED)


@receiver(lesson_hold_expired, dispatch_uid="inbox.notify.lesson_hold_expired")
def on_lesson_hold_expired(sender, lesson, **kwargs):
    """Sent inside the expiry's transaction (as every notification here), so the sweep run twice
    still tells the payer once."""
    common = {
        "kind": NotificationKind.LESSON_HOLD_EXPIRED,
        "actor": None,
        "target": lesson,
        "url": _path("lesson-detail", lesson_id=lesson.pk),
        "data": _lesson_data(lesson),
    }
    booker = lesson.booked_by
    if lesson.student_id and lesson.student_id != booker.pk:
        notify(recipient=booker, child=lesson.student, **common)
        notify(recipient=lesson.student, **common)
    else:
        notify(recipient=booker, **common)


@receiver(enrollment_waitlisted, dispatch_uid="inbox.notify.enrollment_waitlisted")
def on_enrollment_waitlisted(sender, enrollment, **kwargs):
    _enrollment(enrollment, NotificationKind.ENROLLMENT_WAITLISTED)


@receiver(guardian_invited, dispatch_uid="inbox.notify.guardian_invited")
def on_guardian_invited(sender, link, actor, **kwargs):
    invited = get_user_model().objects.filter(email__iexact=link.invited_email).first()
    if invited is None:
        return  # they learn of it by the invitation email and see it once they sign up
    notify(
        recipient=invited,
        kind=NotificationKind.GUARDIAN_REQUEST,
        actor=actor,
        target=link,
        url=_path("guardians"),
        data={"as_role": link.invited_role},
        by_email=False,  # the invitation is an email of its own (authentication sends it)
    )


@receiver(direct_message_sent, dispatch_uid="inbox.notify.direct_message_sent")
def on_direct_message_sent(sender, message, actor=None, **kwargs):
    actor = actor or message.sender
    thread_id = message.thread_id or message.pk
    notify(
        recipient=message.recipient,
        kind=NotificationKind.DIRECT_MESSAGE,
        actor=actor,
        target=message,
        url=_path("message-thread", thread_id=thread_id),
        data={"subject": message.subject, "thread_id": thread_id},
    )


@receiver(room_message_posted, dispatch_uid="inbox.notify.room_message_posted")
def on_room_message_posted(sender, message, actor, mentioned=(), **kwargs):
    if not mentioned:
        return
    room = message.room
    name = room.name or (room.course.title if room.course_id else "")
    url = _path("room-detail", room_id=room.pk)
    people = get_user_model().objects.filter(pk__in=list(mentioned))
    for person in people:
        notify(
            recipient=person,
            kind=NotificationKind.MENTION,
            actor=actor,
            target=message,
            url=url,
            data={"room_name": name, "room_id": room.pk, "excerpt": message.body[:140]},
        )


# --- billing (issue 14): payments received and failed, refunds --------------------------------------
# The payer hears of it; when they paid for a child, the child too (and the payer's copy names the
# child). In the paying transaction, as every notification here: a replayed webhook that pays nothing
# new announces nothing, so nobody is told twice.

from billing.choices import ReminderStage  # noqa: E402
from billing.signals import (  # noqa: E402
    invoice_reminded,
    payment_failed,
    payment_received,
    refund_issued,
)


def _order_data(order, amount, currency, **extra) -> dict:
    lines = list(order.lines.all()[:2])
    what = order.course.title if order.course_id else (lines[0].description if lines else "")
    return {
        "order_id": order.pk,
        "amount": f"{amount} {currency}",
        "what": what,
        "student_name": order.student.name,
        **extra,
    }


def _tell_payer(order, *, kind: str, data: dict, target) -> None:
    common = {
        "kind": kind,
        "actor": None,
        "target": target,
        "url": _path("billing-order", order_id=order.pk),
        "data": data,
    }
    if order.student_id != order.payer_id:
        notify(recipient=order.payer, child=order.student, **common)
        notify(recipient=order.student, **common)
    else:
        notify(recipient=order.payer, **common)


@receiver(payment_received, dispatch_uid="inbox.notify.payment_received")
def on_payment_received(sender, order, payment, **kwargs):
    if payment.amount <= 0:
        return  # a coupon made it free: nothing was paid
    data = _order_data(order, payment.amount, payment.currency)
    _tell_payer(order, kind=NotificationKind.PAYMENT_RECEIVED, data=data, target=order)


@receiver(payment_failed, dispatch_uid="inbox.notify.payment_failed")
def on_payment_failed(sender, order, reason="", **kwargs):
    data = _order_data(order, order.total, order.currency, reason=str(reason or ""))
    _tell_payer(order, kind=NotificationKind.PAYMENT_FAILED, data=data, target=order)


@receiver(refund_issued, dispatch_uid="inbox.notify.refund_issued")
def on_refund_issued(sender, refund, **kwargs):
    order = refund.payment.order
    data = _order_data(order, refund.amount, refund.currency, reason=refund.get_reason_display())
    _tell_payer(order, kind=NotificationKind.REFUND_ISSUED, data=data, target=refund)


@receiver(invoice_reminded, dispatch_uid="inbox.notify.invoice_reminded")
def on_invoice_reminded(sender, invoice, stage, **kwargs):
    """The payer's feed shows the reminder billing mailed (with the bank details): no second email."""
    order = invoice.order
    data = _order_data(
        order,
        invoice.total,
        invoice.currency,
        number=invoice.number,
        due_at=invoice.due_at.isoformat(),
        overdue=stage == ReminderStage.OVERDUE,
    )
    notify(
        recipient=invoice.payer,
        kind=NotificationKind.PAYMENT_REMINDER,
        actor=None,
        target=invoice,
        url=_path("billing-order", order_id=order.pk),
        data=data,
        by_email=False,
    )
