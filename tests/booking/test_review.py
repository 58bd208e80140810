"""Booking people can trust: the length, a time, a review that says what will be stored (price,
policy cut-off in the viewer's zone, mode, course), then Confirm; cancelling asks first and says
its consequence. Each test is a person using the pages (the API's twin is in test_price_api.py)."""

import zoneinfo
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import formats, translation

from classroom.choices import LessonStatus
from classroom.models import Lesson, TeacherProfile
from classroom.scheduling.services import lesson_book
from tests.authentication.consent import child
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.booking.test_pages import confirm
from tests.courses.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

MEXICO = zoneinfo.ZoneInfo("America/Mexico_City")


def priced_teacher(rate="40.00", **kwargs):
    teacher = bookable_teacher(lesson_lengths=[30, 45, 60], **kwargs)
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=Decimal(rate), currency="EUR")
    teacher.refresh_from_db()
    return teacher


def review(client, teacher, start, **params):
    return client.get(f"/lessons/book/{teacher.pk}/review/", {"start": start.isoformat(), **params})


def test_a_student_picks_a_length_and_reads_a_review_in_their_zone_before_anything_is_booked(
    client,
):
    teacher = priced_teacher(cancellation_cutoff_hours=24)
    learner = student(tz="America/Mexico_City")
    client.force_login(learner)
    page = client.get(f"/lessons/book/{teacher.pk}/", {"length": 45}).content.decode()
    assert 'name="length" value="45" checked' in page
    assert "Free 45-minute times" in page
    start = days_ahead(3, hour=9)  # 45-minute slots from midnight: 09:00 is one of them
    assert start.astimezone(MEXICO).isoformat() in page  # the times are in the viewer's zone

    shown = review(client, teacher, start.astimezone(MEXICO), length=45)
    text = shown.content.decode()
    assert shown.status_code == 200
    assert "30.00 EUR" in text  # 45 minutes at 40.00 an hour
    assert "45 minutes" in text
    cutoff = formats.date_format(
        (start - timedelta(hours=24)).astimezone(MEXICO), "DATETIME_FORMAT"
    )
    assert f"Free to cancel or move until {cutoff} (your time)" in text
    local = formats.date_format(start.astimezone(MEXICO), "DATETIME_FORMAT")
    madrid = formats.date_format(
        start.astimezone(zoneinfo.ZoneInfo("Europe/Madrid")), "DATETIME_FORMAT"
    )
    assert local in text and madrid in text  # the viewer's time and the teacher's
    assert "Online" in text and "Nothing: a single lesson" in text
    assert not Lesson.objects.exists()

    assert confirm(client, shown).status_code == 302
    lesson = Lesson.objects.get(student=learner)
    assert (lesson.start, lesson.end - lesson.start) == (start, timedelta(minutes=45))
    assert (lesson.price, lesson.currency, lesson.mode) == (Decimal("30.00"), "EUR", "online")
    # A priced lesson ends in Pay: it is held for payment (tests/booking/test_holds.py).
    assert lesson.status == LessonStatus.HELD
    listed = client.get("/lessons/").content.decode()
    assert f"Your lesson with {teacher.user.name} is held for you until" in listed


def test_a_price_raised_between_review_and_confirm_books_nothing_and_shows_the_new_review(client):
    teacher = priced_teacher("40.00")
    client.force_login(learner := student())
    shown = review(client, teacher, days_ahead(3), length=60)
    assert "40.00 EUR" in shown.content.decode()
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=Decimal("55.00"))

    again = confirm(client, shown)
    text = again.content.decode()
    assert again.status_code == 200
    assert "The price has changed: this lesson now costs 55.00 EUR." in text
    assert "55.00 EUR" in text and 'name="shown_price" value="55.00"' in text
    assert not Lesson.objects.exists()  # never charged an amount other than the one shown

    confirm(client, again)
    assert Lesson.objects.get(student=learner).price == Decimal("55.00")


def test_a_time_taken_between_review_and_confirm_goes_back_to_the_fresh_times_keeping_choices(
    client,
):
    teacher = priced_teacher()
    start = days_ahead(4, hour=11)
    client.force_login(learner := student())
    shown = review(client, teacher, start, length=30)
    other = student()
    lesson_book(actor=other, teacher=teacher, student=other, start=start, length=60)

    response = confirm(client, shown)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/lessons/book/{teacher.pk}/?length=30")
    page = client.get(response["Location"]).content.decode()
    assert "already has a lesson" in page
    assert 'name="length" value="30" checked' in page  # the length chosen is kept
    assert f'value="{start.isoformat()}"' not in page  # and the taken time is gone
    assert not Lesson.objects.filter(student=learner).exists()


def test_change_on_the_review_goes_back_with_the_choices_kept(client):
    teacher = priced_teacher()
    learner = student()
    course = CourseFactory(owner=teacher.user, format="one_to_one", lessons_included=4, price=0)
    EnrollmentFactory(course=course, student=learner)
    client.force_login(learner)
    shown = review(client, teacher, days_ahead(3, hour=9), length=45, course_id=course.pk, week=1)
    text = shown.content.decode().replace("&amp;", "&")
    assert f'/lessons/book/{teacher.pk}/?length=45&course_id={course.pk}&week=1"' in (text)
    assert "Included in your course" in text and "(4 lessons)" in text
    back = client.get(f"/lessons/book/{teacher.pk}/?length=45&course_id={course.pk}&week=1")
    assert f'<option value="{course.pk}" selected>' in back.content.decode()


def test_a_teacher_who_teaches_in_person_too_is_booked_in_person_as_shown(client):
    teacher = priced_teacher()
    TeacherProfile.objects.filter(pk=teacher.pk).update(
        teaches_in_person=True, location="Calle Mayor 5, Madrid"
    )
    client.force_login(learner := student())
    page = client.get(f"/lessons/book/{teacher.pk}/").content.decode()
    assert 'name="mode" value="in_person"' in page
    shown = review(client, teacher, days_ahead(3), length=60, mode="in_person")
    assert "Calle Mayor 5, Madrid" in shown.content.decode()
    confirm(client, shown)
    assert Lesson.objects.get(student=learner).mode == "in_person"


def test_a_parent_booking_for_a_child_without_consent_is_told_what_to_do_instead(client):
    kid, parent = child(age=12, consent=False)
    teacher = priced_teacher()
    client.force_login(parent)
    shown = review(client, teacher, days_ahead(3), length=60, student_id=kid.pk)
    text = shown.content.decode()
    assert 'href="/auth/guardians/"' in text  # where to give consent
    assert "Confirm booking" not in text
    response = client.post(
        f"/lessons/book/{teacher.pk}/review/",
        {"start": days_ahead(3).isoformat(), "length": 60, "student_id": kid.pk},
        follow=True,
    )
    assert 'href="/auth/guardians/"' in response.content.decode()
    assert not Lesson.objects.exists()


def test_an_unreadable_review_request_goes_back_to_the_times_never_a_500(client):
    teacher = priced_teacher()
    client.force_login(student())
    for params in (
        {},
        {"start": "tomorrow", "length": "60"},
        {"start": days_ahead(3).isoformat(), "length": "x"},
        {"start": days_ahead(3).isoformat(), "length": "60", "mode": "moon"},
        {"start": days_ahead(3).isoformat(), "length": "99999999999999999999"},
    ):
        response = client.get(f"/lessons/book/{teacher.pk}/review/", params)
        assert response.status_code in (200, 302), params
    forged = client.post(
        f"/lessons/book/{teacher.pk}/review/",
        {"start": days_ahead(3).isoformat(), "length": 60, "shown_price": "cheap"},
    )
    assert forged.status_code == 200 and not Lesson.objects.exists()


# Cancelling asks first and says the consequence.


def test_cancel_asks_first_with_the_free_cut_off_in_the_viewers_zone_then_says_what_happened(
    client,
):
    teacher = priced_teacher(cancellation_cutoff_hours=24)
    learner = student(tz="America/Mexico_City")
    start = days_ahead(5)
    lesson = lesson_book(actor=learner, teacher=teacher, student=learner, start=start, length=60)
    client.force_login(learner)
    ask = client.get(f"/lessons/{lesson.pk}/cancel/").content.decode()
    cutoff = formats.date_format(
        (start - timedelta(hours=24)).astimezone(MEXICO), "DATETIME_FORMAT"
    )
    assert f"Free to cancel until {cutoff}" in ask
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.SCHEDULED  # asking changed nothing

    done = client.post(f"/lessons/{lesson.pk}/cancel/", follow=True).content.decode()
    assert "is cancelled, free of charge" in done
    lesson.refresh_from_db()
    assert (lesson.status, lesson.cancelled_late) == (LessonStatus.CANCELLED, False)


def test_a_late_cancellation_says_it_counts_as_taken_and_its_price_stays_due(client):
    teacher = priced_teacher("40.00", cancellation_cutoff_hours=24 * 30)
    learner = student()
    lesson = lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(3), length=30
    )
    client.force_login(learner)
    ask = client.get(f"/lessons/{lesson.pk}/cancel/").content.decode()
    assert "counts as taken" in ask and "Its price (20.00 EUR) stays due." in ask
    done = client.post(f"/lessons/{lesson.pk}/cancel/", follow=True).content.decode()
    assert "so it counts as taken" in done


def test_cancelling_a_package_lesson_says_what_the_package_keeps(client):
    teacher = priced_teacher(cancellation_cutoff_hours=24)
    learner = student()
    course = CourseFactory(owner=teacher.user, format="one_to_one", lessons_included=2, price=0)
    EnrollmentFactory(course=course, student=learner)
    lesson = lesson_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        start=days_ahead(5),
        length=60,
        course_id=course.pk,
    )
    client.force_login(learner)
    ask = client.get(f"/lessons/{lesson.pk}/cancel/").content.decode()
    assert "It goes back to your package: 2 lessons of 2 left after this." in ask


def test_the_teacher_is_told_their_cancellation_is_free_for_the_student(client):
    teacher = priced_teacher(cancellation_cutoff_hours=24 * 30)
    learner = student()
    lesson = lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(3), length=60
    )
    client.force_login(teacher.user)
    ask = client.get(f"/lessons/{lesson.pk}/cancel/").content.decode()
    assert "Cancelling is free for the student" in ask


def test_the_move_page_says_until_when_moving_is_free(client):
    teacher = priced_teacher(cancellation_cutoff_hours=24)
    learner = student(tz="America/Mexico_City")
    start = days_ahead(5)
    lesson = lesson_book(actor=learner, teacher=teacher, student=learner, start=start, length=60)
    client.force_login(learner)
    page = client.get(f"/lessons/{lesson.pk}/reschedule/").content.decode()
    cutoff = formats.date_format(
        (start - timedelta(hours=24)).astimezone(MEXICO), "DATETIME_FORMAT"
    )
    assert f"Moving is free until {cutoff} (your time)." in page


def test_the_spanish_review_confirms_at_the_price_it_shows(client):
    # Spanish writes 30,00: the confirm form must still carry the price the service can compare.
    teacher = priced_teacher("40.00")
    client.force_login(learner := student())
    with translation.override(settings.LANGUAGE_CODE):
        shown = client.get(
            f"/es/lessons/book/{teacher.pk}/review/",
            {"start": days_ahead(3, hour=9).isoformat(), "length": 45},
        )
        assert "30,00 EUR" in shown.content.decode()
        assert confirm(client, shown).status_code == 302
    assert Lesson.objects.get(student=learner).price == Decimal("30.00")


def test_lesson_lists_and_the_lesson_page_show_the_price_and_mode_agreed_in_the_readers_language(
    client,
):
    teacher = priced_teacher("40.00")
    TeacherProfile.objects.filter(pk=teacher.pk).update(
        teaches_in_person=True, location="Calle Mayor 5, Madrid"
    )
    client.force_login(learner := student())
    shown = review(client, teacher, days_ahead(3, hour=9), length=45, mode="in_person")
    confirm(client, shown)
    lesson = Lesson.objects.get(student=learner)
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=Decimal("80.00"))  # later

    listed = client.get("/lessons/").content.decode()
    assert 'data-testid="lesson-terms"><span class="lesson__mode">In person</span>' in listed
    assert 'class="lesson__price">30.00 EUR<' in listed  # what was agreed, not today's rate
    detail = client.get(f"/lessons/{lesson.pk}/").content.decode()
    assert 'data-testid="lesson-mode">In person<' in detail
    assert 'data-testid="lesson-price">30.00 EUR<' in detail
    with translation.override("es"):
        listed = client.get("/es/lessons/").content.decode()
        detail = client.get(f"/es/lessons/{lesson.pk}/").content.decode()
    assert "Presencial" in listed and 'class="lesson__price">30,00 EUR<' in listed
    assert 'data-testid="lesson-price">30,00 EUR<' in detail

    # Covered by a course: no price to show, it says so.
    Lesson.objects.filter(pk=lesson.pk).update(
        price=Decimal("0"), course=CourseFactory(owner=teacher.user)
    )
    assert "included in the course" in client.get("/lessons/").content.decode()
    # No price recorded (a teacher without a rate): only the mode.
    Lesson.objects.filter(pk=lesson.pk).update(price=None, currency="", course=None, mode="online")
    listed = client.get("/lessons/").content.decode()
    assert '<span class="lesson__mode">Online</span></p>' in listed
