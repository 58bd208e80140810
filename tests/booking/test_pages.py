"""The lesson pages: book a lesson from a teacher's free times, see it under upcoming, cancel it."""

import html
import re
import zoneinfo

import pytest
from django.conf import settings
from django.utils import translation

from authentication.choices import Role
from authentication.services import guardian_accept, guardian_invite
from classroom.choices import LessonStatus
from classroom.models import Lesson
from classroom.scheduling.services import lesson_book
from tests.authentication.factories import UserFactory
from tests.booking.factories import bookable_teacher, days_ahead, student

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def confirm(client, review):
    """Press Confirm on a review page: post back the fields its confirm form carries."""
    page = review.content.decode()
    start = page.rindex('<form method="post"', 0, page.index('name="shown_price"'))
    form = page[start : page.index("</form>", start)]
    data = {name: html.unescape(value) for name, value in HIDDEN.findall(form)}
    return client.post(review.request["PATH_INFO"], data)


def test_student_books_a_lesson_on_the_page_and_sees_it_under_upcoming(client):
    teacher = bookable_teacher(lesson_lengths=[60], min_notice_minutes=60)
    learner = student(tz="America/New_York")
    client.force_login(learner)

    page = client.get(f"/lessons/book/{teacher.pk}/")
    assert page.status_code == 200
    start = days_ahead(2, hour=10)
    offered = start.astimezone(zoneinfo.ZoneInfo("America/New_York")).isoformat()
    assert offered in page.content.decode()  # slots are offered in the student's zone

    review = client.get(f"/lessons/book/{teacher.pk}/review/", {"start": offered, "length": 60})
    assert review.status_code == 200
    assert not Lesson.objects.exists()  # the review books nothing
    response = confirm(client, review)
    assert response.status_code == 302
    lesson = Lesson.objects.get(student=learner)
    assert lesson.start == start
    upcoming = client.get("/lessons/").content.decode()
    assert teacher.user.name in upcoming


def test_a_taken_slot_on_the_page_reports_the_conflict_and_books_nothing(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    start = days_ahead(2)
    first = student()
    lesson_book(actor=first, teacher=teacher, student=first, start=start, length=60)
    second = student()
    client.force_login(second)
    response = client.post(
        f"/lessons/book/{teacher.pk}/review/",
        {"start": start.isoformat(), "length": 60},
        follow=True,
    )
    assert response.status_code == 200
    assert "already has a lesson" in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(f"/lessons/book/{teacher.pk}/?length=60")
    assert not Lesson.objects.filter(student=second).exists()


def test_a_parent_books_for_a_child_on_the_page(client):
    parent = UserFactory(roles=[Role.PARENT])
    child = student()
    guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )
    teacher = bookable_teacher(lesson_lengths=[60])
    client.force_login(parent)
    assert child.name in client.get(f"/lessons/book/{teacher.pk}/").content.decode()
    start = days_ahead(3)
    review = client.get(
        f"/lessons/book/{teacher.pk}/review/",
        {"start": start.isoformat(), "length": 60, "student_id": child.pk},
    )
    assert child.name in review.content.decode()
    confirm(client, review)
    assert Lesson.objects.get(student=child).booked_by == parent


def test_student_cancels_from_the_page_and_others_get_404(client):
    teacher = bookable_teacher()
    learner = student()
    lesson = lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(4), length=60
    )
    client.force_login(student())
    assert client.post(f"/lessons/{lesson.pk}/cancel/").status_code == 404
    assert client.get(f"/lessons/{lesson.pk}/cancel/").status_code == 404
    client.force_login(learner)
    assert client.post(f"/lessons/{lesson.pk}/cancel/").status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.CANCELLED


def test_lesson_pages_need_a_login_and_booking_needs_the_student_or_parent_role(client):
    teacher = bookable_teacher()
    assert client.get("/lessons/").status_code == 302
    client.force_login(bookable_teacher().user)
    assert client.get(f"/lessons/book/{teacher.pk}/").status_code == 403
    assert client.get("/lessons/").status_code == 200


def test_teacher_edits_weekly_hours_and_rules_on_the_availability_page(client):
    teacher = bookable_teacher(tz="America/New_York")
    client.force_login(teacher.user)
    assert client.get("/lessons/availability/").status_code == 200
    data = {
        "day_0": "09:00-12:00, 17:00-20:00",
        "day_3": "10:00-11:30",
        "lesson_lengths": "30, 60",
        "buffer_minutes": 10,
        "min_notice_minutes": 120,
        "horizon_days": 30,
        "cancellation_cutoff_hours": 12,
        "free_cancellation_outcome": "credit",
    }
    assert client.post("/lessons/availability/", data).status_code == 302
    rules = list(teacher.availability_rules.values_list("weekday", "start_time", "end_time"))
    assert [(d, f"{s:%H:%M}", f"{e:%H:%M}") for d, s, e in rules] == [
        (0, "09:00", "12:00"),
        (0, "17:00", "20:00"),
        (3, "10:00", "11:30"),
    ]
    teacher.scheduling_settings.refresh_from_db()
    assert teacher.scheduling_settings.lesson_lengths == [30, 60]
    assert teacher.scheduling_settings.free_cancellation_outcome == "credit"


def test_the_availability_page_shows_errors_for_bad_windows_and_saves_nothing(client):
    teacher = bookable_teacher(rules=[])
    client.force_login(teacher.user)
    data = {
        "day_0": "morning",
        "day_1": "12:00-10:00",
        "lesson_lengths": "60",
        "buffer_minutes": 0,
        "min_notice_minutes": 0,
        "horizon_days": 30,
        "cancellation_cutoff_hours": 24,
        "free_cancellation_outcome": "refund",
    }
    response = client.post("/lessons/availability/", data)
    assert response.status_code == 200
    assert "Write times like" in response.content.decode()
    assert not teacher.availability_rules.exists()


def test_a_listed_teachers_page_links_to_booking_and_the_owner_to_their_availability(client):
    teacher = bookable_teacher()
    page = client.get(teacher.get_absolute_url()).content.decode()
    assert f"/lessons/book/{teacher.pk}/" in page
    client.force_login(teacher.user)
    own = client.get(teacher.get_absolute_url()).content.decode()
    assert "/lessons/availability/" in own


def test_the_header_links_people_with_lessons_to_their_lessons(client):
    teacher = bookable_teacher()
    client.force_login(teacher.user)
    page = client.get("/lessons/").content.decode()
    assert 'href="/lessons/" aria-current="page"' in page
    assert "/lessons/availability/" in page


def test_the_spanish_lesson_pages_speak_spanish(client):
    teacher = bookable_teacher()
    client.force_login(student())
    # LocaleMiddleware leaves Spanish active in this thread after the request: put English back after.
    with translation.override(settings.LANGUAGE_CODE):
        lessons = client.get("/es/lessons/").content.decode()
        booking = client.get(f"/es/lessons/book/{teacher.pk}/").content.decode()
    assert "Mis clases" in lessons
    assert "Próximas" in lessons
    assert "Reserva una clase con" in booking


def test_a_student_books_a_lesson_of_their_1_to_1_course_from_the_course_page(client):
    from tests.courses.page_helpers import live_course

    teacher = bookable_teacher(lesson_lengths=[60], min_notice_minutes=60)
    learner = student()
    course = live_course(owner=teacher.user, format="one_to_one", title="Exam coaching", price=0)
    other = live_course(owner=teacher.user, format="one_to_one", title="Not mine", price=0)
    client.force_login(learner)
    client.post(f"/courses/{course.slug}/enrol/")

    course_page = client.get(course.get_absolute_url()).content.decode()
    book_url = f"/lessons/book/{teacher.pk}/?course={course.pk}"
    assert book_url in course_page.replace("&amp;", "&")
    booking_page = client.get(book_url).content.decode()
    assert f'<option value="{course.pk}" selected>Exam coaching</option>' in booking_page
    assert "Not mine" not in booking_page  # only courses the student is enrolled in

    start = days_ahead(2, hour=10)
    client.post(
        f"/lessons/book/{teacher.pk}/review/",
        {"start": start.isoformat(), "length": 60, "course_id": other.pk},
    )
    assert not Lesson.objects.exists()  # not enrolled in that one: refused, nothing booked
    review = client.get(
        f"/lessons/book/{teacher.pk}/review/",
        {"start": start.isoformat(), "length": 60, "course_id": course.pk},
    )
    assert "Included in your course" in review.content.decode()
    confirm(client, review)
    lesson = Lesson.objects.get(student=learner)
    assert (lesson.course, lesson.price, lesson.currency) == (course, 0, course.currency)
