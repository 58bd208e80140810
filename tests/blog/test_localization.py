"""The blog in Spanish: its own index, posts, categories and authors, and wagtail-localize's way
of getting there."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import Translation
from wagtail_localize.operations import TranslationCreator

from blog.models import BlogAuthor, BlogPage
from tests.authentication.factories import AdminFactory
from tests.blog.factories import BlogAuthorFactory, BlogCategoryFactory, BlogPageFactory
from tests.blog.test_index import listed_titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish():
    return Locale.objects.get(language_code="es")


def translate_category(category, locale, *, name, slug):
    translated = category.copy_for_translation(locale)
    translated.name, translated.slug = name, slug
    translated.save()
    return translated


def test_the_spanish_index_lists_only_spanish_posts_with_spanish_ui(
    client, blog_index, spanish_blog_index
):
    BlogPageFactory(parent=blog_index, title="An English post")
    BlogPageFactory(parent=spanish_blog_index, title="Una entrada en español")

    response = client.get(spanish_blog_index.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert listed_titles(response) == ["Una entrada en español"]
    assert "Blog en español" in html
    assert listed_titles(client.get(blog_index.url)) == ["An English post"]


def test_a_translated_post_shows_its_categories_in_its_own_language(
    client, blog_index, spanish_blog_index, spanish
):
    tips = BlogCategoryFactory(name="Study tips", slug="study-tips")
    translate_category(tips, spanish, name="Consejos de estudio", slug="consejos")
    post = BlogPageFactory(parent=blog_index, title="Twenty minutes", categories=[tips])
    # A copy for translation keeps the source's categories, as wagtail-localize's sync does.
    spanish_post = post.copy_for_translation(spanish)
    spanish_post.title = "Veinte minutos"
    spanish_post.save_revision().publish()
    spanish_post.refresh_from_db()
    assert list(spanish_post.categories.all()) == [tips]

    post_html = client.get(spanish_post.url).content.decode()
    index_html = client.get(spanish_blog_index.url).content.decode()
    filtered = client.get(f"{spanish_blog_index.url}category/consejos/")

    assert f'href="{spanish_blog_index.url}category/consejos/">Consejos de estudio</a>' in post_html
    assert "Study tips" not in post_html
    assert "Consejos de estudio" in index_html and "Study tips" not in index_html
    assert listed_titles(filtered) == ["Veinte minutos"]
    # The English slug still finds the category from the Spanish blog, and only Spanish posts.
    assert listed_titles(client.get(spanish_blog_index.url, {"category": "study-tips"})) == [
        "Veinte minutos"
    ]


def test_wagtail_localize_translates_a_post_and_its_author(
    client, blog_index, spanish_blog_index, spanish
):
    author = BlogAuthorFactory(name="Lucía Gómez", bio="Teaches Spanish in Madrid.")
    post = BlogPageFactory(
        parent=blog_index, title="Twenty minutes a day", author=author, tags=["habits"]
    )

    TranslationCreator(AdminFactory(), [spanish]).create_translations(post)

    spanish_post = BlogPage.objects.get(translation_key=post.translation_key, locale=spanish)
    spanish_author = BlogAuthor.objects.get(translation_key=author.translation_key, locale=spanish)
    assert spanish_post.get_parent().specific == spanish_blog_index
    assert spanish_post.author_id == spanish_author.pk
    assert sorted(spanish_post.tags.names()) == ["habits"]
    assert Translation.objects.filter(target_locale=spanish).count() >= 2
    # As translated text arrives it is saved into the page; here an editor publishes it.
    spanish_post.title = "Veinte minutos al día"
    spanish_post.save_revision().publish()
    spanish_post.refresh_from_db()

    response = client.get(spanish_post.url)

    assert spanish_post.url.startswith("/es/")
    assert response.status_code == 200
    assert "<h1>Veinte minutos al día</h1>" in response.content.decode()
    assert spanish_post.reading_time == post.reading_time


def test_a_tag_with_accents_has_a_working_listing_and_feed(client, spanish_blog_index):
    post = BlogPageFactory(parent=spanish_blog_index, title="Una entrada", tags=["hábitos"])
    BlogPageFactory(parent=spanish_blog_index, title="Otra entrada", tags=["hábitos"])
    BlogPageFactory(parent=spanish_blog_index, title="Sin etiqueta")

    html = client.get(post.url).content.decode()
    listing = client.get(f"{spanish_blog_index.url}tag/hábitos/")
    feed = client.get(f"{spanish_blog_index.url}tag/hábitos/feed/atom/")

    assert f'href="{spanish_blog_index.url}tag/hábitos/"' in html
    assert "Otra entrada" in html  # a related post of the same language
    assert sorted(listed_titles(listing)) == ["Otra entrada", "Una entrada"]
    assert feed.status_code == 200 and "Sin etiqueta" not in feed.content.decode()
