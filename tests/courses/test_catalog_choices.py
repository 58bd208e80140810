"""The catalog filter's choices (subjects, levels, languages, teachers) are cached per language
(courses.forms.catalog_filter_choices) and follow every change of the rows they show."""

import pytest
from bs4 import BeautifulSoup

from classroom.models import Level, Subject
from courses.forms import catalog_choices_changed
from tests.authentication.factories import UserFactory
from tests.courses.page_helpers import catalog, live_course
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
