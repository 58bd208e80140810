"""The API's one booking call stores the price, currency and mode as the page's review shows them,
and refuses a price other than the one the client showed (409 `price_changed`)."""

from decimal import Decimal

import pytest

from classroom.models import Lesson, TeacherProfile
from tests.authentication.consent import child
from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.conftest import login_token

pytestmark = pytest.mark.django_db


def api(client, user):
    token = login_token(client, user.email)

    def post(path, body):
        return client.post(
            f"/api/v1{path}", body, content_type="application/json", HTTP_X_SESSION_TOKEN=token
        )

    return post


def test_a_booked_lesson_answers_its_price_currency_and_mode(client):
    teacher = bookable_teacher(lesson_lengths=[30, 60])
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=Decimal("50"), currency="USD")
    post = api(client, learner := student())
    answer = post(
        "/lessons",
        {"teacher_id": teacher.pk, "start": days_ahead(3).isoformat(), "length": 30},
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["price"], body["currency"], body["mode"]) == ("25.00", "USD", "online")
    stored = Lesson.objects.get(student=learner)
    assert (stored.price, stored.currency, stored.mode) == (Decimal("25.00"), "USD", "online")


def test_a_price_other_than_the_one_shown_is_refused_with_price_changed(client):
    teacher = bookable_teacher()
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=Decimal("30"), currency="EUR")
    post = api(client, learner := student())
    body = {
        "teacher_id": teacher.pk,
        "start": days_ahead(3).isoformat(),
        "length": 60,
        "expected_price": "25.00",
        "expected_currency": "EUR",
    }
    refused = post("/lessons", body)
    assert refused.status_code == 409
    assert refused.json()["code"] == "price_changed"
    assert "30.00 EUR" in refused.json()["errors"]["expected_price"][0]
    assert not Lesson.objects.filter(student=learner).exists()
    assert post("/lessons", {**body, "expected_price": "30.00"}).status_code == 201


def test_a_mode_the_teacher_does_not_offer_is_refused_and_one_offered_is_stored(client):
    teacher = bookable_teacher()
    post = api(client, learner := student())
    body = {"teacher_id": teacher.pk, "start": days_ahead(3).isoformat(), "mode": "in_person"}
    refused = post("/lessons", body)
    assert (refused.status_code, refused.json()["code"]) == (422, "mode_not_offered")
    TeacherProfile.objects.filter(pk=teacher.pk).update(teaches_in_person=True)
    assert post("/lessons", body).json()["mode"] == "in_person"
    assert Lesson.objects.get(student=learner).mode == "in_person"


def test_a_series_stores_the_price_on_itself_and_every_lesson(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=Decimal("20"))
    post = api(client, student())
    answer = post(
        "/series",
        {"teacher_id": teacher.pk, "start": days_ahead(3).isoformat(), "count": 3},
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["price"] == "20.00"
    assert {(x["price"], x["currency"]) for x in body["lessons"]} == {("20.00", "EUR")}


def test_a_parent_booking_for_a_child_without_consent_gets_a_coded_refusal(client):
    kid, parent = child(age=12, consent=False)
    teacher = bookable_teacher()
    post = api(client, parent)
    refused = post(
        "/lessons",
        {"teacher_id": teacher.pk, "start": days_ahead(3).isoformat(), "student_id": kid.pk},
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "guardian_consent_required"
