"""The catalog as a card grid (cover image or a drawn placeholder, lazy-loaded renditions sized for
cards, filters folded on a phone) and the course page's summary column (price, seats left, next
session in the viewer's zone, teachers with links, the enrol button), with constant queries."""

import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from classroom.models import Lesson
from courses.choices import CourseFormat
from courses.pages import catalog_listing_changed
from tests.blog.factories import ImageFactory
from tests.classroom.conftest import as_user
from tests.classroom.factories import listed_teacher
from tests.courses.factories import EnrollmentFactory
from tests.courses.page_helpers import catalog, live_course, publish
from tests.query_budget import assert_constant_queries

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_catalog_cards_show_the_cover_as_a_lazy_card_rendition_or_a_placeholder(client):
    catalog()
    pictured = live_course(title="Pictured")
    pictured.page.cover_image = ImageFactory()
    publish(pictured.page)
    plain = live_course(title="Plain")
    catalog_listing_changed()

    page = soup(client.get("/courses/"))
    cards = {li["data-course"]: li for li in page.select("ul.course-grid > li.course-card")}
    assert set(cards) == {pictured.slug, plain.slug}
    image = cards[pictured.slug].select_one("img.course-card__image")
    # A 16:9 card rendition (the small test picture is not enlarged past its 320 px), lazy-loaded.
    assert image["loading"] == "lazy" and ".fill-480x270" in image["src"]
    assert int(image["width"]) * 9 == int(image["height"]) * 16
    assert cards[pictured.slug].select_one(".course-card__placeholder") is None
    placeholder = cards[plain.slug].select_one(".course-card__placeholder")
    assert placeholder is not None and placeholder.get_text(strip=True) == "Mathematics"
    assert cards[plain.slug].select_one("img") is None
    assert "Free" in cards[plain.slug].select_one('[data-testid="card-price"]').get_text()


def test_the_catalog_filters_fold_into_a_details_element_that_keeps_the_form(client):
    catalog()
    live_course()
    page = soup(client.get("/courses/"))
    fold = page.select_one("main details.filters-fold")
    assert fold is not None and fold.has_attr("data-open-wide") and not fold.has_attr("open")
    assert fold.select_one("summary").get_text(strip=True) == "Filter courses"
    assert fold.select_one('form[role="search"] button[type="submit"]') is not None
    # The filtered page says so on the summary, so a phone user sees a filter is on.
    filtered = soup(client.get("/courses/", {"format": "group"}))
    assert "filtered" in filtered.select_one("details.filters-fold summary").get_text()


def group_course_with_sessions(n: int, *, teacher, course=None):
    course = course or live_course(
        owner=teacher.user, format=CourseFormat.GROUP, capacity=12, price=Decimal("120")
    )
    first = Lesson.objects.filter(course=course).count()
    for i in range(first, first + n):
        start = timezone.now().replace(microsecond=0) + timedelta(days=3 + i, hours=2)
        Lesson.objects.create(
            teacher=teacher,
            kind="group",
            course=course,
            title=f"Session {i + 1}",
            capacity=12,
            booked_by=teacher.user,
            start=start,
            end=start + timedelta(hours=1),
        )
    return course


def test_the_course_page_summary_shows_price_seats_next_session_teacher_and_enrol(client, people):
    teacher = listed_teacher(first_name="Ana", timezone="Europe/Madrid")
    course = group_course_with_sessions(2, teacher=teacher)
    EnrollmentFactory(course=course, student=people.student_b)
    people.student_a.timezone = "America/Mexico_City"
    people.student_a.save()
    as_user(client, people.student_a)

    summary = soup(client.get(f"/courses/{course.slug}/")).select_one(
        'aside[data-testid="course-summary"]'
    )
    assert summary.select_one('[data-testid="course-price"]').get_text(strip=True) == "120 EUR"
    assert summary.select_one('[data-testid="seats-left"]').get_text(strip=True) == (
        "11 of 12 seats left"
    )
    first = Lesson.objects.filter(course=course).order_by("start").first().start
    shown = summary.select_one('[data-testid="next-session"] time')
    mexico = first.astimezone(zoneinfo.ZoneInfo("America/Mexico_City"))
    assert shown["datetime"] == mexico.isoformat()
    assert mexico.strftime("%H:%M") in shown.get_text()
    teacher_link = summary.select_one('[data-testid="course-teachers"] a')
    assert teacher_link["href"] == f"/teachers/{teacher.slug}/"
    enrol = summary.select_one(f'form[action="/courses/{course.slug}/enrol/"] button')
    assert enrol.get_text(strip=True) == "Enrol"
    # On a phone the summary comes before the description: first in the layout's source order.
    layout = soup(client.get(f"/courses/{course.slug}/")).select_one(".course-layout")
    assert layout.find(recursive=False)["data-testid"] == "course-summary"


def test_a_visitor_is_offered_to_log_in_from_the_summary_and_past_sessions_are_not_next(client):
    teacher = listed_teacher()
    course = group_course_with_sessions(1, teacher=teacher)
    Lesson.objects.filter(course=course).update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=2, hours=-1)
    )
    summary = soup(client.get(f"/courses/{course.slug}/")).select_one(".course-summary")
    assert summary.select_one('[data-testid="next-session"]') is None
    login = summary.select_one("a.button")
    assert login.get_text(strip=True) == "Log in to enrol"


def test_the_course_page_makes_the_same_queries_for_1_and_30_sessions(client, people):
    teacher = listed_teacher()
    course = group_course_with_sessions(1, teacher=teacher)
    url = f"/courses/{course.slug}/"
    as_user(client, people.student_a)

    def shown(response) -> int:
        """Seats taken plus the next session when shown: both must be read from the new rows."""
        page = soup(response)
        left = int(page.select_one('[data-testid="seats-left"]').get_text().split()[0])
        return (12 - left) + (page.select_one('[data-testid="next-session"] time') is not None)

    def grow():
        group_course_with_sessions(29, teacher=teacher, course=course)
        EnrollmentFactory(course=course)
        client.get(url)  # an enrolment drops the cached chrome: rebuilt here, not measured

    assert_constant_queries(lambda: client.get(url), grow=grow, rows=shown)
    first = Lesson.objects.filter(course=course).order_by("start").first().start
    next_shown = soup(client.get(url)).select_one('[data-testid="next-session"] time')
    assert datetime.fromisoformat(next_shown["datetime"]) == first
