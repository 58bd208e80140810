"""The header in a real browser: the product's areas for the person's roles on at most two rows at
1366 px in both languages (Spanish labels are longer), the current area marked and its own pages
beside it, the phone menu, and a Spanish visitor who clicks through header and footer stays in /es/."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.booking.factories import bookable_teacher
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1366, "height": 900}

# Rows of the header's bar: the vertical centres of its visible links and buttons, clustered.
_HEADER_ROWS = """
() => {
  const items = [...document.querySelectorAll(".site-header__bar a, .site-header__bar button")]
    .filter((el) => el.offsetParent !== null)
    .map((el) => { const r = el.getBoundingClientRect(); return r.top + r.height / 2; })
    .sort((a, b) => a - b);
  let rows = 0, last = -1000;
  for (const centre of items) { if (centre - last > 12) rows += 1; last = centre; }
  return rows;
}
"""

AREAS = {
    "en": ["Home", "Lessons", "Courses", "Progress", "Teaching", "Chat", "Children"],
    "es": ["Inicio", "Clases", "Cursos", "Progreso", "Enseñanza", "Chat", "Hijos"],
}


def test_a_teacher_who_is_also_a_parent_finds_every_area_on_two_header_rows(journey):
    """The role with most areas, at 1366 px, in English and Spanish; then into the teaching area."""
    page = journey.page
    page.set_viewport_size(WIDE)
    teacher = bookable_teacher(email="ana.nav@example.com", first_name="Ana", last_name="García")
    teacher.user.groups.add(Group.objects.get(name="Parent"))
    journey.login(teacher.user.email)

    for prefix, language in (("", "en"), ("/es", "es")):
        journey.goto(f"{prefix}/dashboard/")
        areas = page.get_by_role("navigation", name=re.compile("Your areas|Tus áreas"))
        expect(areas.get_by_role("link")).to_have_text(AREAS[language])
        expect(areas.get_by_role("link", name=AREAS[language][0])).to_have_attribute(
            "aria-current", "page"
        )
        assert page.evaluate(_HEADER_ROWS) <= 2, f"the {language} header wraps onto a third row"

    # Still in Spanish: the teaching area opens on the week, with its pages beside it.
    with page.expect_navigation():
        page.get_by_role("link", name="Enseñanza").click()
    journey.check_a11y()
    assert page.url.endswith("/es/lessons/week/")
    expect(page.get_by_role("link", name="Enseñanza")).to_have_attribute("aria-current", "page")
    area = page.get_by_role("navigation", name="Enseñanza")
    with page.expect_navigation():
        area.get_by_role("link", name="Disponibilidad").click()
    journey.check_a11y()
    assert page.url.endswith("/es/lessons/availability/")
    expect(area.get_by_role("link", name="Disponibilidad")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("link", name="Enseñanza")).to_have_attribute("aria-current", "true")
    journey.screenshot("navigation-teacher-parent-es")


def test_a_spanish_visitor_on_a_phone_opens_the_menu_and_stays_in_spanish(journey):
    page = journey.page
    page.set_viewport_size(PHONE)
    journey.goto("/es/")
    menu = page.get_by_role("button", name="Menú")
    courses = page.get_by_role("navigation", name="Principal").get_by_role("link", name="Cursos")
    expect(courses).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(courses).to_be_visible()
    journey.check_a11y()
    with page.expect_navigation():
        courses.click()
    journey.check_a11y()
    assert page.url.endswith("/es/courses/")

    footer = page.get_by_role("contentinfo")
    for name, address in (("Buscar", "/es/search/"), ("Encuentra un profesor", "/es/teachers/")):
        with page.expect_navigation():
            footer.get_by_role("link", name=name).click()
        journey.check_a11y()  # also: no link of this Spanish page leads to an English one
        assert page.url.endswith(address), page.url
        expect(page.locator("html")).to_have_attribute("lang", "es")
    with page.expect_navigation():
        footer.get_by_role("link", name="Crear una cuenta").click()
    journey.check_a11y()
    assert "/es/auth/" in page.url, page.url
