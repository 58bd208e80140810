"""Query budgets of the inbox: the page, `GET /api/v1/messages` and the unread count make the same
number of queries with 10 and with 10,000 messages (made with bulk inserts), and answer right."""

import pytest
from django.utils import timezone
from postman.models import STATUS_ACCEPTED, Message

from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.query_budget import assert_constant_queries, html_rows, json_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    teacher = TeacherFactory()
    students = [StudentFactory() for _ in range(3)]
    course = CourseFactory(owner=teacher)
    for student in students:
        EnrollmentFactory(course=course, student=student)
    return teacher, students


def _messages(teacher, students, n):
    now = timezone.now()
    Message.objects.bulk_create(
        Message(
            sender=students[i % len(students)],
            recipient=teacher,
            subject=f"Question {i}",
            body="About the homework",
            sent_at=now,
            moderation_status=STATUS_ACCEPTED,
        )
        for i in range(n)
    )


def test_the_inbox_page_the_list_and_the_unread_count_make_constant_queries(client, pair):
    teacher, students = pair
    _messages(teacher, students, 10)
    client.force_login(teacher)
    grow = lambda: _messages(teacher, students, 9_990)  # noqa: E731

    page = assert_constant_queries(
        lambda: client.get("/messages/"), grow, rows=html_rows('class="dm-row')
    )
    body = client.get("/messages/").content.decode()
    assert "10000 unread messages" in body and 'data-testid="unread-messages">10000' in body
    assert page <= 12, page

    Message.objects.all().delete()
    _messages(teacher, students, 10)
    listed = assert_constant_queries(
        lambda: client.get("/api/v1/messages?limit=50"), grow, rows=json_rows
    )
    answer = client.get("/api/v1/messages?limit=50").json()
    assert answer["count"] == 10_000 and len(answer["items"]) == 50
    assert {m["recipient"]["user_id"] for m in answer["items"]} == {teacher.pk}
    assert listed <= 8, listed

    Message.objects.all().delete()
    _messages(teacher, students, 10)
    counted = assert_constant_queries(
        lambda: client.get("/api/v1/messages/unread-count"),
        grow,
        rows=lambda r: r.json()["unread"],
    )
    assert client.get("/api/v1/messages/unread-count").json() == {"unread": 10_000}
    assert counted <= 5, counted
