"""What the course pages cache shows every change at once: the catalog filter's choices (subjects,
levels, languages, teachers; cached per language, courses.forms.catalog_filter_choices) and the
unfiltered form, each catalog card (courses.pages._card_cache_key), the results per filter
combination and page (courses.pages._results_cache_key), and a course page's head, whose JSON-LD
(seats left) is built on every request."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from classroom.models import Level, Subject
from courses.choices import CourseStatus
from courses.forms import catalog_choices_changed
from courses.models import Course
from courses.page_services import course_page_create
from tests.authentication.factories import UserFactory
from tests.courses.factories import CourseFactory
from tests.courses.page_helpers import catalog, live_course, publish
from tests.query_budget import capture_queries

pytestmark = pytest.mark.django_db


def options(client, name: str, url: str = "/courses/") -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    select = BeautifulSoup(response.content, "html.parser").find("select", {"name": name})
    return {o["value"]: o.get_text(strip=True) for o in select.find_all("option") if o["value"]}


@pytest.fixture(autouse=True)
def _catalog(db):
    catalog()


def test_the_choices_are_read_once_then_served_from_the_cache(client):
    live_course()
    url = "/courses/?q=Course"  # free text: the results are read every time, the choices are not
    client.get(url)
    with capture_queries() as captured:
        assert client.get(url).status_code == 200

    sql = " ".join(q["sql"] for q in captured.captured_queries)
    # (the course cards join the lookups; the choices read them on their own)
    assert 'FROM "classroom_subject"' not in sql
    assert 'FROM "classroom_level"' not in sql
    assert 'FROM "classroom_teachinglanguage"' not in sql
    # and a change costs the four queries once
    catalog_choices_changed()
    with capture_queries() as cold:
        assert client.get(url).status_code == 200
    assert len(cold) == len(captured) + 4


def test_a_new_or_renamed_subject_and_a_level_translation_show_at_once(client):
    assert "chess" not in options(client, "subject")
    Subject.objects.create(slug="chess", name="Chess", translations={"es": "Ajedrez"})
    assert options(client, "subject")["chess"] == "Chess"
    assert options(client, "subject", "/es/courses/")["chess"] == "Ajedrez"

    level = Level.objects.get(code="advanced")
    level.translations = {**level.translations, "es": "Muy avanzado"}
    level.save()
    assert options(client, "level", "/es/courses/")["advanced"] == "Muy avanzado"

    Subject.objects.filter(slug="chess").first().delete()
    assert "chess" not in options(client, "subject")


def test_a_new_course_teacher_and_a_renamed_one_show_at_once(client):
    course = live_course()
    helper = UserFactory(roles=["Teacher"], first_name="Hanna", last_name="Helper")
    assert str(helper.pk) not in options(client, "teacher")

    course.teachers.add(helper)
    assert "Hanna" in options(client, "teacher")[str(helper.pk)]

    helper.first_name = "Johanna"
    helper.save()
    assert "Johanna" in options(client, "teacher")[str(helper.pk)]

    second = live_course(owner=UserFactory(roles=["Teacher"], first_name="Otto"))
    assert "Otto" in options(client, "teacher")[str(second.owner_id)]


def test_a_course_going_live_through_its_page_adds_its_teacher(client):
    """Publishing the page publishes the course with a queryset update (no post_save)."""
    owner = UserFactory(roles=["Teacher"], first_name="Paula")
    course = CourseFactory(owner=owner, status=CourseStatus.DRAFT)
    page = course_page_create(course=course)
    assert str(owner.pk) not in options(client, "teacher")

    publish(page)

    assert Course.objects.get(pk=course.pk).status == CourseStatus.PUBLISHED
    assert "Paula" in options(client, "teacher")[str(owner.pk)]


def card_text(client, course) -> str:
    response = client.get("/courses/")
    card = BeautifulSoup(response.content, "html.parser").select_one(
        f'li.course-card[data-course="{course.slug}"]'
    )
    return " ".join(card.get_text().split())


def test_a_cached_catalog_card_shows_new_seats_taken_an_edit_and_a_renamed_teacher(client):
    """Cards are cached per course state (courses.pages._card_cache_key)."""
    from tests.courses.factories import EnrollmentFactory

    teacher = UserFactory(roles=["Teacher"], first_name="Carmen", last_name="Card")
    course = live_course(owner=teacher, capacity=10, summary="The old summary.")
    student = UserFactory(roles=["Student"])  # before: a new person moves the choices' version
    assert "0 of 10 taken" in card_text(client, course)

    EnrollmentFactory(course=course, student=student)
    assert "1 of 10 taken" in card_text(client, course)

    course.summary = "The new summary."
    course.save()
    assert "The new summary." in card_text(client, course)

    teacher.first_name = "Carmela"
    teacher.save()
    assert "Carmela" in card_text(client, course)

    level = course.level or Level.objects.first()
    if course.level is None:
        course.level = level
        course.save()
    level.name = "Renamed level"
    level.save()
    assert "Renamed level" in card_text(client, course)


def test_a_course_pages_json_ld_follows_its_seats_while_the_rest_of_its_head_is_cached(client):
    """A course page's head is cached (site_tags._page_head) but for its JSON-LD (cache_head)."""
    from tests.courses.factories import EnrollmentFactory
    from tests.courses.page_helpers import json_ld

    course = live_course(capacity=1)
    student = UserFactory(roles=["Student"])

    def availability() -> str:
        data = json_ld(client.get(f"/courses/{course.slug}/").content.decode())
        return next(d for d in data if d.get("@type") == "Course")["offers"][0]["availability"]

    assert availability() == "https://schema.org/InStock"
    EnrollmentFactory(course=course, student=student)
    assert availability() == "https://schema.org/SoldOut"


def slugs_listed(client, url: str = "/courses/") -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    cards = BeautifulSoup(response.content, "html.parser").select("li.course-card")
    return [card["data-course"] for card in cards]


def test_the_results_filtered_by_choices_and_paged_are_served_without_a_course_query(client):
    """The results are cached per filter combination and page (courses.pages._results_cache_key);
    free text is not (any string would be a new entry)."""
    for n in range(14):
        live_course(title=f"Course {n:02}")
    for url in ("/courses/", "/courses/?format=group&sort=title", "/courses/?page=2"):
        client.get(url)
        with capture_queries() as captured:
            listed = slugs_listed(client, url)
        assert listed  # the answer, not only its cost
        sql = " ".join(q["sql"] for q in captured.captured_queries)
        assert 'FROM "courses_course"' not in sql, url
    assert len(slugs_listed(client, "/courses/?page=2")) == 2

    client.get("/courses/?q=Course")
    with capture_queries() as searched:
        assert len(slugs_listed(client, "/courses/?q=Course")) == 12
    assert 'FROM "courses_course"' in " ".join(q["sql"] for q in searched.captured_queries)


def test_the_cached_results_follow_new_changed_unpublished_and_deleted_courses(client):
    first = live_course(title="Algebra")
    assert slugs_listed(client) == [first.slug]
    assert slugs_listed(client, "/courses/?format=one_to_one") == []

    second = live_course(title="Geometry")  # a new course, live through its page
    assert set(slugs_listed(client)) == {first.slug, second.slug}

    second.format = "one_to_one"  # an edit that moves it between filters
    second.save()
    assert slugs_listed(client, "/courses/?format=one_to_one") == [second.slug]
    assert slugs_listed(client, "/courses/?format=group") == [first.slug]

    second.page.unpublish()  # the page taken down: the course leaves the catalog
    assert slugs_listed(client) == [first.slug]
    publish(second.page)
    assert set(slugs_listed(client)) == {first.slug, second.slug}

    second.page.title = "Geometry for everyone"  # the page's title is the card's
    publish(second.page)
    assert "Geometry for everyone" in card_text(client, second)

    helper = UserFactory(roles=["Teacher"], first_name="Tilda")
    first.teachers.add(helper)
    assert "Tilda" in card_text(client, first)

    second.page.delete()
    Course.objects.filter(pk=second.pk).delete()
    assert slugs_listed(client) == [first.slug]


def test_the_cached_results_follow_a_translation_and_the_seats_taken(client):
    from tests.courses.factories import EnrollmentFactory
    from tests.courses.page_helpers import translate_page

    course = live_course(title="Algebra", capacity=3)
    assert "Algebra" in card_text(client, course)
    listed = BeautifulSoup(client.get("/es/courses/").content, "html.parser")
    assert "Algebra" in listed.select_one("li.course-card").get_text()

    translate_page(course.page, title="Álgebra")
    listed = BeautifulSoup(client.get("/es/courses/").content, "html.parser")
    assert "Álgebra" in listed.select_one("li.course-card").get_text()

    enrollment = EnrollmentFactory(course=course)
    assert "1 of 3 taken" in card_text(client, course)
    enrollment.delete()
    assert "0 of 3 taken" in card_text(client, course)


def test_starting_soon_counts_from_the_day_the_results_are_asked_for(client):
    import time_machine
    from django.utils import timezone

    today = timezone.localdate()
    course = live_course(starts_on=today + timedelta(days=31))
    assert slugs_listed(client, "/courses/?starting_soon=on") == []
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert slugs_listed(client, "/courses/?starting_soon=on") == [course.slug]


def test_the_pagination_links_keep_each_requests_own_parameters(client):
    """The links repeat the request's parameters: an unknown one is not served from (or into) the
    cached results of the same filters."""
    for n in range(13):
        live_course(title=f"Course {n:02}")

    def next_link(url: str) -> str:
        response = client.get(url)
        return BeautifulSoup(response.content, "html.parser").select_one('a[rel="next"]')["href"]

    assert next_link("/courses/?format=group") == "?format=group&page=2"
    assert next_link("/courses/?format=group&utm_source=news") == (
        "?format=group&utm_source=news&page=2"
    )
    assert next_link("/courses/?format=group") == "?format=group&page=2"
