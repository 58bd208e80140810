"""Menus and testimonials, the snippets the public site shows, have drafts, revisions, preview,
locking and the Marketing review: an Editor's change waits for a Moderator and the site shows the
live version only; a Spanish translation whose English original was published again says so where
it is edited; menu links and testimonials are named by their words."""

import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from wagtail.models import Revision, WorkflowContentType, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html
from wagtail_localize.models import TranslationSource
from wagtail_localize.operations import translate_object

from cplatform.blocks import TestimonialBlock
from cplatform.editorial import WORKFLOW_NAME, grant_content_permissions
from home import cache as site_cache
from home.models import Menu, MenuItem, Testimonial
from tests.editorial.snippet_admin import edit_form, post_edit, url
from tests.home.factories import MenuFactory, MenuItemFactory, TestimonialFactory

pytestmark = pytest.mark.django_db


SITE_MENU = ".site-nav:not(.site-nav--product) a"  # signed in, the product's areas come first


def header_links(client=None, path="/"):
    """The main menu's words as a visitor sees them (`client` is ignored: a visitor is signed out)."""
    response = Client().get(path)
    assert response.status_code == 200, path
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(SITE_MENU)]


@pytest.fixture
def main_menu(home):
    menu = MenuFactory(slot=Menu.Slot.MAIN)
    MenuItemFactory(menu=menu, link_url="/teachers/", link_text="Teachers", sort_order=0)
    MenuItemFactory(menu=menu, link_url="/courses/", link_text="Courses", sort_order=1)
    return menu


# --- the rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Menu, Testimonial])
def test_menus_and_testimonials_go_through_marketing_review(model):
    assigned = WorkflowContentType.objects.get(
        content_type=ContentType.objects.get_for_model(model)
    )
    assert assigned.workflow.name == WORKFLOW_NAME
    assert model().get_workflow().name == WORKFLOW_NAME


@pytest.mark.parametrize("name", ["menu", "testimonial"])
def test_editors_save_drafts_and_only_moderators_publish(editor, moderator, name):
    grant_content_permissions()  # what every migrate runs: it must not give Editors publish

    assert editor.has_perm(f"home.change_{name}") and editor.has_perm(f"home.add_{name}")
    assert not editor.has_perm(f"home.publish_{name}")
    assert moderator.has_perm(f"home.publish_{name}")
    assert moderator.has_perm(f"home.lock_{name}") and moderator.has_perm(f"home.unlock_{name}")


# --- an Editor's change waits for review -------------------------------------------------------


def test_an_editors_draft_of_the_main_menu_is_not_on_the_site_until_a_moderator_approves(
    client, editor_client, editor, moderator_client, main_menu
):
    assert header_links(client) == ["Teachers", "Courses"]
    version = site_cache.version()

    response = post_edit(editor_client, main_menu, **{"items-0-link_text": "Our teachers"})
    assert response.status_code == 302

    # A draft: a revision holds it, the live row and the site (and its cache) do not move.
    main_menu.refresh_from_db()
    assert main_menu.live and main_menu.has_unpublished_changes
    assert main_menu.get_latest_revision_as_object().items.all()[0].link_text == "Our teachers"
    assert MenuItem.objects.get(menu=main_menu, sort_order=0).link_text == "Teachers"
    assert site_cache.version() == version
    assert header_links(client) == ["Teachers", "Courses"]

    post_edit(editor_client, main_menu, button="submit", **{"items-0-link_text": "Our teachers"})
    state = WorkflowState.objects.get(
        base_content_type=ContentType.objects.get_for_model(Menu), object_id=str(main_menu.pk)
    )
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == editor
    assert header_links(client) == ["Teachers", "Courses"]

    # The Editor cannot approve their own submission.
    refused = editor_client.post(
        url(Menu, "workflow_action", main_menu.pk, "approve", state.current_task_state.pk),
        {"comment": ""},
    )
    assert refused.status_code in (302, 403)
    assert header_links(client) == ["Teachers", "Courses"]

    approved = moderator_client.post(
        url(Menu, "workflow_action", main_menu.pk, "approve", state.current_task_state.pk),
        {"comment": "Fine"},
    )
    assert approved.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert site_cache.version() != version
    assert header_links(client) == ["Our teachers", "Courses"]


def test_the_publish_button_is_refused_to_an_editor(client, editor_client, main_menu):
    page = editor_client.get(url(Menu, "edit", main_menu.pk)).content.decode()
    assert 'name="action-submit"' in page and 'name="action-publish"' not in page

    post_edit(editor_client, main_menu, button="publish", **{"items-0-link_text": "Sneaky"})

    assert header_links(client) == ["Teachers", "Courses"]
    assert MenuItem.objects.get(menu=main_menu, sort_order=0).link_text == "Teachers"


def test_unpublishing_a_menu_takes_it_off_the_site(client, moderator_client, main_menu):
    assert header_links(client) == ["Teachers", "Courses"]

    response = moderator_client.post(url(Menu, "unpublish", main_menu.pk))

    assert response.status_code == 302
    main_menu.refresh_from_db()
    assert not main_menu.live
    # No live menu: the header falls back to its built-in links (in the site's words).
    assert header_links(client) == ["Teachers", "Courses"]
    assert [
        a["href"]
        for a in BeautifulSoup(client.get("/").content, "html.parser").select(".site-nav a")
    ] == ["/teachers/", "/courses/"]


def test_a_new_menu_an_editor_creates_is_a_draft_the_site_does_not_show(
    client, editor_client, home
):
    form = editor_client.get(url(Menu, "add")).content.decode()
    data = querydict_from_html(form, form_id="w-editor-form").copy()
    data.update(
        {
            "slot": "main",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-link_url": "/teachers/",
            "items-0-link_text": "Draft link",
            "items-0-ORDER": "1",
        }
    )

    response = editor_client.post(url(Menu, "add"), data)

    assert response.status_code == 302
    menu = Menu.objects.get(slot="main")
    assert not menu.live
    assert "Draft link" not in header_links(client)


def test_a_testimonials_draft_and_an_unpublished_testimonial_stay_off_the_site(editor_client):
    live = TestimonialFactory(name="María López", role="Parent", quote="Live words.")
    never_published = TestimonialFactory(name="Draft Person", quote="Not yet.", live=False)
    block = TestimonialBlock()
    value = block.to_python({"heading": "Voices", "testimonials": [live.pk, never_published.pk]})

    post_edit(editor_client, live, quote="Draft words.")

    html = block.render(value)
    assert "Live words." in html
    assert "Draft words." not in html and "Not yet." not in html


# --- previews -----------------------------------------------------------------------------------


def test_the_menu_preview_shows_the_edited_links_in_the_site_header(editor_client, main_menu):
    data = edit_form(editor_client, main_menu)
    data["items-1-link_text"] = "All our courses"
    preview = url(Menu, "preview_on_edit", main_menu.pk)
    revisions = Revision.objects.filter(object_id=str(main_menu.pk)).count()

    check = editor_client.post(preview, data)
    response = editor_client.get(preview)

    assert check.status_code == 200 and check.json()["is_valid"]
    soup = BeautifulSoup(response.content, "html.parser")
    assert [a.get_text(strip=True) for a in soup.select(SITE_MENU)] == [
        "Teachers",
        "All our courses",
    ]
    assert Revision.objects.filter(object_id=str(main_menu.pk)).count() == revisions


def test_the_testimonial_preview_uses_the_blocks_markup(editor_client):
    testimonial = TestimonialFactory(name="María López", role="Parent of a piano student")
    data = edit_form(editor_client, testimonial)
    data["quote"] = "She plays for the family every Sunday now."
    preview = url(Testimonial, "preview_on_edit", testimonial.pk)

    editor_client.post(preview, data)
    soup = BeautifulSoup(editor_client.get(preview).content, "html.parser")

    figure = soup.select_one(".block-testimonials .block-testimonial")
    assert "She plays for the family every Sunday now." in figure.blockquote.get_text()
    assert "María López" in figure.figcaption.get_text()


# --- translations out of date ------------------------------------------------------------------


def test_a_spanish_menu_is_flagged_when_the_english_one_was_published_since(
    editor_client, moderator, main_menu, spanish
):
    translate_object(main_menu, [spanish], user=moderator)
    spanish_menu = Menu.objects.get(translation_key=main_menu.translation_key, locale=spanish)
    source = TranslationSource.objects.get(object_id=main_menu.translation_key)
    edit = url(Menu, "edit", spanish_menu.pk)

    assert "Out of date" not in editor_client.get(edit).content.decode()

    main_menu.save_revision(user=moderator).publish(user=moderator)
    response = editor_client.get(edit)

    html = response.content.decode()
    assert "Out of date" in html
    update = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert update in html
    # Updating the translation (wagtail-localize's "Sync translated snippets") clears the flag.
    editor_client.post(update, {})
    assert "Out of date" not in editor_client.get(edit).content.decode()


# --- labels -------------------------------------------------------------------------------------


def test_menu_links_and_testimonials_are_named_by_their_words(editor_client, main_menu):
    item = main_menu.items.get(sort_order=0)
    testimonial = TestimonialFactory(
        name="María López", role="Parent of a piano student", quote="x" * 300
    )

    assert str(item) == "Teachers"
    assert str(testimonial) == "María López — Parent of a piano student"
    assert str(main_menu) == "Main menu (header) — English"

    edit = BeautifulSoup(editor_client.get(url(Menu, "edit", main_menu.pk)).content, "html.parser")
    headings = [
        h.get_text(" ", strip=True)
        for h in edit.select("[data-inline-panel-child] [data-panel-heading-text]")
    ]
    assert headings[:2] == ["Teachers", "Courses"]

    listing = editor_client.get(url(Menu, "list")).content.decode()
    assert "Main menu (header) — English" in listing and "Where it shows" in listing
    history = editor_client.get(url(Testimonial, "list")).content.decode()
    assert "María López — Parent of a piano student" in history


# --- the data migration -------------------------------------------------------------------------


def test_the_migration_gives_existing_rows_a_live_first_revision(main_menu):
    testimonial = TestimonialFactory(name="Ana", role="Student")
    assert main_menu.latest_revision is None
    migration = importlib.import_module("home.migrations.0008_snippets_data")

    migration.forwards(apps, None)

    main_menu.refresh_from_db()
    testimonial.refresh_from_db()
    assert main_menu.live and main_menu.live_revision == main_menu.latest_revision
    restored = main_menu.latest_revision.as_object()
    assert [i.link_text for i in restored.items.all()] == ["Teachers", "Courses"]
    assert testimonial.latest_revision.as_object().name == "Ana"
    assert testimonial.latest_revision.object_str == "Ana — Student"


def test_an_editor_cannot_publish_a_spanish_menu_through_sync_translations(
    editor_client, moderator, main_menu, spanish
):
    translate_object(main_menu, [spanish], user=moderator)
    spanish_menu = Menu.objects.get(translation_key=main_menu.translation_key, locale=spanish)
    live_before = spanish_menu.live
    source = TranslationSource.objects.get(object_id=main_menu.translation_key)
    update = reverse("wagtail_localize:update_translations", args=[source.pk])
    main_menu.items.filter(sort_order=0).update(link_text="Find a teacher")

    form = editor_client.get(update).content.decode()
    editor_client.post(update, {"publish_translations": "on"})

    assert "Only a moderator can publish it" in form
    spanish_menu.refresh_from_db()
    assert spanish_menu.live == live_before and spanish_menu.last_published_at is None
