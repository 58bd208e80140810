"""The blog's cached fragments (a post with its related posts, the index's listing) and the cached
head of every page (site_tags: hreflang, share image, JSON-LD) show an edit at once: publishing a
page, or changing an author, a category or a tag, moves the content version (home/signals.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from tests.blog.factories import BlogAuthorFactory, BlogCategoryFactory, BlogPageFactory
from tests.query_budget import count_queries

pytestmark = pytest.mark.django_db


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def published(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_a_post_is_served_from_the_cache_and_an_edit_shows_at_once(client, blog_index):
    post = BlogPageFactory(parent=blog_index, intro="The first intro.", tags=["grammar"])
    BlogPageFactory(parent=blog_index, title="A related post", tags=["grammar"])
    assert "The first intro." in html(client, post.url)
    warm, _ = count_queries(lambda: client.get(post.url))

    published(post, intro="The second intro.", search_description="A new description.")
    page = html(client, post.url)

    assert warm <= 12
    assert "The second intro." in page and "The first intro." not in page
    assert 'name="description" content="A new description."' in page


def test_a_newly_published_related_post_shows_on_a_cached_post(client, blog_index):
    post = BlogPageFactory(parent=blog_index, tags=["grammar"])
    other = BlogPageFactory(parent=blog_index, title="Later on grammar", tags=["music"])
    assert "Later on grammar" not in html(client, post.url)

    other.tags.set(["grammar"])
    published(other)

    assert "Later on grammar" in html(client, post.url)


def test_renaming_an_author_a_category_or_a_tag_shows_on_cached_pages(client, blog_index):
    author = BlogAuthorFactory(name="Ana Old")
    category = BlogCategoryFactory(name="Old category")
    post = BlogPageFactory(parent=blog_index, author=author, categories=[category], tags=["oldtag"])
    BlogPageFactory(parent=blog_index, title="Its neighbour", tags=["oldtag"])
    first = html(client, post.url) + html(client, blog_index.url)
    assert "Ana Old" in first and "Old category" in first and ">oldtag<" in first

    author.name = "Ana New"
    author.save()
    category.name = "New category"
    category.save()
    tag = Tag.objects.get(name="oldtag")
    tag.name = "newtag"
    tag.save()

    for url in (post.url, blog_index.url):
        page = html(client, url)
        assert "Ana New" in page and "Ana Old" not in page, url
        assert "New category" in page and "Old category" not in page, url
        # (the tag's slug, in its link, stays)
        assert ">newtag<" in page and ">oldtag<" not in page, url
    # the JSON-LD in the cached head names the author too
    assert '"name": "Ana New"' in html(client, post.url)


def test_the_cached_blog_listing_shows_a_new_post_and_each_page_number_apart(client, blog_index):
    today = timezone.localdate()
    for n in range(11):
        BlogPageFactory(
            parent=blog_index, title=f"Post number {n:02d}", date=today - timedelta(days=10 + n)
        )
    first, second = html(client, blog_index.url), html(client, blog_index.url + "?page=2")
    assert first != second

    new = BlogPageFactory(parent=blog_index, title="Fresh off the press", date=today)
    published(new)

    assert "Fresh off the press" in html(client, blog_index.url)
    assert "Page 2 of 2" in html(client, blog_index.url + "?page=2")


def test_made_up_parameters_are_answered_but_not_cached(client, blog_index):
    from django.core.cache import cache

    BlogPageFactory(parent=blog_index)
    html(client, blog_index.url)
    before = len(cache._cache)  # locmem: the test settings' cache
    for n in range(5):
        html(client, f"{blog_index.url}?utm_source=x{n}")

    assert len(cache._cache) == before


def test_a_published_translation_shows_in_a_cached_pages_hreflang(client, blog_index):
    from wagtail.models import Locale

    from home.models import HomePage
    from tests.blog.factories import english_home

    post = BlogPageFactory(parent=blog_index)
    assert 'rel="alternate" hreflang="es"' not in html(client, post.url)

    spanish = Locale.objects.get(language_code="es")
    if not HomePage.objects.filter(depth=2, locale=spanish).exists():
        published(english_home().copy_for_translation(spanish))
    published(blog_index.copy_for_translation(spanish))
    published(post.copy_for_translation(spanish))

    assert 'rel="alternate" hreflang="es"' in html(client, post.url)
