"""Two payers spend the student's last credit at the same moment (two parents, two tabs): the
student's row lock orders them, so one pays and the other is refused `no_credit`; the ledger never
goes below zero."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from billing.choices import LedgerCause
from billing.models import CreditEntry
from billing.policy import lesson_pay_with_credit
from billing.services import credit_balance
from classroom.choices import LessonStatus
from classroom.models import Lesson
from cplatform.exceptions import DomainError
from tests.billing.factories_policy import held_lesson, paid_package
from tests.booking.factories import bookable_teacher, student


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_credit_payments_spend_one_credit_once():
    teacher, learner = bookable_teacher(lesson_lengths=[60]), student()
    paid_package(teacher, learner, lessons=1)
    lessons = [held_lesson(teacher, learner, day=d) for d in (3, 4)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay(lesson):
        try:
            barrier.wait(timeout=10)
            lesson_pay_with_credit(actor=learner, lessons=[Lesson.objects.get(pk=lesson.pk)])
            outcomes.append("paid")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(lesson,)) for lesson in lessons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["no_credit", "paid"]
    assert credit_balance(student_id=learner.pk, teacher_id=teacher.user_id, currency="EUR") == 0
    assert CreditEntry.objects.filter(cause=LedgerCause.LESSON_BOOKED).count() == 1
    statuses = sorted(
        Lesson.objects.filter(pk__in=[x.pk for x in lessons]).values_list("status", flat=True)
    )
    assert statuses == sorted([LessonStatus.HELD, LessonStatus.SCHEDULED])
