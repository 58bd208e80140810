"""Found by using the product (issue 11 review): a group session is named once, not twice."""

import pytest
from django.urls import reverse

from tests.courses.factories import EnrollmentFactory
from tests.teaching.conftest import as_user
from tests.teaching.factories import group_course, session

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("session_title", "shown"),
    [
        ("Fractions · 4", "Fractions · 4"),  # titled after its course: not prefixed again
        ("Revision", "Fractions: Revision"),  # its own title: the course says what it belongs to
    ],
)
def test_a_student_sees_a_group_session_named_once(client, people, session_title, shown):
    course = group_course(teacher=people.teacher, title="Fractions")
    EnrollmentFactory(course=course, student=people.student_a)
    lesson = session(course=course, title=session_title)
    as_user(client, people.student_a)
    html = client.get(reverse("lesson-detail", kwargs={"lesson_id": lesson.pk})).content.decode()
    assert f"<h1>{shown}</h1>" in html or f">{shown}</h1>" in html
    assert "Fractions: Fractions" not in html
    listing = client.get(reverse("lesson-list")).content.decode()
    assert shown in listing and "Fractions: Fractions" not in listing
