"""A student books a lesson the way a person does: picks a length and a time, reads the review
(price, the free-cancellation cut-off in their own zone), confirms, then cancels reading the
consequence first. Once in English on a desktop, once in Spanish on a phone."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from classroom.choices import LessonStatus
from classroom.models import Lesson, TeacherProfile
from tests.booking.factories import bookable_teacher, student
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "show": "Show free times",
        "price": "30.00 EUR",
        "policy": "Free to cancel or move until",
        "zone": "your time (America/Mexico_City)",
        "confirm": "Confirm booking",
        "booked": "is booked for",
        "cancel": "Cancel this lesson",
        "free": "Free to cancel until",
        "yes": "Yes, cancel the lesson",
        "done": "is cancelled, free of charge",
    },
    "es": {
        "show": "Ver horas libres",
        "price": "30,00 EUR",
        "policy": "Cancelación o cambio gratis hasta el",
        "zone": "tu hora (America/Mexico_City)",
        "confirm": "Confirmar la reserva",
        "booked": "está reservada para el",
        "cancel": "Cancelar esta clase",
        "free": "Cancelación gratis hasta el",
        "yes": "Sí, cancelar la clase",
        "done": "está cancelada, sin coste",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_student_reviews_confirms_and_cancels_a_lesson_knowing_what_it_costs(
    journey, language, settings
):
    # A school that takes no payments for lessons: the review ends in Confirm (a priced lesson's
    # Pay, and its hold, are tests/booking/test_holds.py).
    settings.LESSON_PAYMENT_REQUIRED = False
    words = WORDS[language]
    prefix = "/es" if language == "es" else ""
    teacher = bookable_teacher(tz="Europe/Madrid", lesson_lengths=[30, 45, 60])
    TeacherProfile.objects.filter(pk=teacher.pk).update(hourly_rate=Decimal("40"), currency="EUR")
    learner = student(tz="America/Mexico_City", email=f"booker.{language}@example.com")
    page = journey.page
    journey.login(learner.email)
    type(learner).objects.filter(pk=learner.pk).update(language=language)
    if language == "es":
        page.set_viewport_size(PHONE)

    journey.goto(f"{prefix}/lessons/book/{teacher.pk}/")
    page.locator("main").get_by_text("45 min", exact=True).click()
    journey.submit(words["show"])
    with page.expect_navigation():
        # A time two days ahead: more than the 24 hours of free cancellation away.
        page.locator("main .slot-day").nth(2).locator("button").first.click()
    journey.check_a11y()
    assert re.search(r"/lessons/book/\d+/review/", page.url)
    review = page.get_by_role("main")
    expect(page.get_by_test_id("booking-price")).to_contain_text(words["price"])
    expect(page.get_by_test_id("booking-policy")).to_contain_text(words["policy"])
    expect(review).to_contain_text(words["zone"])
    if language == "en":
        journey.screenshot("booking-review")
    assert not Lesson.objects.exists()

    journey.submit(words["confirm"])
    expect(page.get_by_role("main")).to_contain_text(words["booked"])
    lesson = Lesson.objects.get(student=learner)
    assert (lesson.price, lesson.currency) == (Decimal("30.00"), "EUR")

    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name=words["cancel"]).first.click()
    journey.check_a11y()
    expect(page.get_by_test_id("cancel-consequence")).to_contain_text(words["free"])
    if language == "en":
        journey.screenshot("booking-cancel")
    journey.submit(words["yes"])
    expect(page.get_by_role("main")).to_contain_text(words["done"])
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.CANCELLED
