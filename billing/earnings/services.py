"""What teachers earn: a delivered lesson (completed, missed by the student, or cancelled late: the
charge is kept) earns its teacher the lesson's paid value after the platform's commission, once per
lesson; a course earns at payment (`billing.fulfilment`). Payouts are recorded by an admin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from authentication.models import User
from authentication.roles import is_admin, is_teacher
from catalog.choices import Currency
from classroom.choices import LessonKind
from classroom.models import Lesson
from cplatform.exceptions import PermissionDenied, ValidationFailed

from ..models import CreditEntry, EarningEntry, Payout
from ..policy import booked_key, lesson_paid_line
from ..services import earning_record, money


def earned_key(lesson_id: int) -> str:
    return f"lesson:{lesson_id}:earned"


def lesson_paid_value(lesson: Lesson) -> tuple[Decimal, str, object] | None:
    """(gross, currency, order) the lesson was paid with: the credit's unit value for a lesson paid
    with a credit (package, subscription), the order line's amount for one paid with money; None
    when nothing was paid through the site."""
    debit = CreditEntry.objects.filter(cause_key=booked_key(lesson.pk)).first()
    if debit is not None:
        return debit.unit_value, debit.currency, debit.order
    line = lesson_paid_line(lesson)
    if line is not None:
        return line.amount, line.order.currency, line.order
    return None


def lesson_earn(*, lesson: Lesson) -> EarningEntry | None:
    """Record what the delivered (or charged) 1:1 lesson earned its teacher; once per lesson."""
    if lesson.kind != LessonKind.PRIVATE or lesson.student_id is None:
        return None
    paid = lesson_paid_value(lesson)
    if paid is None or paid[0] <= 0:
        return None
    gross, currency, order = paid
    student = lesson.student
    return earning_record(
        teacher=lesson.teacher.user,
        currency=currency,
        gross=gross,
        description=_("Lesson on %(date)s with %(name)s")
        % {"date": lesson.start.date().isoformat(), "name": student.name or student.email},
        cause_key=earned_key(lesson.pk),
        order=order,
        lesson=lesson,
        earned_at=lesson.start,
    )


def payout_record(
    *,
    actor: User,
    teacher: User,
    currency: str,
    amount,
    period_start: date,
    period_end: date,
    note: str = "",
) -> Payout:
    """An admin records money paid to a teacher (outside the platform) for a period."""
    if not is_admin(actor):
        raise PermissionDenied(_("Only an admin records a payout."))
    errors: dict[str, list[str]] = {}
    if not is_teacher(teacher):
        errors["teacher"] = [_("Choose a teacher.")]
    if currency not in Currency.values:
        errors["currency"] = [_("Choose a currency.")]
    try:
        amount = money(amount)
    except (ArithmeticError, TypeError, ValueError):
        amount = Decimal("0")
    if amount <= 0:
        errors["amount"] = [_("Enter an amount above zero.")]
    if period_end < period_start:
        errors["period_end"] = [_("The period ends before it starts.")]
    note = (note or "").strip()
    if len(note) > 300 or any(ord(c) < 32 for c in note):
        errors["note"] = [_("A note is one line of at most 300 characters.")]
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        return Payout.objects.create(
            teacher=teacher,
            currency=currency,
            amount=amount,
            period_start=period_start,
            period_end=period_end,
            note=note,
            recorded_by=actor,
        )
