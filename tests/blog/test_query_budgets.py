"""The blog index, its filters, a post and the feeds make the same number of queries for 3 posts as
for 30, each post with its own author, hero image, three tags and a category (an N+1 fails with
both query lists printed). Budgets are upper bounds, a little above the measured counts, so that
the shared base template may grow without breaking them.

A post, the index's listing and every page's head are cached until the content changes
(home/signals.py): each URL is measured twice, served from those caches (the budgets a visitor
meets) and with the content version just moved (what the first visitor after a publish meets,
where an N+1 would hide)."""

import itertools

import pytest

from blog.models import BlogCategory
from tests.blog.factories import BlogAuthorFactory, BlogCategoryFactory, BlogPageFactory
from tests.query_budget import QueryBudgetExceeded, capture_queries, format_queries, html_rows

pytestmark = pytest.mark.django_db

TAGS = ["grammar", "habits", "music", "exams", "travel"]
# Measured, cached: index 7-9 (site, locale, routing 3, view restrictions 2; a filter's tag or
# category). Uncached: 17-18 (the head 1; listing 9-10: count, posts, images, renditions, tags,
# categories, the sidebar's tags and categories).
INDEX_BUDGET = 10
INDEX_UNCACHED_BUDGET = 20
# Measured, cached: 9 (site, locale, routing 5, view restrictions 2). Uncached 23: the head 5
# (translations, share image, locale, author, the language switcher's translation); the post 4
# (categories, tags, hero image, author photo); related posts 6 (restrictions, posts and their
# four prefetches).
POST_BUDGET = 12
POST_UNCACHED_BUDGET = 25
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
    client,
    urls: list[str],
    grow,
    budget: int,
    uncached_budget: int | None = None,
    *,
    rows,
    contains: str = "",
) -> None:
    """Request every URL, grow the data, request them again: each makes as many queries as before,
    and no more than `budget`, and each answers 200 with `rows(response)` larger after growing than
    before (or, with `contains`, a single object: its answer contains that text both times). Each URL
    is requested once before each measurement, so per-process caches and the renditions of new images
    (made once per image, not per request) are in place. With `uncached_budget`, each URL is also
    measured right after the content version moved (the cached post, listing and head are rebuilt),
    within that budget, constant and with the same answer checks."""
    from home import cache as site_cache

    def measure() -> dict:
        counts = {}
        for url in urls:
            assert client.get(url).status_code == 200, url
            with capture_queries() as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert contains in response.content.decode(), (url, contains)
            counts[url] = (captured, rows(response))
            if uncached_budget is not None:
                site_cache.bump(site_cache.CONTENT)
                with capture_queries() as captured:
                    response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                assert contains in response.content.decode(), (url, contains)
                counts[url + " (uncached)"] = (captured, rows(response))
        return counts

    small = measure()
    grow()
    site_cache.bump(site_cache.CONTENT)  # grown through factories, which publish no signal
    large = measure()
    for url in small:
        (before, rows_before), (after, rows_after) = small[url], large[url]
        limit = uncached_budget if url.endswith(" (uncached)") else budget
        if not contains and not rows_after > rows_before:
            raise QueryBudgetExceeded(
                f"{url}: the answer did not grow with the data: {rows_before} then {rows_after}"
            )
        if len(before) != len(after):
            raise QueryBudgetExceeded(
                f"{url}: the query count grows with the data: {len(before)} then {len(after)}.\n"
                f"Before:\n{format_queries(before)}\nAfter:\n{format_queries(after)}"
            )
        if len(after) > limit:
            raise QueryBudgetExceeded(
                f"{url}: {len(after)} queries, expected at most {limit}:\n{format_queries(after)}"
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

    # Posts, each with its author and date, and the sidebar's categories and tags (the only rows
    # of ?category=nope).
    listed = html_rows('<article class="post-card card">')
    bylines = html_rows('<span class="post-meta__author">')
    dates = html_rows("<time datetime=")

    def rows(response) -> int:
        assert listed(response) == bylines(response) == dates(response)
        return listed(response) + html_rows("<li><a")(response)

    assert_same_queries_before_and_after(
        client, urls, grow, INDEX_BUDGET, INDEX_UNCACHED_BUDGET, rows=rows
    )


def test_a_post_page_makes_the_same_queries_for_3_and_30_posts(client, blog_index, grow_blog):
    post = BlogPageFactory(parent=blog_index, tags=TAGS, categories=[BlogCategoryFactory()])

    assert_same_queries_before_and_after(
        client,
        [post.url],
        lambda: grow_blog(27),
        POST_BUDGET,
        POST_UNCACHED_BUDGET,
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
