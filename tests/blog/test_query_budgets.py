"""The blog index, its filters, a post and the feeds make the same number of queries for 3 posts as
for 30, each post with an author, a hero image, two tags and a category (an N+1 fails with both
query lists printed)."""

import itertools

import pytest

from tests.blog.factories import BlogAuthorFactory, BlogCategoryFactory, BlogPageFactory
from tests.query_budget import assert_constant_queries

pytestmark = pytest.mark.django_db

TAGS = ["grammar", "habits", "music", "exams", "travel"]
INDEX_BUDGET = 22  # measured 19-20: routing, head and menus 11, listing 9 (count, posts, 4 prefetches, tags, categories, filter)
POST_BUDGET = 27  # measured 25: routing, head and menus 14, post 5 (author, categories, tags, images), related 6
FEED_BUDGET = 12  # routing and restrictions 7, tag 1, locale 1, posts 1, tags 1


@pytest.fixture
def grow_blog(blog_index):
    """add(n): n more posts, each by its own author, with its own categories and images."""
    counter = itertools.count()

    def add(count: int) -> None:
        for _ in range(count):
            i = next(counter)
            BlogPageFactory(
                parent=blog_index,
                author=BlogAuthorFactory(),
                tags=[TAGS[i % len(TAGS)], TAGS[(i + 1) % len(TAGS)], f"topic-{i}"],
                categories=[BlogCategoryFactory()],
            )

    add(3)
    return add


def then_render(grow, *urls, client):
    """Grow, then render each URL once, so renditions of the new images exist (made once per image,
    not per request) before the measured request."""

    def step():
        grow()
        for url in urls:
            assert client.get(url).status_code == 200

    return step


@pytest.mark.parametrize("query", ["", "?tag=grammar", "?page=2", "tag/grammar/"])
def test_the_blog_index_makes_the_same_queries_for_3_and_30_posts(
    client, blog_index, grow_blog, query
):
    url = blog_index.url + query

    assert_constant_queries(
        lambda: client.get(url),
        grow=then_render(lambda: grow_blog(27), url, client=client),
        budget=INDEX_BUDGET,
    )


def test_a_category_listing_makes_the_same_queries_for_3_and_30_posts(
    client, blog_index, grow_blog
):
    from blog.models import BlogCategory

    category = BlogCategory.objects.first()
    url = f"{blog_index.url}category/{category.slug}/"

    def grow():
        grow_blog(27)
        for post in blog_index.get_children().specific():
            post.categories.add(category)
            post.save_revision().publish()

    assert_constant_queries(
        lambda: client.get(url), grow=then_render(grow, url, client=client), budget=INDEX_BUDGET
    )


def test_a_post_page_makes_the_same_queries_for_3_and_30_posts(client, blog_index, grow_blog):
    post = BlogPageFactory(parent=blog_index, tags=TAGS, categories=[BlogCategoryFactory()])

    assert_constant_queries(
        lambda: client.get(post.url),
        grow=then_render(lambda: grow_blog(27), post.url, client=client),
        budget=POST_BUDGET,
    )


@pytest.mark.parametrize("feed", ["feed/rss/", "feed/atom/", "tag/grammar/feed/rss/"])
def test_the_feeds_make_the_same_queries_for_3_and_30_posts(client, blog_index, grow_blog, feed):
    url = blog_index.url + feed

    assert_constant_queries(lambda: client.get(url), grow=lambda: grow_blog(27), budget=FEED_BUDGET)
