"""Blog authors and categories, the blog's snippets the public site shows, have drafts, revisions,
preview, locking and the Marketing review like menus and testimonials: an Editor's change waits for
a Moderator, and the post pages, listings and feeds show live authors and categories only; a
Spanish translation whose English original was published again says so where it is edited."""

import importlib

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowContentType, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html
from wagtail_localize.models import TranslationSource
from wagtail_localize.operations import translate_object

from blog.models import BlogAuthor, BlogCategory
from cplatform.editorial import WORKFLOW_NAME, grant_content_permissions
from home import cache as site_cache
from tests.blog.factories import (
    BlogAuthorFactory,
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPageFactory,
)
from tests.editorial.snippet_admin import edit_form, post_edit, url

pytestmark = pytest.mark.django_db


def soup_of(path):
    """The page as a visitor (signed out) sees it."""
    response = Client().get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content, "html.parser")


def author_on_post(post) -> str:
    """The author's name as the post shows it: its byline and the card under the text."""
    soup = soup_of(post.url)
    card = soup.select_one(".post-author h2")
    byline = soup.select_one(".post-meta")
    return " | ".join([card.get_text(strip=True) if card else "", byline.get_text(" ", strip=True)])


@pytest.fixture
def blog_index(home):
    return BlogIndexPageFactory(parent=home, title="Blog", slug="blog")


@pytest.fixture
def author():
    return BlogAuthorFactory(name="Lucía Gómez", role="Spanish teacher")


@pytest.fixture
def post(blog_index, author):
    return BlogPageFactory(parent=blog_index, title="Twenty minutes a day", author=author)


# --- the rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [BlogAuthor, BlogCategory])
def test_authors_and_categories_go_through_marketing_review(model):
    assigned = WorkflowContentType.objects.get(
        content_type=ContentType.objects.get_for_model(model)
    )
    assert assigned.workflow.name == WORKFLOW_NAME
    assert model().get_workflow().name == WORKFLOW_NAME


@pytest.mark.parametrize("name", ["blogauthor", "blogcategory"])
def test_editors_save_drafts_of_authors_and_categories_and_only_moderators_publish(
    editor, moderator, name
):
    grant_content_permissions()  # what every migrate runs: it must not give Editors publish

    assert editor.has_perm(f"blog.change_{name}") and editor.has_perm(f"blog.add_{name}")
    assert not editor.has_perm(f"blog.publish_{name}")
    assert moderator.has_perm(f"blog.publish_{name}")
    assert moderator.has_perm(f"blog.lock_{name}") and moderator.has_perm(f"blog.unlock_{name}")


def test_factories_make_live_authors_and_categories():
    assert BlogAuthorFactory().live and BlogCategoryFactory().live


# --- an Editor's change waits for review -------------------------------------------------------


def test_an_editors_draft_author_name_is_not_on_the_post_until_a_moderator_approves(
    editor_client, editor, moderator_client, post, author
):
    assert "About Lucía Gómez" in author_on_post(post)
    version = site_cache.version(site_cache.CONTENT)

    response = post_edit(editor_client, author, name="Lucía Gómez Ruiz")
    assert response.status_code == 302

    # A draft: a revision holds it; the live row, the post (and the cache) do not move.
    author.refresh_from_db()
    assert author.live and author.has_unpublished_changes
    assert author.name == "Lucía Gómez"
    assert author.get_latest_revision_as_object().name == "Lucía Gómez Ruiz"
    assert site_cache.version(site_cache.CONTENT) == version
    assert "Ruiz" not in author_on_post(post)

    post_edit(editor_client, author, button="submit", name="Lucía Gómez Ruiz")
    state = WorkflowState.objects.get(
        base_content_type=ContentType.objects.get_for_model(BlogAuthor), object_id=str(author.pk)
    )
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == editor
    assert "Ruiz" not in author_on_post(post)

    # The Editor cannot approve their own submission, nor publish.
    editor_client.post(
        url(BlogAuthor, "workflow_action", author.pk, "approve", state.current_task_state.pk),
        {"comment": ""},
    )
    post_edit(editor_client, author, button="publish", name="Lucía Gómez Ruiz")
    assert "Ruiz" not in author_on_post(post)

    approved = moderator_client.post(
        url(BlogAuthor, "workflow_action", author.pk, "approve", state.current_task_state.pk),
        {"comment": "Fine"},
    )
    assert approved.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert site_cache.version(site_cache.CONTENT) != version
    assert "About Lucía Gómez Ruiz" in author_on_post(post)
    assert "By Lucía Gómez Ruiz" in author_on_post(post)


def test_the_publish_button_is_not_offered_to_an_editor(editor_client, author):
    page = editor_client.get(url(BlogAuthor, "edit", author.pk)).content.decode()
    assert 'name="action-submit"' in page and 'name="action-publish"' not in page


def test_a_post_whose_author_was_never_published_shows_no_author_anywhere(
    editor_client, blog_index
):
    form = editor_client.get(url(BlogAuthor, "add")).content.decode()
    data = querydict_from_html(form, form_id="w-editor-form").copy()
    data.update({"name": "Draft Person", "role": "Guest writer", "bio": "Not yet."})
    assert editor_client.post(url(BlogAuthor, "add"), data).status_code == 302
    draft = BlogAuthor.objects.get(name="Draft Person")
    assert not draft.live
    post = BlogPageFactory(parent=blog_index, title="A guest post", author=draft)

    assert "Draft Person" not in soup_of(post.url).get_text()
    assert "Draft Person" not in soup_of(blog_index.url).get_text()
    assert post.shown_author is None
    json_ld = post.get_json_ld()[0]
    assert "author" not in json_ld
    feed = feedparser.parse(Client().get(f"{blog_index.url}feed/atom/").content)
    entry = next(e for e in feed.entries if e.title == "A guest post")
    assert "Draft Person" not in str(entry.get("author", ""))


def test_a_category_never_published_is_not_listed_linked_or_found(blog_index):
    live = BlogCategoryFactory(name="Study tips", slug="study-tips")
    draft = BlogCategoryFactory(name="Secret plans", slug="secret-plans", live=False)
    post = BlogPageFactory(parent=blog_index, title="Filed twice")
    post.categories = [live, draft]
    post.save_revision().publish()

    for path in (blog_index.url, post.url):
        soup = soup_of(path)
        assert "Study tips" in soup.get_text(), path
        assert "Secret plans" not in soup.get_text(), path
        assert not soup.select(f'a[href$="category/{draft.slug}/"]'), path
    assert Client().get(f"{blog_index.url}category/{draft.slug}/").status_code == 404
    assert Client().get(f"{blog_index.url}?category={draft.slug}").status_code == 200
    assert "Filed twice" not in soup_of(f"{blog_index.url}?category={draft.slug}").get_text()
    assert Client().get(f"{blog_index.url}category/{live.slug}/").status_code == 200


def test_unpublishing_a_category_takes_it_off_the_blog(moderator_client, blog_index):
    tips = BlogCategoryFactory(name="Study tips", slug="study-tips")
    post = BlogPageFactory(parent=blog_index, title="Filed once")
    post.categories = [tips]
    post.save_revision().publish()
    assert "Study tips" in soup_of(blog_index.url).get_text()

    response = moderator_client.post(url(BlogCategory, "unpublish", tips.pk))

    assert response.status_code == 302
    assert "Study tips" not in soup_of(blog_index.url).get_text()
    assert Client().get(f"{blog_index.url}category/{tips.slug}/").status_code == 404


# --- previews -----------------------------------------------------------------------------------


def test_the_author_preview_shows_the_edited_author_card(editor_client, author):
    data = edit_form(editor_client, author)
    data["bio"] = "Teaches Spanish in Seville and writes about habits."
    preview = url(BlogAuthor, "preview_on_edit", author.pk)

    check = editor_client.post(preview, data)
    soup = BeautifulSoup(editor_client.get(preview).content, "html.parser")

    assert check.status_code == 200 and check.json()["is_valid"]
    card = soup.select_one(".post-author.card")
    assert card.h2.get_text(strip=True) == "About Lucía Gómez"
    assert "Teaches Spanish in Seville" in card.get_text()
    author.refresh_from_db()
    assert "Seville" not in author.bio


def test_the_category_preview_shows_the_edited_heading(editor_client):
    tips = BlogCategoryFactory(name="Study tips", description="Old words.")
    data = edit_form(editor_client, tips)
    data["name"] = "Learning tips"
    data["description"] = "How to learn faster."
    preview = url(BlogCategory, "preview_on_edit", tips.pk)

    editor_client.post(preview, data)
    soup = BeautifulSoup(editor_client.get(preview).content, "html.parser")

    assert soup.select_one(".blog-posts__title").get_text(strip=True) == "Posts in Learning tips"
    assert soup.select_one(".blog-aside [aria-current=page]").get_text(strip=True) == (
        "Learning tips"
    )
    assert "How to learn faster." in soup.select_one(".blog-posts").get_text()


# --- translations out of date ------------------------------------------------------------------


@pytest.mark.parametrize("factory", [BlogAuthorFactory, BlogCategoryFactory])
def test_a_spanish_author_or_category_is_flagged_when_the_english_one_was_published_since(
    editor_client, moderator, spanish, factory
):
    original = factory()
    model = type(original)
    translate_object(original, [spanish], user=moderator)
    translated = model.objects.get(translation_key=original.translation_key, locale=spanish)
    source = TranslationSource.objects.get(object_id=original.translation_key)
    edit = url(model, "edit", translated.pk)

    assert "Out of date" not in editor_client.get(edit).content.decode()

    original.save_revision(user=moderator).publish(user=moderator)
    html = editor_client.get(edit).content.decode()

    assert "Out of date" in html
    assert reverse("wagtail_localize:update_translations", args=[source.pk]) in html


# --- the data migration -------------------------------------------------------------------------


def test_the_migration_gives_existing_authors_and_categories_a_live_first_revision():
    author = BlogAuthorFactory(name="Ana")
    category = BlogCategoryFactory(name="News")
    assert author.latest_revision is None
    migration = importlib.import_module("blog.migrations.0007_blogsnip_data")

    migration.forwards(apps, None)

    for obj, name in ((author, "Ana"), (category, "News")):
        obj.refresh_from_db()
        assert obj.live and obj.live_revision == obj.latest_revision
        assert obj.latest_revision.as_object().name == name
        assert obj.latest_revision.object_str == name


@pytest.mark.parametrize("factory", [BlogAuthorFactory, BlogCategoryFactory])
def test_an_editor_cannot_publish_a_spanish_author_or_category_through_sync_translations(
    editor_client, moderator, spanish, factory
):
    original = factory()
    model = type(original)
    translate_object(original, [spanish], user=moderator)
    translated = model.objects.get(translation_key=original.translation_key, locale=spanish)
    live_before = translated.live
    source = TranslationSource.objects.get(object_id=original.translation_key)
    update = reverse("wagtail_localize:update_translations", args=[source.pk])
    model.objects.filter(pk=original.pk).update(name="Renamed in English")

    form = editor_client.get(update).content.decode()
    editor_client.post(update, {"publish_translations": "on"})

    assert "Only a moderator can publish it" in form
    translated.refresh_from_db()
    assert translated.live == live_before and translated.last_published_at is None


@pytest.mark.parametrize("factory", [BlogAuthorFactory, BlogCategoryFactory])
def test_the_listings_say_which_authors_and_categories_are_live_or_drafts(editor_client, factory):
    factory(name="Shown one")
    factory(name="Waiting one", live=False)

    soup = BeautifulSoup(editor_client.get(url(factory._meta.model, "list")).content, "html.parser")

    rows = {
        row.select_one("td a").get_text(strip=True): row.get_text(" ", strip=True)
        for row in soup.select("tbody tr")
    }
    assert rows["Shown one"].endswith("live") and rows["Waiting one"].endswith("draft")
    assert "English" in rows["Shown one"]
