"""The blog index, its filters, a post and the feeds make the same number of queries for 3 posts as
for 30, each post with its own author, hero image, three tags and a category (an N+1 fails with
both query lists printed). Budgets are upper bounds, a little above the measured counts, so that
the shared base template may grow without breaking them."""

import itertools

import pytest

from blog.models import BlogCategory
from tests.blog.factories import BlogAuthorFactory, BlogCategoryFactory, BlogPageFactory
from tests.query_budget import QueryBudgetExceeded, capture_queries, format_queries, html_rows

pytestmark = pytest.mark.django_db

TAGS = ["grammar", "habits", "music", "exams", "travel"]
# Measured: index 17-18 (routing and the page's head 8; listing 9-10: count, posts, images,
# renditions, tags, categories, the sidebar's tags and categories, the filter's tag or category).
INDEX_BUDGET = 20
# Measured 23: routing and head 10; the post 7 (parent, author, locale, categories, tags, hero
# image and its renditions); related posts 6 (restrictions, posts and their four prefetches).
POST_BUDGET = 25
# Measured 10-11: routing and restrictions 7; locale, posts, tags; the tag of a tag feed.
FEED_BUDGET = 12


@pytest.fixture
def grow_blog(blog_index):
    """add(n): n more posts, each by its own author, with its own category, tags and images."""
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


def assert_same_queries_before_and_after(
    client, urls: list[str], grow, budget: int, *, rows, contains: str = ""
) -> None:
    """Request every URL, grow the data, request them again: each makes as many queries as before,
    and no more than `budget`, and each answers 200 with `rows(response)` larger after growing than
    before (or, with `contains`, a single object: its answer contains that text both times). Each URL
    is requested once before each measurement, so per-process caches and the renditions of new images
    (made once per image, not per request) are in place."""

    def measure() -> dict:
        counts = {}
        for url in urls:
            assert client.get(url).status_code == 200, url
            with capture_queries() as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert contains in response.content.decode(), (url, contains)
            counts[url] = (captured, rows(response))
        return counts

    small = measure()
    grow()
    large = measure()
    for url in urls:
        (before, rows_before), (after, rows_after) = small[url], large[url]
        if not contains and not rows_after > rows_before:
            raise QueryBudgetExceeded(
                f"{url}: the answer did not grow with the data: {rows_before} then {rows_after}"
            )
        if len(before) != len(after):
            raise QueryBudgetExceeded(
                f"{url}: the query count grows with the data: {len(before)} then {len(after)}.\n"
                f"Before:\n{format_queries(before)}\nAfter:\n{format_queries(after)}"
            )
        if len(after) > budget:
            raise QueryBudgetExceeded(
                f"{url}: {len(after)} queries, expected at most {budget}:\n{format_queries(after)}"
            )


def test_the_blog_index_and_its_filters_make_the_same_queries_for_3_and_30_posts(
    client, blog_index, grow_blog
):
    category = BlogCategory.objects.first()
    urls = [
        blog_index.url + query
        for query in ["", "?page=2", "?tag=grammar", "tag/grammar/", "?tag=grammar&page=2"]
    ] + [f"{blog_index.url}category/{category.slug}/", f"{blog_index.url}?category=nope"]

    def grow():
        grow_blog(27)
        for post in blog_index.get_children().specific()[:15]:
            post.categories.add(category)
            post.save_revision().publish()

    # Posts, and the sidebar's categories and tags (the only rows of ?category=nope).
    listed = html_rows('<article class="post-card card">')
    assert_same_queries_before_and_after(
        client, urls, grow, INDEX_BUDGET, rows=lambda r: listed(r) + html_rows("<li><a")(r)
    )


def test_a_post_page_makes_the_same_queries_for_3_and_30_posts(client, blog_index, grow_blog):
    post = BlogPageFactory(parent=blog_index, tags=TAGS, categories=[BlogCategoryFactory()])

    assert_same_queries_before_and_after(
        client,
        [post.url],
        lambda: grow_blog(27),
        POST_BUDGET,
        rows=html_rows('<article class="post-card card">'),  # its related posts
        contains=f"<h1>{post.title}</h1>",
    )


def test_the_feeds_make_the_same_queries_for_3_and_30_posts(client, blog_index, grow_blog):
    urls = [
        blog_index.url + feed
        for feed in ["feed/rss/", "feed/atom/", "tag/grammar/feed/rss/", "tag/grammar/feed/atom/"]
    ]

    assert_same_queries_before_and_after(
        client,
        urls,
        lambda: grow_blog(27),
        FEED_BUDGET,
        rows=lambda r: html_rows("<item>")(r) + html_rows("<entry>")(r) + html_rows("<entry ")(r),
    )
