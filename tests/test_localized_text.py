"""One rule for every text people write in several languages (cplatform/localized.py): a page shows
the text of its language; where there is only another language's, it says so ("en inglés") and marks
the text with its `lang`, instead of mixing languages silently. The tests walk every such model and
field, so a new one must join them."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import translation

from classroom.models import TeacherProfile
from courses.models import Course, Module
from cplatform.localized import LocalizedText, translatable_models
from tests.classroom.factories import listed_teacher
from tests.courses.factories import ModuleFactory
from tests.courses.page_helpers import live_course, translate_page

FIELDS = [(model, field) for model in translatable_models() for field in model.TRANSLATABLE_FIELDS]


def test_the_models_with_texts_per_language_are_these():
    assert {m: set(m.TRANSLATABLE_FIELDS) for m in translatable_models()} == {
        TeacherProfile: {"headline", "bio", "teaching_preferences"},
        Course: {"summary"},
        Module: {"title", "description"},
    }
    for model, field in FIELDS:
        model._meta.get_field(field)  # a real field: the main text
        model._meta.get_field("translations")


@pytest.mark.parametrize(("model", "field"), FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_each_text_is_read_in_the_pages_language_else_labelled_with_its_own(model, field):
    obj = model(**{field: "Written in English", "translations": {}})
    with translation.override("en"):
        assert obj.translated(field) == "Written in English"
        assert not obj.translated(field).is_other_language
    with translation.override("es"):
        text = obj.translated(field)
        assert (text, text.language, text.is_other_language) == ("Written in English", "en", True)
        html = render_user_text(text)
        assert '<span lang="en">Written in English</span>' in html
        assert "en inglés" in html

    obj.translations = {"es": {field: "Escrito en español"}}
    with translation.override("es"):
        assert obj.translated(field) == "Escrito en español"
        assert render_user_text(obj.translated(field)) == "Escrito en español"

    setattr(obj, field, "")  # only Spanish: the English page shows it, labelled
    with translation.override("en"):
        text = obj.translated(field)
        assert (text, text.language) == ("Escrito en español", "es")
        assert "in Spanish" in render_user_text(text)


def render_user_text(value, *, multiline=False) -> str:
    template = Template("{% load localized %}{% user_text value multiline=multiline %}")
    return template.render(Context({"value": value, "multiline": multiline}))


def test_a_text_in_another_language_is_marked_and_labelled_outside_its_lang():
    text = LocalizedText("Hello\n\nWorld", "en")
    with translation.override("es"):
        assert render_user_text(text) == (
            '<span class="other-language"><span lang="en">Hello\n\nWorld</span> '
            '<span class="other-language__label">en inglés</span></span>'
        )
        assert render_user_text(text, multiline=True) == (
            '<div class="other-language"><p class="other-language__label">en inglés</p>'
            '<div lang="en"><p>Hello</p>\n\n<p>World</p></div></div>'
        )
        assert render_user_text(LocalizedText("<b>", "es")) == "&lt;b&gt;"
        assert render_user_text(LocalizedText("<b>", "en")).count("&lt;b&gt;") == 1


# Where each text shows: the page, built for a text given in English only or in both languages.


def teacher_page(client, *, field, translations):
    teacher = listed_teacher(
        **{"translations": translations} if translations else {},
    )
    TeacherProfile.objects.filter(pk=teacher.pk).update(**{field: "Written in English"})
    return client.get(f"/es/teachers/{teacher.slug}/")


def course_page(client, *, field, translations):
    course = live_course(summary="Written in English" if field == "summary" else "Resumen")
    if translations is not None:
        Course.objects.filter(pk=course.pk).update(translations=translations)
    translate_page(course.page, title="Curso")
    return client.get(f"/es/courses/{course.slug}/")


def module_page(client, *, field, translations):
    course = live_course(summary="", translations={})
    ModuleFactory(
        course=course,
        **{"title": "Module", "description": "", field: "Written in English"},
        translations=translations or {},
    )
    translate_page(course.page, title="Curso")
    return client.get(f"/es/courses/{course.slug}/")


PAGES = {TeacherProfile: teacher_page, Course: course_page, Module: module_page}


def test_every_model_with_texts_per_language_has_its_page_here():
    assert set(PAGES) == set(translatable_models())


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field"), FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_a_spanish_page_labels_a_text_written_only_in_english(client, model, field):
    response = PAGES[model](client, field=field, translations=None)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    marked = [el for el in soup.select('[lang="en"]') if "Written in English" in el.get_text()]
    assert marked, f"{model.__name__}.{field} is shown unmarked on the Spanish page"
    wrapper = marked[0].find_parent(class_="other-language")
    assert "en inglés" in wrapper.get_text()


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "field"), FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_a_spanish_page_shows_the_spanish_text_when_there_is_one(client, model, field):
    response = PAGES[model](client, field=field, translations={"es": {field: "Escrito en español"}})

    html = response.content.decode()
    assert "Written in English" not in html
    soup = BeautifulSoup(html, "html.parser")
    shown = [el for el in soup.select("main *") if el.string and "Escrito en español" in el.string]
    assert shown, f"{model.__name__}.{field}: the Spanish text is not on the page"
    assert all(el.find_parent(class_="other-language") is None for el in shown)  # not labelled
