"""Query budgets of the enrolment and material lists: GET /api/v1/enrollments, GET /api/v1/materials
and the page that shows both, /courses/mine/. The same queries for a few rows as for many, each answer
a 200 whose rows grew with the data (tests/query_budget.py)."""

import itertools

import pytest

from tests.classroom.conftest import as_user
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory, MaterialFactory, ModuleFactory
from tests.query_budget import assert_constant_queries, html_rows, json_rows

pytestmark = pytest.mark.django_db

ENROLLMENTS_API_BUDGET = 8
MATERIALS_API_BUDGET = 8
MY_COURSES_BUDGET = 14

numbers = itertools.count()


def auth(client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email)}


def enrol(student, teacher, n: int, *, materials: int = 0) -> None:
    """`n` courses of `teacher` (each with a module) that `student` is actively enrolled in, each
    with `materials` released materials, some in the module."""
    for _ in range(n):
        course = CourseFactory(owner=teacher, title=f"Course {next(numbers)}")
        module = ModuleFactory(course=course)
        EnrollmentFactory(course=course, student=student)
        for m in range(materials):
            MaterialFactory(course=course, module=module if m % 2 else None)


@pytest.mark.parametrize("viewer", ["student_a", "parent_of_a", "teacher"])
def test_the_enrolment_api_makes_the_same_queries_for_3_and_30_enrolments(client, people, viewer):
    enrol(people.student_a, people.teacher, 3)
    headers = auth(client, getattr(people, viewer))
    assert_constant_queries(
        lambda: client.get("/api/v1/enrollments", {"limit": 100}, **headers),
        grow=lambda: enrol(people.student_a, people.teacher, 27),
        budget=ENROLLMENTS_API_BUDGET,
        rows=json_rows,
    )


@pytest.mark.parametrize("viewer", ["student_a", "parent_of_a", "teacher"])
def test_the_material_api_makes_the_same_queries_for_4_and_40_materials(client, people, viewer):
    enrol(people.student_a, people.teacher, 2, materials=2)
    headers = auth(client, getattr(people, viewer))
    assert_constant_queries(
        lambda: client.get("/api/v1/materials", {"limit": 100}, **headers),
        grow=lambda: enrol(people.student_a, people.teacher, 9, materials=4),
        budget=MATERIALS_API_BUDGET,
        rows=json_rows,
    )


@pytest.mark.parametrize("viewer", ["student_a", "parent_of_a"])
def test_my_courses_makes_the_same_queries_for_few_and_many_enrolments_and_materials(
    client, people, viewer
):
    enrol(people.student_a, people.teacher, 2, materials=2)
    as_user(client, getattr(people, viewer))
    enrolments = html_rows('<form method="post" action="/courses/enrollments/')
    materials = html_rows("<li>\n    <strong>")
    assert_constant_queries(
        lambda: client.get("/courses/mine/"),
        grow=lambda: enrol(people.student_a, people.teacher, 18, materials=3),
        budget=MY_COURSES_BUDGET,
        rows=lambda r: enrolments(r) + materials(r),
    )
