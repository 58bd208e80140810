"""The home page and a landing page with a teacher list make the same number of queries for 3 and
for 30 teachers (and the menus for 3 and 30 links), cold (caches emptied before each request) and
warm (the cached sections, menus, footer and site-wide head reused).

Measured on PostgreSQL, anonymous, with a Spanish home page: the home page with every section 21
cold, 8 warm; a landing page with a hero and a chosen list of teachers 21 cold, 9 warm. Warm, what
remains is Wagtail serving the page (site, locale, the page's path, view restrictions), the hreflang
translations and one lookup for the language switcher. Budgets leave a query or two of room for the
shared base template.
"""

import pytest
from django.core.cache import cache

from home.models import Menu
from tests.classroom.factories import TeacherProfileFactory
from tests.home.factories import (
    CallToActionBlockFactory,
    HeroBlockFactory,
    LandingPageFactory,
    MenuFactory,
    MenuItemFactory,
    TeacherListBlockFactory,
    fill_home_page,
)
from tests.query_budget import assert_constant_queries, html_rows

pytestmark = pytest.mark.django_db

HOME_BUDGET_COLD = 23
# Warm, measured 5 and 7: routing and view restrictions; the page's head, language links and
# sections are cached (site_tags._page_head, wagtailpagecache).
HOME_BUDGET_WARM = 6
LANDING_BUDGET_COLD = 23
LANDING_BUDGET_WARM = 8


def add_teachers(count: int) -> list:
    return [
        TeacherProfileFactory(
            is_public=True,
            is_approved=True,
            subjects=["mathematics", "piano"],
            levels=["beginner"],
            languages=["es"],
        )
        for _ in range(count)
    ]


TEACHER_CARDS = html_rows('class="card block-teacher"')


def get(client, url, *, cold: bool):
    def load():
        if cold:
            cache.clear()
        return client.get(url)  # assert_constant_queries checks the status

    return load


@pytest.fixture
def home_page(home, spanish_home):
    add_teachers(3)
    page = fill_home_page(home)
    page.featured_teachers = [("teacher_list", TeacherListBlockFactory(limit=24))]
    page.save_revision().publish()
    return page


@pytest.mark.parametrize(("cold", "budget"), [(True, HOME_BUDGET_COLD), (False, HOME_BUDGET_WARM)])
def test_the_home_page_makes_the_same_queries_for_3_and_30_teachers(
    client, home_page, cold, budget
):
    def grow():
        add_teachers(27)
        if not cold:
            client.get("/")  # teacher changes empty the cached sections: warm them again

    count = assert_constant_queries(
        get(client, "/", cold=cold), grow=grow, budget=budget, rows=TEACHER_CARDS
    )

    print(f"home page, {'cold' if cold else 'warm'}: {count} queries")
    html = client.get("/").content.decode()
    assert html.count('class="card block-teacher"') == 24


@pytest.mark.parametrize(
    ("cold", "budget"), [(True, LANDING_BUDGET_COLD), (False, LANDING_BUDGET_WARM)]
)
def test_a_landing_page_with_a_chosen_teacher_list_makes_the_same_queries_for_3_and_30_teachers(
    client, home, cold, budget
):
    teachers = add_teachers(3)
    page = LandingPageFactory()

    hero = HeroBlockFactory()

    def choose(chosen):
        page.body = [
            ("hero", hero),
            ("teacher_list", TeacherListBlockFactory(source="chosen", teachers=chosen, limit=24)),
            ("call_to_action", CallToActionBlockFactory()),
        ]
        page.save_revision().publish()

    choose(teachers)

    def grow():
        choose(teachers + add_teachers(27))
        if not cold:
            client.get(page.url)

    count = assert_constant_queries(
        get(client, page.url, cold=cold), grow=grow, budget=budget, rows=TEACHER_CARDS
    )
    print(f"landing page, {'cold' if cold else 'warm'}: {count} queries")

    assert client.get(page.url).content.decode().count('class="card block-teacher"') == 24


def test_the_menus_make_the_same_queries_for_3_and_30_links(client, home_page):
    main = MenuFactory(slot=Menu.Slot.MAIN)
    footer = MenuFactory(slot=Menu.Slot.FOOTER)
    pages = [
        LandingPageFactory(body__0="rich_text", title=f"Offer {i}", slug=f"offer-{i}")
        for i in range(15)
    ]

    def add_links(start, stop):
        for i in range(start, stop):
            MenuItemFactory(menu=main, link_url="", link_page=pages[i % 15], link_text="")
            MenuItemFactory(menu=footer, link_url=f"/teachers/?page={i}", link_text=f"Link {i}")

    add_links(0, 3)

    assert_constant_queries(
        get(client, "/", cold=True),
        grow=lambda: add_links(3, 30),
        budget=HOME_BUDGET_COLD + 4,
        rows=lambda r: html_rows("Offer ")(r) + html_rows("Link ")(r),
    )
    assert client.get("/").content.decode().count("Offer ") >= 30
