"""A Spanish visitor reads in Spanish on a phone: a teacher's page and a course page label what exists
only in English ("en inglés"), their lessons list gives dates as Spanish writes them and names the
teacher, and a wrong address answers with the branded 404 page in each language."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.authentication.factories import PASSWORD
from tests.booking.factories import student
from tests.calendar.factories import private_lesson
from tests.classroom.factories import listed_teacher
from tests.courses.factories import ModuleFactory
from tests.courses.page_helpers import live_course, translate_page
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_spanish_visitor_reads_teacher_course_and_lessons_in_spanish_on_a_phone(journey):
    teacher = listed_teacher(
        timezone="Europe/Madrid",
        first_name="Ana",
        last_name="García",
        translations={"es": {"headline": "Profesora de matemáticas"}},
    )
    teacher.bio = "I have taught algebra for ten years."
    teacher.save(update_fields=["bio"])
    course = live_course(summary="Fractions and equations, step by step.", owner=teacher.user)
    ModuleFactory(course=course, title="Fractions", translations={"es": {"title": "Fracciones"}})
    translate_page(course.page, title="Álgebra")
    learner = student(tz="Europe/Madrid", first_name="Leo", last_name="Ruiz", language="es")
    private_lesson(
        teacher=teacher,
        student=learner,
        start=datetime.datetime(2026, 12, 7, 14, 0, tzinfo=ZoneInfo("Europe/Madrid")),
    )
    page = journey.page
    page.set_viewport_size(PHONE)
    main = page.locator("main")

    journey.goto(f"/es/teachers/{teacher.slug}/")
    expect(main).to_contain_text("Profesora de matemáticas")  # the Spanish headline, unlabelled
    bio = main.locator('[lang="en"]', has_text="I have taught algebra")
    expect(bio).to_be_visible()
    expect(main.locator(".other-language__label").first).to_have_text("en inglés")
    journey.screenshot("one-language-teacher")

    journey.goto(f"/es/courses/{course.slug}/")
    expect(page.locator("h1")).to_have_text("Álgebra")
    expect(main.locator('[lang="en"]', has_text="Fractions and equations")).to_be_visible()
    expect(main).to_contain_text("Fracciones")
    journey.screenshot("one-language-course")

    journey.goto("/auth/login/")  # then every page in Spanish again
    form = page.locator("main form")
    form.get_by_label(re.compile("^Email", re.I)).fill(learner.email)
    form.get_by_label(re.compile("^Password", re.I)).fill(PASSWORD)
    journey.submit(re.compile("^Sign in$", re.I))
    journey.goto("/es/lessons/")
    expect(main).to_contain_text("lunes, 7 de diciembre de 2026, 14:00")
    expect(main).to_contain_text("Clase con Ana García")
    journey.screenshot("one-language-lessons")


def test_the_404_page_is_branded_in_both_languages(journey):
    page = journey.page
    for path, heading, home in (
        ("/no-such-page/", "Page not found", "Back to the home page"),
        ("/es/no-existe/", "Página no encontrada", "Volver a la página de inicio"),
    ):
        response = page.goto(journey.url(path))
        assert response.status == 404
        journey.check_a11y()
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator("main").get_by_role("link", name=home)).to_be_visible()
    journey.screenshot("error-404-es")
