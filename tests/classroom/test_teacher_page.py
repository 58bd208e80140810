"""A teacher's public page and directory card: a prominent Book button and the next free times for a
teacher who has weekly availability; "not taking bookings yet" and no Book button for one who has
none (the API says the same in `taking_bookings`); their courses; constant queries."""

import zoneinfo
from datetime import time
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

from tests.booking.factories import bookable_teacher, days_ahead, student
from tests.classroom.factories import listed_teacher
from tests.courses.page_helpers import catalog, live_course
from tests.query_budget import assert_constant_queries, assert_page_queries

pytestmark = pytest.mark.django_db

# Measured 10 for an anonymous visitor: the profile with subjects, levels and languages (4), the free
# times (rules, time off, lessons: 3), the courses with their teachers and pages (3).
TEACHER_PAGE_BUDGET = 10


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def one_slot_a_week(**kwargs):
    """A Madrid teacher free 10:00–11:00 on the weekday two days from now, offering 60 minutes."""
    weekday = days_ahead(2, hour=10).astimezone(zoneinfo.ZoneInfo("Europe/Madrid")).weekday()
    return bookable_teacher(rules=[(weekday, time(10), time(11))], lesson_lengths=(60,), **kwargs)


def test_a_teacher_without_availability_is_not_taking_bookings_on_the_directory_page_and_api(
    client,
):
    teacher = listed_teacher(first_name="Nora")
    client.force_login(student())

    card = soup(client.get("/teachers/")).select_one("li.teacher-card")
    assert "Not taking bookings yet" in card.get_text()

    page = soup(client.get(f"/teachers/{teacher.slug}/"))
    assert page.select_one('[data-testid="not-taking-bookings"]') is not None
    assert page.select_one('[data-testid="book-button"]') is None
    assert not page.select(f'a[href^="/lessons/book/{teacher.pk}/"]')
    assert page.select_one('[data-testid="next-slots"]') is None

    assert client.get(f"/api/v1/teachers/{teacher.pk}").json()["taking_bookings"] is False
    listed = client.get("/api/v1/teachers").json()["items"]
    assert [t["taking_bookings"] for t in listed] == [False]


def test_a_teacher_with_availability_offers_book_and_the_next_free_times_in_the_viewers_zone(
    client,
):
    teacher = one_slot_a_week(first_name="Ana")
    learner = student(tz="America/Mexico_City")
    client.force_login(learner)

    assert "Not taking bookings yet" not in soup(client.get("/teachers/")).get_text()
    page = soup(client.get(f"/teachers/{teacher.slug}/"))
    assert page.select_one('[data-testid="book-button"]')["href"] == f"/lessons/book/{teacher.pk}/"
    links = page.select('[data-testid="next-slots"] a')
    mexico = zoneinfo.ZoneInfo("America/Mexico_City")
    expected = [days_ahead(n, hour=10).astimezone(mexico) for n in (2, 9)]
    assert len(links) == 2  # one a week, two weeks ahead
    for link, start in zip(links, expected, strict=True):
        url = urlparse(link["href"])
        assert url.path == f"/lessons/book/{teacher.pk}/"
        assert parse_qs(url.query) == {"start": [start.isoformat()], "length": ["60"]}
        assert (
            start.strftime("%H:%M") in link.get_text()
        )  # 03:00 in Mexico City, not Madrid's 10:00
    assert "America/Mexico_City" in page.select_one(".booking-panel").get_text()

    body = client.get(f"/api/v1/teachers/by-slug/{teacher.slug}").json()
    assert body["taking_bookings"] is True


def test_a_visitor_who_is_not_signed_in_sees_the_times_in_the_teachers_zone_labelled_so(client):
    teacher = one_slot_a_week()
    page = soup(client.get(f"/teachers/{teacher.slug}/"))
    first = page.select_one('[data-testid="next-slots"] a')
    assert "10:00" in first.get_text()
    assert "teacher's time zone (Europe/Madrid)" in page.select_one(".booking-panel").get_text()


def test_the_owner_without_availability_is_told_to_set_it_and_gets_no_book_button(client):
    teacher = listed_teacher()
    client.force_login(teacher.user)
    page = soup(client.get(f"/teachers/{teacher.slug}/"))
    assert page.select_one('[data-testid="book-button"]') is None
    assert page.select_one('a[href="/lessons/availability/"]') is not None


def test_the_teacher_page_lists_their_published_courses_as_cards(client):
    teacher = listed_teacher(first_name="Carla")
    catalog()
    mine = live_course(owner=teacher.user, title="Algebra with Carla")
    live_course(title="Somebody else's course")

    cards = soup(client.get(f"/teachers/{teacher.slug}/")).select(".teacher-courses li.course-card")
    assert [c["data-course"] for c in cards] == [mine.slug]
    assert cards[0].select_one("a")["href"] == mine.page.url


def test_the_teacher_page_makes_the_same_queries_for_2_and_20_courses_and_free_times(client):
    teacher = bookable_teacher(first_name="Ana")  # free all day: the page lists 6 times
    catalog()

    def add(n):
        for _ in range(n):
            live_course(owner=teacher.user)

    add(2)

    def load():
        return client.get(f"/teachers/{teacher.slug}/")

    assert_constant_queries(
        load,
        grow=lambda: (add(18), load()),
        budget=TEACHER_PAGE_BUDGET,
        rows=lambda response: len(soup(response).select(".teacher-courses li.course-card")),
    )
    page = soup(load())
    assert len(page.select('[data-testid="next-slots"] a')) == 6
    assert_page_queries(load, budget=TEACHER_PAGE_BUDGET, contains=["<h1>Ana "])


def test_the_spanish_teacher_page_says_it_all_in_spanish(client):
    teacher = one_slot_a_week()
    page = soup(client.get(f"/es/teachers/{teacher.slug}/"))
    panel = page.select_one(".booking-panel").get_text(" ", strip=True)
    assert "Próximos horarios libres" in panel and "Reservar" in panel
    assert "Clases de 60 minutos; horas en la zona horaria del profesor" in panel
    first = page.select_one('[data-testid="next-slots"] a').get_text()
    day = days_ahead(2, hour=10).astimezone(zoneinfo.ZoneInfo("Europe/Madrid"))
    spanish_days = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"]
    assert first.lower().startswith(spanish_days[day.weekday()])
    assert page.select_one('[data-testid="book-button"]')["href"].startswith("/es/lessons/book/")

    idle = listed_teacher(first_name="Nora")
    assert "Todavía no acepta reservas" in soup(client.get("/es/teachers/")).get_text()
    assert "Todavía no acepta reservas" in soup(client.get(f"/es/teachers/{idle.slug}/")).get_text()
