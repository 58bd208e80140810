"""What the course pages cache shows every change at once: the catalog filter's choices (subjects,
levels, languages, teachers; cached per language, courses.forms.catalog_filter_choices) and the
unfiltered form, each catalog card (courses.pages._card_cache_key), and a course page's head,
whose JSON-LD (seats left) is built on every request."""

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
    client.get("/courses/")
    with capture_queries() as captured:
        assert client.get("/courses/").status_code == 200

    sql = " ".join(q["sql"] for q in captured.captured_queries)
    # (the course cards join the lookups; the choices read them on their own)
    assert 'FROM "classroom_subject"' not in sql
    assert 'FROM "classroom_level"' not in sql
    assert 'FROM "classroom_teachinglanguage"' not in sql
    # and a change costs the four queries once
    catalog_choices_changed()
    with capture_queries() as cold:
        assert client.get("/courses/").status_code == 200
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
