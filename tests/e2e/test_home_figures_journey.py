"""A parent sees their child's figures on their home (progress per course, attendance with its
chart, credits left), in English and Spanish, at 1366 and 375 px; axe on each page; screenshots
`home-figures-parent` and `home-figures-teacher`."""

import pytest
from playwright.sync_api import expect

from tests.dashboards.analytics_data import build
from tests.dashboards.conftest import at_now  # noqa: F401 - the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_parent_sees_their_childs_figures_and_a_teacher_their_own(
    at_now,  # noqa: F811
    journey,
    settings,
):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    # The last 30 days from 7 December: 8 November – 7 December (Madrid), in weeks counted back
    # from 7 December: 8–9 Nov, 10–16, 17–23 (the group session on the 20th), 24–30, 1–7 Dec.
    data = build()
    page = journey.page
    main = page.locator("main")

    journey.login(data.parent.email)
    figures = main.locator('[data-testid="learner-figures"]')
    expect(figures).to_have_count(1)
    expect(figures).to_have_attribute("data-student", str(data.s1.pk))
    # Sara was present in the group session of 20 November (L1 on 5 Nov is before the period).
    expect(figures.locator('[data-figure="attendance"]')).to_contain_text("100%")
    expect(figures.locator('[data-figure="attendance"]')).to_contain_text("1 of 1 lesson attended")
    expect(figures.locator('[data-figure="credits"]')).to_contain_text("4")
    expect(figures.locator('[data-figure="credits"]')).to_contain_text("with Ana Teacher (EUR)")
    expect(figures.get_by_role("img")).to_have_attribute(
        "aria-label", "Lessons attended per week, oldest first: 0, 0, 1, 0, 0"
    )
    row = figures.get_by_role("row", name="Algebra")
    expect(row).to_contain_text("2 / 2")
    expect(row).to_contain_text("100%")
    expect(main).not_to_contain_text("Tom Two")
    journey.screenshot("home-figures-parent")

    journey.goto("/es/dashboard/")
    figures = main.locator('[data-testid="learner-figures"]')
    expect(figures).to_contain_text("Créditos restantes")
    expect(figures).to_contain_text("1 de 1 clase con asistencia")
    journey.logout()

    journey.login(data.t1.email)
    mine = main.locator('[data-testid="teacher-figures"]')
    expect(mine.locator('[data-figure="earnings"]')).to_contain_text("EUR")
    expect(mine.locator('[data-figure="earnings"]')).not_to_contain_text("USD")
    expect(mine.locator('[data-figure="utilisation"]')).to_contain_text("h offered")
    journey.screenshot("home-figures-teacher")
    journey.logout()
