"""50 students try to take the last seat of a group course at the same moment, over real HTTP against a
live server (threads, one connection each, released together by a barrier).

The documented behaviour (POST /api/v1/enrollments): a full course answers 409 unless `waitlist` is
true, in which case the student joins the waitlist. With the lock on the course row: exactly one
student gets the seat, the 49 others get 409 (or, asking for the waitlist, 49 waitlisted in the order
the lock admitted them), no 5xx, and the seats never exceed the capacity.

Control: with the lock off (COURSES_ENROLLMENT_LOCK = False) the same count-then-insert lets more
students in than there are seats — the race is real, and the lock is what stops it. The race is a
matter of timing, so the control tries up to CONTROL_ROUNDS fresh courses until one overbooks.
"""

from collections import Counter

import pytest
from django.db import connection
from django.test import override_settings

from courses.choices import SEAT_STATUSES, EnrollmentStatus
from courses.models import Enrollment
from courses.services import enrollment_withdraw
from tests import race
from tests.booking.factories import student
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.race import session_token, simultaneous_posts

ATTEMPTS = 50

wide_live_server = race.wide_live_server  # the fixture: a live server accepting 50 connections
CAPACITY = 5
CONTROL_ROUNDS = 5

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the race test measures PostgreSQL"
)


def _course_with_one_seat_left():
    course = CourseFactory(capacity=CAPACITY)
    for _ in range(CAPACITY - 1):
        EnrollmentFactory(course=course)
    return course


def _stampede(live_server_url: str, client, *, waitlist: bool = False):
    """Log 50 fresh students in first (tokens), then release their enrolments together."""
    course = _course_with_one_seat_left()
    tokens = [session_token(client, student().email, n) for n in range(ATTEMPTS)]
    statuses, failures = simultaneous_posts(
        live_server_url,
        "/api/v1/enrollments",
        {"course_id": course.pk, "waitlist": waitlist},
        tokens,
    )
    seats = Enrollment.objects.filter(course=course, status__in=SEAT_STATUSES).count()
    return course, statuses, failures, seats


@pytest.mark.django_db(transaction=True)
def test_fifty_students_racing_for_the_last_seat_leave_one_enrolled_and_49_refused(
    wide_live_server, client
):
    course, statuses, failures, seats = _stampede(wide_live_server, client)
    print(f"last seat with the lock: {dict(statuses)}, seats={seats}/{CAPACITY}")
    assert not failures, failures
    assert statuses == Counter({201: 1, 409: ATTEMPTS - 1})
    assert seats == CAPACITY
    assert not Enrollment.objects.filter(course=course, status=EnrollmentStatus.WAITLISTED).exists()


@pytest.mark.django_db(transaction=True)
def test_racing_for_the_last_seat_with_waitlist_gives_one_seat_and_an_ordered_waitlist(
    wide_live_server, client
):
    course, statuses, failures, seats = _stampede(wide_live_server, client, waitlist=True)
    print(f"last seat with the lock, waitlist on: {dict(statuses)}, seats={seats}/{CAPACITY}")
    assert not failures, failures
    assert statuses == Counter({201: ATTEMPTS})
    assert seats == CAPACITY
    racers = list(
        Enrollment.objects.filter(course=course)
        .exclude(pk__in=Enrollment.objects.filter(course=course).order_by("pk")[: CAPACITY - 1])
        .order_by("pk")
    )
    assert [e.status for e in racers] == [EnrollmentStatus.ACTIVE] + [
        EnrollmentStatus.WAITLISTED
    ] * (ATTEMPTS - 1)
    # The lock admitted them one at a time: insertion order (pk) and the time each was written agree,
    # so the waitlist's order (created_at, pk) is the order the lock admitted them, without ties.
    assert [e.created_at for e in racers] == sorted(e.created_at for e in racers)
    waiting = list(
        Enrollment.objects.filter(course=course, status=EnrollmentStatus.WAITLISTED).order_by(
            "created_at", "pk"
        )
    )
    assert waiting == racers[1:]
    # A freed seat goes to the first in line, and only to them.
    enrollment_withdraw(actor=racers[0].student, enrollment=racers[0])
    statuses_now = dict(
        Enrollment.objects.filter(pk__in=[waiting[0].pk, waiting[1].pk]).values_list("pk", "status")
    )
    assert statuses_now == {
        waiting[0].pk: EnrollmentStatus.ACTIVE,
        waiting[1].pk: EnrollmentStatus.WAITLISTED,
    }


@pytest.mark.django_db(transaction=True)
def test_control_without_the_course_lock_the_race_overbooks(wide_live_server, client):
    rounds = []
    with override_settings(COURSES_ENROLLMENT_LOCK=False):
        for _ in range(CONTROL_ROUNDS):
            _course, statuses, failures, seats = _stampede(wide_live_server, client)
            rounds.append((dict(statuses), seats))
            assert not failures, failures
            assert statuses[201] == seats - (CAPACITY - 1)
            if seats > CAPACITY:
                break
    print(f"last seat without the lock, per round (statuses, seats of {CAPACITY}): {rounds}")
    assert rounds[-1][1] > CAPACITY, f"no round showed the race: {rounds}"
