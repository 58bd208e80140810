"""Query budgets of a group course's sessions: GET /api/v1/courses/{id}/sessions and the page
/lessons/course/{id}/sessions/. The same queries for 3 sessions as for 30 (each with seats), each
answer a 200 whose rows grew with the data (tests/query_budget.py)."""

import itertools

import pytest

from tests.authentication.factories import StudentFactory
from tests.classroom.conftest import as_user
from tests.conftest import login_token
from tests.courses.factories import EnrollmentFactory
from tests.query_budget import assert_constant_queries, html_rows, json_rows
from tests.teaching.factories import group_course, session

pytestmark = pytest.mark.django_db

# Measured: 10 for the teacher, 11 for a student, 13 for a parent (whose children are looked up
# twice: once to find the course, once to show the seats).
# + 1 each: the homework marked done, prefetched for the whole page (issue 15)
SESSIONS_API_BUDGET = {"teacher": 11, "student_a": 12, "parent_of_a": 14}
SESSIONS_PAGE_BUDGET = 16


@pytest.fixture
def sessions(people):
    """(course, add(n)): a group course of people.teacher with student_a and two others enrolled."""
    course = group_course(
        teacher=people.teacher,
        students=[people.student_a, StudentFactory(), StudentFactory()],
        capacity=20,
    )
    slots = itertools.count()

    def add(n: int) -> None:
        for _ in range(n):
            slot = next(slots)
            session(course=course, day=2 + slot // 6, hour=8 + 2 * (slot % 6))
            EnrollmentFactory(course=course, student=StudentFactory())

    add(3)
    return course, add


@pytest.mark.parametrize("viewer", ["teacher", "student_a", "parent_of_a"])
def test_the_session_api_makes_the_same_queries_for_3_and_30_sessions(
    client, people, sessions, viewer
):
    course, add = sessions
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, getattr(people, viewer).email)}
    assert_constant_queries(
        lambda: client.get(f"/api/v1/courses/{course.pk}/sessions", {"limit": 100}, **headers),
        grow=lambda: add(27),
        budget=SESSIONS_API_BUDGET[viewer],
        rows=json_rows,
    )


@pytest.mark.parametrize("viewer", ["teacher", "student_a"])
def test_the_session_page_makes_the_same_queries_for_3_and_30_sessions(
    client, people, sessions, viewer
):
    course, add = sessions
    as_user(client, getattr(people, viewer))
    assert_constant_queries(
        lambda: client.get(f"/lessons/course/{course.pk}/sessions/"),
        grow=lambda: add(27),
        budget=SESSIONS_PAGE_BUDGET,
        rows=html_rows('<li class="card lesson">'),
    )
