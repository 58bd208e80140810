"""Query budget of GET /api/v1/my-students (the teacher's students: lessons or enrolments with them).
The same queries for 5 students as for 50, each answer a 200 whose rows grew with the data
(tests/query_budget.py). The page's list, the teacher's /progress/, has its budget in test_pages.py."""

import pytest

from tests.authentication.factories import StudentFactory
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.progress.factories import LessonFactory
from tests.progress.scenario import hours_from_now
from tests.query_budget import assert_constant_queries, json_rows

pytestmark = pytest.mark.django_db

MY_STUDENTS_API_BUDGET = 8


def test_my_students_api_makes_the_same_queries_for_5_and_50_students(client, people):
    from classroom.models import TeacherProfile

    course = CourseFactory(owner=people.teacher, capacity=200)
    profile = TeacherProfile.objects.get(user=people.teacher)
    hours = iter(range(5, 500, 2))

    def students(n: int) -> None:
        for i in range(n):
            student = StudentFactory()
            EnrollmentFactory(course=course, student=student)
            if i % 2:
                LessonFactory(teacher=profile, student=student, start=hours_from_now(next(hours)))

    students(5)
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, people.teacher.email)}
    assert_constant_queries(
        lambda: client.get("/api/v1/my-students", {"limit": 100}, **headers),
        grow=lambda: students(45),
        budget=MY_STUDENTS_API_BUDGET,
        rows=json_rows,
    )
