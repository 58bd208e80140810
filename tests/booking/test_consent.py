"""The guardian-consent gate on booking (1:1 lessons and weekly series): in the services, through the API
and on the booking page. Under 16 without a guardian's consent, or without a date of birth, nothing is
booked, and the answer says what to do next."""

import re

import pytest

from authentication.services import guardian_decline_or_remove
from classroom.models import Lesson, LessonSeries
from classroom.scheduling.services import lesson_book, lesson_reschedule, series_book
from cplatform.exceptions import PermissionDenied
from tests.authentication.consent import born_years_ago, child, link, set_birthday
from tests.authentication.factories import PASSWORD, ParentFactory, StudentFactory
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.conftest import login_token

pytestmark = pytest.mark.django_db


def auth(client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email, PASSWORD)}


def book(client, user, body: dict, path: str = "/api/v1/lessons"):
    return client.post(path, body, content_type="application/json", **auth(client, user))


# Services


def test_a_child_under_16_without_consent_cannot_book_a_lesson_or_a_series():
    teacher = bookable_teacher()
    kid, _parent = child(age=13)
    with pytest.raises(PermissionDenied) as refused:
        lesson_book(actor=kid, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    assert refused.value.code == "guardian_consent_required"
    assert "guardian_consent" in refused.value.errors
    with pytest.raises(PermissionDenied) as refused:
        series_book(
            actor=kid, teacher=teacher, student=kid, first_start=days_ahead(3), length=60, count=3
        )
    assert refused.value.code == "guardian_consent_required"
    assert not Lesson.objects.exists() and not LessonSeries.objects.exists()


def test_a_lesson_booked_while_consent_held_can_still_be_moved_after_it_ends():
    """A decision, pinned: moving a booked lesson begins neither contact nor a payment (the lesson,
    its price and its teacher stay), so the gate does not stand in the way, for the teacher's side
    (their own plans) nor the student's (cancelling, which is always open, would serve them worse)."""
    teacher = bookable_teacher()
    kid, parent = child(age=12, consent=True)
    lesson = lesson_book(actor=kid, teacher=teacher, student=kid, start=days_ahead(5), length=60)
    guardian_decline_or_remove(link=kid.guardian_links.get(), actor=parent)
    moved = lesson_reschedule(lesson=lesson, actor=kid, start=days_ahead(6))
    assert moved.start == days_ahead(6)
    moved = lesson_reschedule(lesson=moved, actor=teacher.user, start=days_ahead(7))
    assert moved.start == days_ahead(7)


def test_a_parent_who_has_not_consented_cannot_book_for_the_child():
    teacher = bookable_teacher()
    kid, parent = child(age=10)
    with pytest.raises(PermissionDenied) as refused:
        lesson_book(actor=parent, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    assert refused.value.code == "guardian_consent_required"
    assert "Family links" in refused.value.detail  # the parent is told where to give it
    assert not Lesson.objects.exists()


def test_once_a_guardian_consents_the_child_and_the_parent_can_book():
    teacher = bookable_teacher()
    kid, parent = child(age=12, consent=True)
    lesson_book(actor=kid, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    lesson_book(actor=parent, teacher=teacher, student=kid, start=days_ahead(4), length=60)
    assert Lesson.objects.filter(student=kid).count() == 2


def test_a_student_without_a_date_of_birth_must_give_it_before_booking():
    teacher = bookable_teacher()
    learner = student()
    set_birthday(learner, None)  # an empty date is no way around the gate
    with pytest.raises(PermissionDenied) as refused:
        lesson_book(actor=learner, teacher=teacher, student=learner, start=days_ahead(3), length=60)
    assert refused.value.code == "date_of_birth_required"
    assert "date_of_birth" in refused.value.errors
    assert not Lesson.objects.exists()


def test_a_guardians_consent_covers_a_missing_date_of_birth():
    teacher = bookable_teacher()
    kid, parent = child(consent=True)
    set_birthday(kid, None)
    lesson_book(actor=parent, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    assert Lesson.objects.filter(student=kid).exists()


def test_consent_from_another_guardian_of_the_child_is_enough():
    teacher = bookable_teacher()
    kid, father = child(age=14)
    link(ParentFactory(), kid, consent=True)  # the mother consented
    lesson_book(actor=father, teacher=teacher, student=kid, start=days_ahead(3), length=60)
    assert Lesson.objects.filter(student=kid).exists()


def test_an_adult_student_books_without_a_guardian():
    teacher = bookable_teacher()
    learner = student()  # the factories' students are adults with a date of birth
    lesson_book(actor=learner, teacher=teacher, student=learner, start=days_ahead(3), length=60)
    assert Lesson.objects.filter(student=learner).exists()


# API


def test_the_api_answers_403_with_a_code_and_field_messages_and_books_nothing(client):
    teacher = bookable_teacher()
    kid, parent = child(age=13)
    body = {"teacher_id": teacher.pk, "start": days_ahead(3).isoformat(), "length": 60}

    response = book(client, kid, body)
    assert response.status_code == 403, response.content
    answer = response.json()
    assert answer["code"] == "guardian_consent_required"
    assert answer["errors"]["guardian_consent"] == [answer["detail"]]

    response = book(client, parent, {**body, "student_id": kid.pk})
    assert response.status_code == 403
    assert response.json()["code"] == "guardian_consent_required"

    response = book(client, kid, {**body, "count": 2}, path="/api/v1/series")
    assert response.status_code == 403
    assert response.json()["code"] == "guardian_consent_required"
    assert not Lesson.objects.exists() and not LessonSeries.objects.exists()


def test_the_api_asks_a_student_without_a_date_of_birth_to_give_it(client):
    teacher = bookable_teacher()
    learner = student()
    set_birthday(learner, None)
    body = {"teacher_id": teacher.pk, "start": days_ahead(3).isoformat(), "length": 60}
    response = book(client, learner, body)
    assert response.status_code == 403
    assert response.json()["code"] == "date_of_birth_required"
    assert response.json()["errors"]["date_of_birth"]
    assert not Lesson.objects.exists()


def test_after_the_parent_consents_through_the_api_the_booking_goes_through(client):
    teacher = bookable_teacher()
    kid, parent = child(age=13)
    body = {"teacher_id": teacher.pk, "start": days_ahead(3).isoformat(), "length": 60}
    assert book(client, kid, body).status_code == 403
    active = kid.guardian_links.get()
    consent = client.post(f"/api/v1/guardians/{active.pk}/consent", **auth(client, parent))
    assert consent.status_code == 200
    assert book(client, kid, body).status_code == 201


# Pages


def test_the_booking_page_tells_the_child_what_to_do_next_with_a_link(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    kid, _parent = child(age=13)
    client.force_login(kid)
    response = client.post(
        f"/lessons/book/{teacher.pk}/",
        {"start": days_ahead(3).isoformat(), "length": 60},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ask your guardian to give it" in html
    assert 'href="/auth/guardians/"' in html
    assert not Lesson.objects.exists()


def test_the_booking_page_asks_for_the_date_of_birth_with_a_link_to_the_profile(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    learner = student()
    set_birthday(learner, None)
    client.force_login(learner)
    response = client.post(
        f"/lessons/book/{teacher.pk}/",
        {"start": days_ahead(3).isoformat(), "length": 60},
        follow=True,
    )
    html = response.content.decode()
    assert "Add your date of birth" in html
    assert 'href="/students/me/edit/"' in html
    assert not Lesson.objects.exists()


def test_the_booking_page_tells_the_parent_to_give_consent(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    kid, parent = child(age=9)
    client.force_login(parent)
    response = client.post(
        f"/lessons/book/{teacher.pk}/",
        {"start": days_ahead(3).isoformat(), "length": 60, "student_id": kid.pk},
        follow=True,
    )
    html = response.content.decode()
    assert "Your child needs your consent" in html
    assert 'href="/auth/guardians/"' in html
    assert not Lesson.objects.exists()


def test_the_booking_page_says_it_before_a_time_is_chosen_and_offers_no_time_to_press(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    kid, _parent = child(age=13)
    client.force_login(kid)

    html = client.get(f"/lessons/book/{teacher.pk}/").content.decode()

    assert "Ask your guardian to give it" in html
    assert 'href="/auth/guardians/"' in html
    slot_buttons = re.findall(r'<button type="submit" name="start"[^>]*>', html)
    assert slot_buttons and all("disabled" in button for button in slot_buttons)


def test_an_adult_student_sees_no_notice_and_times_to_press(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    client.force_login(student())

    html = client.get(f"/lessons/book/{teacher.pk}/").content.decode()

    assert "consent" not in html
    slot_buttons = re.findall(r'<button type="submit" name="start"[^>]*>', html)
    assert slot_buttons and not any("disabled" in button for button in slot_buttons)


def test_a_parent_is_told_which_child_needs_consent_and_still_books_the_other(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    waiting, parent = child(age=9, first_name="Waiting")
    ready = StudentFactory(first_name="Ready")
    set_birthday(ready, born_years_ago(11))
    link(parent, ready, consent=True)
    client.force_login(parent)

    html = client.get(f"/lessons/book/{teacher.pk}/").content.decode()

    assert f"<strong>{waiting.name}</strong>: Your child needs your consent" in html
    assert ready.name not in html.split("<form")[0]  # no notice about the child who may book
    slot_buttons = re.findall(r'<button type="submit" name="start"[^>]*>', html)
    assert slot_buttons and not any("disabled" in button for button in slot_buttons)
