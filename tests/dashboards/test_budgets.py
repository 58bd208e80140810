"""Each role's home, page and API alike, is a fixed number of queries: the same for 2 and 50 lessons,
children or courses, with the answer checked to hold the new rows."""

import json
from itertools import count

import pytest

from authentication.choices import GuardianLinkStatus
from authentication.models import GuardianLink
from authentication.services import user_add_role
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.classroom.conftest import as_user
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory
from tests.dashboards.scenario import at, ready_teacher
from tests.progress.factories import (
    AttendanceFactory,
    GroupSessionFactory,
    LessonFactory,
    LessonSeatFactory,
    profile_of,
)
from tests.query_budget import assert_constant_queries, html_rows

pytestmark = pytest.mark.django_db

# The pages also show the figures (homes_figures): a learner's 4 queries (children, progress,
# attendance, credits), a teacher's 21 (the analytics selectors' learning, capacity and money reads).
# Measured (page / API): student 15 / 14, parent 18 / 17 (each child's teachers to book with: 2), teacher 13 / 10, admin 11 / 8, a person
# with every role 31 (page). The page adds the session, the user and the header's reads.
# The pages also show the messages part (the latest messages; the unread count is read once for it
# and the header's badge): one query more than the API's summary, which does not carry it.
# The student's and the parent's home pages also carry billing's card (open orders, payments, credit
# balances: three queries more than before; the API's summary does not carry it).
# The teacher's students at risk first read the ids of the teacher's students and of those with a
# live enrolment or a recent lesson (two queries), so that the rest looks up those few by index
# instead of passing over the whole school (3.1 s -> 1.0 s on the large seed).
BUDGETS = {
    ("student", "page"): 24,
    ("student", "api"): 15,
    ("parent", "page"): 27,
    ("parent", "api"): 18,
    ("teacher", "page"): 39,  # + the homework marked done in the period (issue 15)
    ("teacher", "api"): 11,
    ("admin", "page"): 13,
    ("admin", "api"): 9,
}


def api_rows(*keys):
    """How many lessons, children and courses a summary holds, wherever they are."""

    def rows(response) -> int:
        body = json.loads(response.content)
        total = 0

        def walk(node):
            nonlocal total
            if isinstance(node, dict):
                total += sum(1 for k in keys if k in node)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(body)
        return total

    rows.__name__ = f"api_rows{keys}"
    return rows


def page(client, user):
    as_user(client, user)
    return lambda: client.get("/dashboard/")


def api(client, user):
    token = login_token(client, user.email, PASSWORD)
    return lambda: client.get("/api/v1/me/summary", HTTP_X_SESSION_TOKEN=token)


LESSON_ROWS = html_rows('href="/lessons/')
COURSE_ROWS = html_rows('class="card progress-card"')


class Learning:
    """A student's lessons (1:1 and group seats, with homework), enrolments with modules and notes."""

    def __init__(self, student, teacher):
        self.student, self.teacher = student, teacher
        self.hours = count(10, 2)

    def add(self, n: int):
        profile = profile_of(self.teacher)
        for _ in range(n):
            course = CourseFactory(owner=self.teacher)
            EnrollmentFactory(course=course, student=self.student)
            ModuleFactory(course=course)
            h = next(self.hours)
            lesson = LessonFactory(
                teacher=profile,
                student=self.student,
                course=course,
                start=at(h),
                end=at(h + 1),
                homework="Read chapter 2",
                homework_due=at(h + 48),
            )
            AttendanceFactory(lesson=lesson, student=self.student)
            group = CourseFactory(owner=self.teacher, format="group", capacity=5)
            EnrollmentFactory(course=group, student=self.student, status="pending")
            h = next(self.hours)
            session = GroupSessionFactory(course=group, start=at(h), end=at(h + 1))
            LessonSeatFactory(lesson=session, student=self.student)


@pytest.mark.parametrize("through", [page, api])
def test_a_students_home_costs_the_same_for_2_and_50_lessons_and_courses(client, at_now, through):
    student = StudentFactory()
    learning = Learning(student, ready_teacher())
    learning.add(1)
    assert_constant_queries(
        through(client, student),
        grow=lambda: learning.add(25),
        rows=COURSE_ROWS if through is page else api_rows("enrollment_id"),
        budget=BUDGETS["student", through.__name__],
    )


@pytest.mark.parametrize("through", [page, api])
def test_a_parents_home_costs_the_same_for_2_and_50_children(client, at_now, through):
    parent = ParentFactory()
    teacher = ready_teacher()
    families = []

    def add_children(n):
        for _ in range(n):
            child = StudentFactory()
            GuardianLink.objects.create(
                guardian=parent,
                child=child,
                invited_email=child.email,
                initiated_by=parent,
                status=GuardianLinkStatus.ACTIVE,
            )
            learning = Learning(child, teacher)
            learning.hours = count(10 + 200 * len(families), 2)
            learning.add(1)
            families.append(learning)

    add_children(2)
    assert_constant_queries(
        through(client, parent),
        grow=lambda: add_children(48),
        # Each card's "Book with Ana García" link (the API's book_with entries) is in the answer.
        rows=html_rows('data-testid="book-with"') if through is page else api_rows("book_url"),
        budget=BUDGETS["parent", through.__name__],
    )


@pytest.mark.parametrize("through", [page, api])
def test_a_teachers_home_costs_the_same_for_2_and_50_lessons_and_courses(client, at_now, through):
    teacher = ready_teacher()
    profile = profile_of(teacher)
    hours = count(-100, 2)
    students = [StudentFactory() for _ in range(2)]

    def add(n):
        for i in range(n):
            course = CourseFactory(owner=teacher, format="group", capacity=9)
            EnrollmentFactory(course=course, student=students[i % 2])
            h = next(hours)
            LessonFactory(teacher=profile, student=students[i % 2], start=at(h), end=at(h + 1))
            h = next(hours)
            session = GroupSessionFactory(course=course, start=at(h), end=at(h + 1))
            LessonSeatFactory(lesson=session, student=students[i % 2])

    add(1)
    assert_constant_queries(
        through(client, teacher),
        grow=lambda: add(25),
        rows=LESSON_ROWS if through is page else api_rows("lesson_id", "active"),
        budget=BUDGETS["teacher", through.__name__],
    )


@pytest.mark.parametrize("through", [page, api])
def test_an_admins_home_costs_the_same_for_2_and_many_teachers_waiting(client, through):
    admin = AdminFactory()

    def add(n):
        for _ in range(n):
            profile = profile_of(TeacherFactory())
            profile.is_public = True
            profile.save()

    add(2)
    assert_constant_queries(
        through(client, admin),
        grow=lambda: add(8),
        rows=html_rows("/approve/") if through is page else api_rows("approve_url"),
        budget=BUDGETS["admin", through.__name__],
    )


def test_a_person_with_every_role_still_costs_a_fixed_number_of_queries(client, at_now):
    person = ready_teacher()
    for role in ("Student", "Parent", "Admin"):
        user_add_role(user=person, role=role)
    learning = Learning(person, TeacherFactory())
    learning.add(1)
    assert_constant_queries(
        page(client, person),
        grow=lambda: learning.add(10),
        rows=COURSE_ROWS,
        budget=63,
    )
