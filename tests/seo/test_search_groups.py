"""The site search finds listed teachers too (the classroom contributes them through a hook;
cplatform.search imports no feature app), and shows results grouped: Teachers, Courses, Pages, with
links in the visitor's language."""

import pytest
from django.utils import translation
from wagtail import hooks

from classroom.models import TeacherProfile
from tests.classroom.factories import listed_teacher
from tests.courses.page_helpers import live_course
from tests.query_budget import assert_constant_queries
from tests.seo.conftest import soup

pytestmark = pytest.mark.django_db


def search(client, query, *, language="en"):
    prefix = "/es" if language == "es" else ""
    return client.get(f"{prefix}/search/", {"q": query})


def groups(response) -> dict[str, list[tuple[str, str]]]:
    """{group heading: [(result title, link)]} in page order."""
    return {
        section.h2.get_text(strip=True): [
            (" ".join(li.h3.get_text().split()), li.h3.a["href"])
            for li in section.select(".search-result")
        ]
        for section in soup(response).select("section.search-group")
    }


def test_a_listed_teacher_is_found_by_name_and_linked_to_their_page(client):
    teacher = listed_teacher(first_name="Zuleika", last_name="Quarrington")

    found = groups(search(client, "zuleika"))

    assert found == {"Teachers": [("Zuleika Quarrington", f"/teachers/{teacher.slug}/")]}


def test_a_teacher_is_found_by_a_word_of_their_bio_and_the_snippet_shows_it(client):
    teacher = listed_teacher(first_name="Ana")
    TeacherProfile.objects.filter(pk=teacher.pk).update(bio="I love teaching xylography to adults.")

    response = search(client, "xylography")

    assert [t for t, _ in groups(response)["Teachers"]] == [teacher.user.name]
    snippet = soup(response).select_one(".search-group--teachers .search-result p")
    assert snippet.mark.get_text() == "xylography"


@pytest.mark.parametrize(
    "hide",
    [
        {"is_public": False},
        {"is_approved": False},
    ],
)
def test_teachers_not_listed_are_not_found(client, hide):
    teacher = listed_teacher(first_name="Zuleika")
    TeacherProfile.objects.filter(pk=teacher.pk).update(**hide)

    assert groups(search(client, "zuleika")) == {}


def test_an_inactive_teacher_is_not_found(client):
    teacher = listed_teacher(first_name="Zuleika")
    teacher.user.is_active = False
    teacher.user.save(update_fields=["is_active"])

    assert groups(search(client, "zuleika")) == {}


def test_the_spanish_search_links_to_the_spanish_teacher_page_with_the_spanish_headline(client):
    teacher = listed_teacher(
        first_name="Zuleika",
        translations={"es": {"headline": "Profesora de matemáticas pacientes"}},
    )

    response = search(client, "zuleika", language="es")

    assert groups(response) == {
        "Profesores": [(teacher.user.name, f"/es/teachers/{teacher.slug}/")]
    }
    snippet = soup(response).select_one(".search-group--teachers .search-result p").get_text()
    assert snippet == "Profesora de matemáticas pacientes"


def test_courses_and_other_pages_are_grouped_under_their_own_headings(client, faq_page):
    teacher = listed_teacher(first_name="Quillon")
    course = live_course(title="Quillon's refund-free algebra", summary="Quick algebra.")
    del course
    # "refund" is in the FAQ and in the course title; "quillon" in the teacher's name and the course.
    found = groups(search(client, "quillon"))
    assert list(found) == ["Teachers", "Courses"]
    assert found["Teachers"] == [(teacher.user.name, f"/teachers/{teacher.slug}/")]

    found = groups(search(client, "refund"))
    assert list(found) == ["Courses", "Pages"]
    assert [t for t, _ in found["Pages"]] == ["Frequently asked questions"]


def test_many_teachers_show_the_first_five_and_a_link_to_all_of_them_in_the_directory(client):
    for n in range(7):
        listed_teacher(first_name=f"Zuleika{n}", last_name="Quarrington")

    response = search(client, "quarrington")

    assert len(groups(response)["Teachers"]) == 5
    more = soup(response).select_one(".search-group--teachers .search-group__more a")
    assert more.get_text() == "All 7 teachers found"
    assert more["href"] == "/teachers/?q=quarrington"
    assert "7 results" in soup(response).select_one(".result-count").get_text()
    spanish = soup(search(client, "quarrington", language="es"))
    assert spanish.select_one(".search-group__more a")["href"] == "/es/teachers/?q=quarrington"


def test_teachers_head_the_first_result_page_only(client, monkeypatch):
    from cplatform import search as search_module
    from tests.seo.test_search import many_pages

    monkeypatch.setattr(search_module, "PAGE_SIZE", 2)
    listed_teacher(first_name="Xylophone")
    many_pages(3)

    assert list(groups(search(client, "xylophone"))) == ["Teachers", "Pages"]
    second = client.get("/search/", {"q": "xylophone", "page": 2})
    assert list(groups(second)) == ["Pages"]


def test_a_search_costs_the_same_queries_for_a_few_or_many_teachers(client):
    for n in range(2):
        listed_teacher(first_name=f"Zuleika{n}")
    from django.core.cache import cache

    def cold_search():  # the teacher group is cached: measure the search that builds it
        cache.clear()
        return search(client, "zuleika")

    assert_constant_queries(
        cold_search,
        grow=lambda: [listed_teacher(first_name=f"Zuleika{n}") for n in range(2, 9)],
        rows=lambda response: len(groups(response).get("Teachers", [])),  # 2, then 5 of 9
    )


def test_the_search_core_knows_no_app_the_groups_come_from_hooks():
    import cplatform.search

    assert hooks.get_hooks("register_search_results")
    assert hooks.get_hooks("register_search_page_groups")
    with open(cplatform.search.__file__) as file:
        source = file.read()
    assert "classroom" not in source.split('"""', 2)[2]
    with translation.override("es"):
        assert str(hooks.get_hooks("register_search_page_groups")[0]()[1]) == "Cursos"


def test_the_cached_teacher_group_follows_the_changes_it_shows(client):
    """The teacher group is cached per language and words (classroom.search_results): every change
    that alters what it shows or who is listed makes the next search read the rows again."""
    from catalog.models import Subject

    teacher = listed_teacher(first_name="Zuleika", last_name="Quarrington")
    assert [t for t, _ in groups(search(client, "zuleika"))["Teachers"]] == [teacher.user.name]

    # A login saves last_login only: the cached group stays (no query for the teachers).
    teacher.user.save(update_fields=["last_login"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        search(client, "zuleika")
    assert not [q for q in queries if "classroom_teacherprofile" in q["sql"]]

    teacher.user.last_name = "Okonkwo"
    teacher.user.save(update_fields=["last_name"])
    assert [t for t, _ in groups(search(client, "zuleika"))["Teachers"]] == ["Zuleika Okonkwo"]

    subject = Subject.objects.create(name="Basket weaving", slug="basket-weaving")
    assert groups(search(client, "weaving")) == {}
    teacher.subjects.add(subject)
    assert [t for t, _ in groups(search(client, "weaving"))["Teachers"]] == ["Zuleika Okonkwo"]
    subject.name = "Pottery"
    subject.save()
    assert groups(search(client, "weaving")) == {}

    teacher.is_public = False
    teacher.save()
    assert groups(search(client, "zuleika")) == {}
