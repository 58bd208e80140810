"""Links are chosen, not typed: a page, a named part of the site or another website, each following
the reader's language; and the migration that turned the typed addresses of stored content into
chosen ones."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation
from wagtail.models import Revision

from cplatform import blocks as site_blocks
from home.blocks import BodyStreamBlock
from home.models import LandingPage

pytestmark = pytest.mark.django_db

LINK = site_blocks.LinkBlock()


def clean(**value):
    return LINK.clean(LINK.to_python(value))


def errors_of(**value) -> dict:
    with pytest.raises(ValidationError) as caught:
        clean(**value)
    return {name: error.messages for name, error in caught.value.block_errors.items()}


def hero(primary: dict, secondary: dict | None = None) -> dict:
    empty = {"text": "", "page": None, "section": "", "url": ""}
    return {
        "type": "hero",
        "value": {
            "heading": "Aprende con nosotros",
            "text": "",
            "image": None,
            "primary": {**empty, **primary},
            "secondary": {**empty, **(secondary or {})},
        },
    }


@pytest.fixture
def teach_pages(home, spanish_home, spanish):
    """An English page with a published Spanish translation under its own slug."""
    english = home.add_child(instance=LandingPage(title="Teach with us", slug="teach"))
    english.save_revision().publish()
    spanish_page = english.copy_for_translation(spanish)
    spanish_page.title, spanish_page.slug = "Enseña con nosotros", "ensena"
    spanish_page.save()  # the slug (and url_path) of its own
    spanish_page.save_revision().publish()
    spanish_page.refresh_from_db()
    english.refresh_from_db()
    return english, spanish_page


def spanish_landing(spanish_home, spanish, body) -> LandingPage:
    page = spanish_home.add_child(
        instance=LandingPage(title="Campaña", slug="campana", locale=spanish, body=body)
    )
    page.save_revision().publish()
    return page


# --- choosing --------------------------------------------------------------------------------------


def test_an_address_of_this_site_typed_as_a_link_is_refused_with_the_way_to_choose_it():
    errors = errors_of(text="Teachers", url="/teachers/")

    assert list(errors) == ["url"]
    assert errors["url"] == [
        "“/teachers/” is an address on this site: choose it above as a page or a part of the "
        "site instead of typing it."
    ]
    assert "url" in errors_of(text="Teachers", url="teachers/")  # no scheme: not another website


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/summer",
        "http://example.org",
        "mailto:hola@example.org",
        "tel:+34600000000",
    ],
)
def test_another_website_an_email_or_a_phone_number_is_accepted_as_typed(url):
    value = clean(text="Write to us", url=url)

    assert value.href == url
    with translation.override("es"):
        assert value.href == url


@pytest.mark.parametrize("url", ["ftp://example.org/file", "javascript:alert(1)", "mailto:nobody"])
def test_other_kinds_of_address_are_refused(url):
    assert "url" in errors_of(text="Go", url=url)


def test_a_link_leads_to_exactly_one_place(home):
    assert "section" in errors_of(text="Both", page=home.pk, section="teachers")
    assert "url" in errors_of(text="Both", section="teachers", url="https://example.org")
    assert "page" in errors_of(text="Nowhere")
    assert clean().href == ""  # an optional link left empty


def test_a_required_link_left_empty_says_what_to_choose():
    errors = site_blocks.CallToActionBlock().child_blocks["button"]

    with pytest.raises(ValidationError) as caught:
        errors.clean(errors.to_python({}))
    assert caught.value.block_errors["page"].messages == [
        "Choose a page, a part of the site or enter another website's address."
    ]


def test_every_part_of_the_site_offered_has_an_address_in_both_languages():
    for key, label in site_blocks.link_section_choices():
        english = site_blocks.link_section_url(key)
        with translation.override("es"):
            spanish = site_blocks.link_section_url(key)
            spanish_label = str(label)
        assert english.startswith("/") and spanish == "/es" + english, key
        assert spanish_label != str(label), key  # named in Spanish too


def test_a_typed_address_of_a_part_of_the_site_is_recognised_in_either_language():
    assert site_blocks.link_section_for_path("/teachers/") == "teachers"
    assert site_blocks.link_section_for_path("/es/teachers/") == "teachers"
    assert site_blocks.link_section_for_path("/auth/register/?role=Teacher") == "sign-up-teacher"
    assert site_blocks.link_section_for_path("/summer-spanish/") is None


def test_a_chosen_part_of_the_site_is_labelled_by_its_name_when_the_text_is_empty():
    value = clean(section="teachers")

    assert value.label == "Teacher directory"
    with translation.override("es"):
        assert value.label == "Directorio de profesores"
        assert value.href == "/es/teachers/"


def test_no_block_preview_types_an_address_of_this_site():
    def links(value):
        if isinstance(value, dict):
            if {"text", "url"} <= value.keys() or "section" in value:
                yield value
            for item in value.values():
                yield from links(item)
        elif isinstance(value, list):
            for item in value:
                yield from links(item)

    found = []
    for block in BodyStreamBlock().child_blocks.values():
        preview = getattr(block.meta, "preview_value", None)
        preview = preview() if callable(preview) else preview
        found += list(links(preview))
    assert found, "the previews show links"
    assert all(not (link.get("url") or "").startswith("/") for link in found)
    for link in found:  # and the value is what the block accepts
        LINK.clean(LINK.to_python(link))


# --- rendering -------------------------------------------------------------------------------------


def test_a_spanish_page_links_a_chosen_part_of_the_site_to_its_spanish_address(
    client, spanish_home, spanish
):
    page = spanish_landing(
        spanish_home, spanish, [hero({"text": "Profesores", "section": "teachers"})]
    )

    html = client.get(page.url).content.decode()

    assert page.url == "/es/campana/"
    assert 'href="/es/teachers/">Profesores</a>' in html


def test_a_chosen_page_links_to_its_translation_in_the_readers_language(
    client, spanish_home, spanish, teach_pages
):
    english, spanish_page = teach_pages
    page = spanish_landing(
        spanish_home,
        spanish,
        [hero({"page": english.pk}, {"text": "Regístrate", "section": "sign-up-teacher"})],
    )

    html = client.get(page.url).content.decode()

    assert f'href="{spanish_page.url}">Enseña con nosotros</a>' in html
    assert spanish_page.url == "/es/ensena/"
    assert 'href="/es/auth/register/?role=Teacher">Regístrate</a>' in html


# --- the migration of stored content ---------------------------------------------------------------


def stored_body(page_id: int):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM home_landingpage WHERE page_ptr_id = %s", [page_id])
        raw = cursor.fetchone()[0]
    return json.loads(raw) if isinstance(raw, str) else raw


def test_the_migration_turns_typed_addresses_of_this_site_into_chosen_links(home, teach_pages):
    english, spanish_page = teach_pages
    old_body = [
        {"type": "hero", "id": "h", "value": {
            "heading": "Learn", "text": "", "image": None,
            "primary": {"text": "Find a teacher", "page": None, "url": "/teachers/"},
            "secondary": {"text": "Apply", "page": None, "url": "/auth/register/?role=Teacher"},
        }},
        {"type": "call_to_action", "id": "c", "value": {
            "heading": "Teach", "text": "", "style": "brand",
            "button": {"text": "", "page": None, "url": "/es/ensena/"},
        }},
        {"type": "image_text", "id": "i", "value": {
            "image": None, "heading": "Out", "text": "<p>x</p>", "image_position": "left",
            "link": {"text": "Elsewhere", "page": None, "url": "https://example.org/a"},
        }},
    ]  # fmt: skip
    page = home.add_child(instance=LandingPage(title="Old links", slug="old-links"))
    with connection.cursor() as cursor:  # stored as the old block wrote it
        cursor.execute(
            "UPDATE home_landingpage SET body = %s::jsonb WHERE page_ptr_id = %s",
            [json.dumps(old_body), page.pk],
        )
    revision = page.save_revision()
    content = {**revision.content, "body": json.dumps(old_body)}  # a revision holds JSON text
    Revision.objects.filter(pk=revision.pk).update(content=content)

    migration = importlib.import_module("home.migrations.0010_links_data")
    with connection.schema_editor() as schema_editor:
        migration.rewrite(apps, schema_editor)

    for body in (
        stored_body(page.pk),
        json.loads(Revision.objects.get(pk=revision.pk).content["body"]),
    ):
        hero_value, cta, image_text = (block["value"] for block in body)
        assert hero_value["primary"] == {
            "text": "Find a teacher", "page": None, "url": "", "section": "teachers"
        }  # fmt: skip
        assert hero_value["secondary"]["section"] == "sign-up-teacher"
        assert cta["button"]["page"] == spanish_page.pk and cta["button"]["url"] == ""
        assert image_text["link"] == old_body[2]["value"]["link"]  # another website: unchanged
    page.refresh_from_db()
    assert page.body[0].value["primary"].href == "/teachers/"
    assert page.get_latest_revision_as_object().body[1].value["button"].href == "/teach/"
