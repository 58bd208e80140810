"""Lists make a constant, small number of queries however many rows there are (Zulip-style budgets).

Measured on PostgreSQL, anonymous unless said: /teachers/ 8 (also /es/teachers/ with every filter and a
search), /api/v1/teachers?limit=100 5, /api/v1/students?limit=100 as admin 5 with the session cookie
(6 with X-Session-Token), a teacher page 5 (no availability, no course; with both see tests/classroom/test_teacher_page.py). The same counts for 5 and for 100 teachers (50 students).
An N+1 makes the second run of a pair bigger than the first and fails with both query lists printed.
Budgets are upper bounds so that the shared base template may grow a little without breaking them.
"""

import itertools

import pytest

from tests.authentication.factories import PASSWORD, StudentFactory
from tests.classroom.factories import listed_teacher
from tests.query_budget import (
    QueryBudgetExceeded,
    assert_constant_queries,
    assert_max_queries,
    assert_page_queries,
    count_queries,
    html_rows,
    json_rows,
)

pytestmark = pytest.mark.django_db

DIRECTORY_BUDGET = 8  # teachers: count + page + subjects + levels + languages; filter choices: 3
API_TEACHERS_BUDGET = 5  # count + page + subjects + levels + languages
API_STUDENTS_BUDGET = 5  # session + user + roles + count + page
TEACHER_PAGE_BUDGET = 5  # profile (with is_listed) + subjects + levels + languages + their courses

SUBJECTS = ["mathematics", "physics", "chemistry", "biology", "english", "spanish", "piano"]
LEVELS = ["beginner", "elementary", "intermediate", "advanced"]
LANGUAGES = ["en", "es", "fr", "de"]
TEACHER_CARDS = html_rows('<li class="teacher-card card">')


def add_teachers(count: int, start: int = 0) -> None:
    """Listed teachers, each with three subjects, two levels and two languages."""
    for i in range(start, start + count):
        listed_teacher(
            first_name=f"Teacher{i:03d}",
            subjects=tuple(itertools.islice(itertools.cycle(SUBJECTS), i, i + 3)),
            levels=tuple(itertools.islice(itertools.cycle(LEVELS), i, i + 2)),
            languages=tuple(itertools.islice(itertools.cycle(LANGUAGES), i, i + 2)),
            rate=str(20 + i % 30),
        )


def test_the_directory_makes_the_same_queries_for_5_and_100_teachers(client):
    add_teachers(5)

    def load():
        return client.get("/teachers/")

    queries = assert_constant_queries(
        load, grow=lambda: add_teachers(95, start=5), budget=DIRECTORY_BUDGET, rows=TEACHER_CARDS
    )

    assert queries <= DIRECTORY_BUDGET
    assert "100 teachers found" in load().content.decode()


def test_the_filtered_spanish_directory_makes_the_same_queries_for_5_and_100_teachers(client):
    add_teachers(5)
    url = "/es/teachers/?subject=physics&language=es&level=beginner&min_price=0&max_price=99&q=teacher"

    queries = assert_constant_queries(
        lambda: client.get(url),
        grow=lambda: add_teachers(95, start=5),
        budget=DIRECTORY_BUDGET,
        rows=TEACHER_CARDS,
    )

    assert queries <= DIRECTORY_BUDGET


def test_the_teacher_api_makes_the_same_queries_for_5_and_100_teachers(client):
    add_teachers(5)

    def load():
        return client.get("/api/v1/teachers?limit=100")

    queries = assert_constant_queries(
        load, grow=lambda: add_teachers(95, start=5), budget=API_TEACHERS_BUDGET, rows=json_rows
    )

    assert queries <= API_TEACHERS_BUDGET
    body = load().json()
    assert body["count"] == len(body["items"]) == 100
    assert all(len(t["subjects"]) == 3 and len(t["languages"]) == 2 for t in body["items"])


@pytest.mark.parametrize(("auth", "budget"), [("session", API_STUDENTS_BUDGET), ("token", 6)])
def test_the_student_api_makes_the_same_queries_for_5_and_50_students_as_admin(
    client, people, auth, budget
):
    # `people` brings two students; top up to 5, then to 50.
    StudentFactory.create_batch(3)
    headers = {}
    if auth == "session":
        client.force_login(people.admin)
    else:
        login = client.post(
            "/_allauth/app/v1/auth/login",
            {"email": people.admin.email, "password": PASSWORD},
            content_type="application/json",
        )
        headers = {"HTTP_X_SESSION_TOKEN": login.json()["meta"]["session_token"]}
        client.logout()

    def load():
        return client.get("/api/v1/students?limit=100", **headers)

    queries = assert_constant_queries(
        load, grow=lambda: StudentFactory.create_batch(45), budget=budget, rows=json_rows
    )

    assert queries <= budget
    assert load().json()["count"] == 50


def test_a_teacher_page_stays_within_its_budget(client):
    add_teachers(1)
    profile = listed_teacher(
        first_name="Solo", subjects=tuple(SUBJECTS), languages=tuple(LANGUAGES)
    )
    assert_page_queries(
        lambda: client.get(f"/teachers/{profile.slug}/"),
        budget=TEACHER_PAGE_BUDGET,
        contains=["<h1>Solo ", *(f">{s.capitalize()}<" for s in ("piano", "physics"))],
    )


def test_the_budget_helper_fails_on_an_n_plus_one_and_lists_the_queries():
    from classroom.models import TeacherProfile

    add_teachers(2)

    def n_plus_one():
        return [list(p.subjects.all()) for p in TeacherProfile.objects.all()]

    with pytest.raises(QueryBudgetExceeded) as caught:
        assert_constant_queries(
            n_plus_one, grow=lambda: add_teachers(1, start=2), expect_status=None, rows=len
        )
    assert "classroom_teacherprofile_subjects" in str(caught.value)

    with pytest.raises(QueryBudgetExceeded) as caught, assert_max_queries(1):
        n_plus_one()
    assert "expected at most 1" in str(caught.value)
    assert count_queries(n_plus_one)[0] == 4
