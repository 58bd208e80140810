"""Editors run the blog from Wagtail's admin: posts through the page editor, authors and
categories as snippets."""

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from blog.models import BlogPage
from tests.authentication.factories import UserFactory
from tests.blog.factories import BlogAuthorFactory, BlogCategoryFactory, BlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_an_editor_creates_and_publishes_a_post_in_the_page_editor(client, superuser, blog_index):
    author = BlogAuthorFactory(name="Lucía Gómez")
    tips = BlogCategoryFactory(name="Study tips")
    words = " ".join(["word"] * 390)
    data = nested_form_data(
        {
            "title": "Twenty minutes a day",
            "slug": "twenty-minutes-a-day",
            "intro": "Short and regular beats long and rare.",
            "date": "2026-03-14",
            "author": author.pk,
            "tags": "habits, grammar",
            "body": streamfield(
                [
                    ("rich_text", rich_text(f"<h2>Little and often</h2><p>{words}</p>")),
                    ("quote", {"quote": "Language is a road map.", "attribution": "R. M. Brown"}),
                ]
            ),
            "action-publish": "publish",
        }
    )
    data["categories"] = [tips.pk]  # a multiple choice: repeated values, not nested keys

    response = client.post(
        reverse("wagtailadmin_pages:add", args=("blog", "blogpage", blog_index.pk)), data
    )

    assert response.status_code == 302, response.context["form"].errors
    post = BlogPage.objects.get(slug="twenty-minutes-a-day")
    assert post.live
    assert post.author == author
    assert list(post.categories.all()) == [tips]
    assert sorted(post.tags.names()) == ["grammar", "habits"]
    assert post.reading_time == 3  # 6 + 3 + 390 + 7 words
    assert client.get(post.url).status_code == 200


def test_the_post_editor_offers_only_the_posts_language_categories(
    client, superuser, blog_index, spanish_blog_index
):
    BlogCategoryFactory(name="Study tips")
    BlogCategoryFactory(name="Consejos", locale=Locale.objects.get(language_code="es"))

    english = client.get(
        reverse("wagtailadmin_pages:add", args=("blog", "blogpage", blog_index.pk))
    ).content.decode()
    spanish = client.get(
        reverse("wagtailadmin_pages:add", args=("blog", "blogpage", spanish_blog_index.pk))
    ).content.decode()

    assert "Study tips" in english and "Consejos" not in english
    assert "Consejos" in spanish and "Study tips" not in spanish


def test_the_post_editor_opens_for_an_existing_post(client, superuser, blog_index):
    post = BlogPageFactory(parent=blog_index, tags=["grammar"])

    response = client.get(reverse("wagtailadmin_pages:edit", args=(post.pk,)))

    assert response.status_code == 200
    assert post.title in response.content.decode()


@pytest.mark.parametrize("model", ["blogauthor", "blogcategory"])
def test_authors_and_categories_are_snippets_editors_can_list_and_add(client, superuser, model):
    BlogAuthorFactory(name="Lucía Gómez")
    BlogCategoryFactory(name="Study tips")

    listing = client.get(reverse(f"wagtailsnippets_blog_{model}:list"))
    add_form = client.get(reverse(f"wagtailsnippets_blog_{model}:add"))

    assert listing.status_code == 200 and add_form.status_code == 200
    assert ("Lucía Gómez" if model == "blogauthor" else "Study tips") in listing.content.decode()


def test_an_anonymous_visitor_cannot_reach_the_blog_snippets(client):
    response = client.get(reverse("wagtailsnippets_blog_blogauthor:list"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def post_form_data(**overrides) -> dict:
    data = nested_form_data(
        {
            "title": "A preview",
            "slug": "a-preview",
            "intro": "Seen before it is published.",
            "date": "2026-03-14",
            "tags": "grammar",
            "body": streamfield([("rich_text", rich_text("<p>Draft words only.</p>"))]),
        }
    )
    return data | overrides


def test_an_editor_previews_a_new_post_before_saving_it(client, superuser, blog_index):
    BlogPageFactory(parent=blog_index, title="An older post", tags=["grammar"])
    url = reverse("wagtailadmin_pages:preview_on_add", args=("blog", "blogpage", blog_index.pk))

    assert client.post(url, post_form_data()).json()["is_valid"]
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>A preview</h1>" in html and "Draft words only." in html
    assert not BlogPage.objects.filter(slug="a-preview").exists()


def test_an_editor_previews_changes_to_a_post_and_to_the_index(client, superuser, blog_index):
    post = BlogPageFactory(parent=blog_index, title="Published title", tags=["grammar"])
    post_url = reverse("wagtailadmin_pages:preview_on_edit", args=(post.pk,))
    index_url = reverse("wagtailadmin_pages:preview_on_edit", args=(blog_index.pk,))

    client.post(post_url, post_form_data(title="Changed title", slug=post.slug))
    index_data = {"title": "Our blog", "slug": blog_index.slug, "intro": "New intro."}
    client.post(index_url, index_data)

    assert "<h1>Changed title</h1>" in client.get(post_url).content.decode()
    index_html = client.get(index_url).content.decode()
    assert "New intro." in index_html and "Published title" in index_html
