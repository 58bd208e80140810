"""Who sees a weekly series, with ids that collide on purpose: Liam holds a seat in group lesson N,
Sofía books series N (issue 8: the series selector reused the lessons' filter, whose seat subquery
compared the seat's lesson with the series id)."""

import pytest

from authentication.choices import Role
from authentication.services import guardian_accept, guardian_invite
from classroom.models import Lesson, LessonSeat, LessonSeries
from classroom.scheduling.selectors import series_get_for_user
from classroom.scheduling.services import series_book
from classroom.teaching.services import group_session_create
from cplatform.exceptions import NotFound
from tests.authentication.factories import ParentFactory, StudentFactory, UserFactory
from tests.booking.factories import bookable_teacher, days_ahead
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.ids import ids_from_scratch, next_id

pytestmark = pytest.mark.django_db

N = 4242


def _parent_of(child):
    parent = ParentFactory()
    guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )
    return parent


def test_a_seat_in_lesson_n_opens_nobody_series_n():
    ids_from_scratch([Lesson, LessonSeries])
    teacher = bookable_teacher()
    sofia, liam = StudentFactory(first_name="Sofía"), StudentFactory(first_name="Liam")
    sofias_parent, liams_parent = _parent_of(sofia), _parent_of(liam)
    with next_id(LessonSeries, N):
        series_book(
            actor=sofia,
            teacher=teacher,
            student=sofia,
            first_start=days_ahead(3),
            length=60,
            count=2,
        )
    course = CourseFactory(owner=teacher.user)
    EnrollmentFactory(course=course, student=liam)
    with next_id(Lesson, N):
        group_session_create(actor=teacher.user, course=course, start=days_ahead(5), length=60)
    assert LessonSeat.objects.filter(lesson_id=N, student=liam, cancelled_at__isnull=True).exists()

    for outsider in (liam, liams_parent, bookable_teacher().user):
        with pytest.raises(NotFound):
            series_get_for_user(user=outsider, series_id=N)
    admin = UserFactory(roles=[Role.ADMIN], is_staff=True)
    for insider in (sofia, sofias_parent, teacher.user, admin):
        assert series_get_for_user(user=insider, series_id=N).pk == N
