"""20 students try to take the last seat of a group session at the same moment (threads, each with its
own database connection, at the service level): exactly one seat, 19 × Conflict, nothing else.

Control: with the row locks off (`SCHEDULING_BOOKING_LOCK=False`, as the booking race control does)
the same count-then-write lets more than one student through, so the lock is what holds the limit.
The race is a matter of timing: the control tries up to CONTROL_ROUNDS fresh sessions.

The same over real HTTP: 50 students POST /api/v1/lessons/{id}/seat at once → 1 × 201, 49 × 409, and
its control without the lock overruns the limit over HTTP too."""

import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection
from django.test import override_settings

from classroom.models import LessonSeat
from classroom.teaching.services import seat_take
from cplatform.exceptions import Conflict
from tests import race
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.courses.factories import EnrollmentFactory
from tests.race import session_token, simultaneous_posts
from tests.teaching.factories import group_course, session

ATTEMPTS = 20
CONTROL_ROUNDS = 5

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the race test measures PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True),
]


def race_for_the_last_seat(day: int = 7) -> tuple[Counter, int]:
    """(outcomes, live seats) after ATTEMPTS students go for the last of 2 seats at once."""
    teacher = TeacherFactory()
    first = StudentFactory()
    course = group_course(teacher=teacher, students=[first], capacity=2)
    lesson = session(course=course, day=day)  # `first` holds one of the two seats
    racers = [StudentFactory() for _ in range(ATTEMPTS)]
    for student in racers:
        EnrollmentFactory(course=course, student=student)
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(student):
        try:
            barrier.wait(timeout=30)
            seat_take(actor=student, lesson=lesson, student=student)
            result = "seat"
        except Conflict:
            result = "conflict"
        except Exception as exc:  # noqa: BLE001 - any other outcome is what the test reports
            result = f"error: {exc!r}"
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(s,)) for s in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    live = LessonSeat.objects.filter(lesson=lesson, cancelled_at__isnull=True).count()
    return Counter(outcomes), live


def test_twenty_students_race_for_the_last_seat_and_exactly_one_gets_it():
    outcomes, live = race_for_the_last_seat()
    assert outcomes == {"seat": 1, "conflict": ATTEMPTS - 1}, outcomes
    assert live == 2


@override_settings(SCHEDULING_BOOKING_LOCK=False)
def test_control_without_the_lock_the_seat_limit_is_overrun():
    rounds = []
    for n in range(CONTROL_ROUNDS):
        outcomes, live = race_for_the_last_seat(day=7 + n)
        rounds.append((dict(outcomes), live))
        print(f"control round {n + 1}: {dict(outcomes)}, live seats {live} of 2")  # noqa: T201
        if live > 2:
            break
    assert any(live > 2 for _outcomes, live in rounds), rounds


# Over real HTTP: 50 students on their own connections, released together (tests/race.py).

wide_live_server = race.wide_live_server  # the fixture: a live server accepting 50 connections
HTTP_ATTEMPTS = 50


def _http_stampede(live_server_url: str, client, *, day: int = 7) -> tuple[Counter, list, int]:
    """(statuses, failures, live seats) after HTTP_ATTEMPTS students POST for the last of 2 seats."""
    teacher = TeacherFactory()
    first = StudentFactory()
    course = group_course(teacher=teacher, students=[first], capacity=2)
    lesson = session(course=course, day=day)  # `first` holds one of the two seats
    racers = [StudentFactory() for _ in range(HTTP_ATTEMPTS)]
    for student in racers:
        EnrollmentFactory(course=course, student=student)
    tokens = [session_token(client, s.email, n) for n, s in enumerate(racers)]

    statuses, failures = simultaneous_posts(
        live_server_url, f"/api/v1/lessons/{lesson.pk}/seat", {}, tokens
    )
    live = LessonSeat.objects.filter(lesson=lesson, cancelled_at__isnull=True).count()
    return statuses, failures, live


def test_fifty_students_racing_over_http_for_the_last_seat_leave_one_seated(
    wide_live_server, client
):
    statuses, failures, live = _http_stampede(wide_live_server, client)
    print(f"last session seat over HTTP: {dict(statuses)}, live seats {live} of 2")
    assert not failures, failures
    assert statuses == Counter({201: 1, 409: HTTP_ATTEMPTS - 1})
    assert live == 2


def test_control_over_http_without_the_lock_the_seat_limit_is_overrun(wide_live_server, client):
    """The same HTTP stampede with the row locks off: more than one student gets the last seat, so the
    test above passes because of the lock, not because the requests happen to arrive one by one."""
    rounds = []
    with override_settings(SCHEDULING_BOOKING_LOCK=False):
        for n in range(CONTROL_ROUNDS):
            statuses, failures, live = _http_stampede(wide_live_server, client, day=7 + n)
            rounds.append((dict(statuses), live))
            assert not failures, failures
            assert statuses[201] == live - 1  # every 201 is a seat: no answer lies
            if live > 2:
                break
    print(f"last session seat over HTTP without the lock, per round: {rounds}")
    assert rounds[-1][1] > 2, f"no round showed the race: {rounds}"
