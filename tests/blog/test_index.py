import datetime
import re

import pytest
from django.utils import timezone

from tests.blog.factories import BlogCategoryFactory, BlogPageFactory

pytestmark = pytest.mark.django_db


def listed_titles(response) -> list[str]:
    return re.findall(
        r'class="post-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def add_posts(index, count: int, **kwargs) -> list:
    """`count` posts, the first the newest (dated today, then one day older each)."""
    today = timezone.localdate()
    return [
        BlogPageFactory(
            parent=index,
            title=f"Post {i:02d}",
            date=today - datetime.timedelta(days=i),
            **kwargs,
        )
        for i in range(count)
    ]


def test_the_index_lists_live_posts_newest_first_ten_a_page(client, blog_index):
    add_posts(blog_index, 12)

    first = client.get(blog_index.url)
    second = client.get(blog_index.url, {"page": 2})

    assert first.status_code == 200
    assert listed_titles(first) == [f"Post {i:02d}" for i in range(10)]
    assert listed_titles(second) == ["Post 10", "Post 11"]
    assert "12 posts" in first.content.decode()
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()


def test_a_bad_page_number_never_fails(client, blog_index):
    add_posts(blog_index, 11)

    for page, shown in [
        ("abc", 10),
        ("0", 1),
        ("-1", 1),
        ("999", 1),
        ("1.5", 10),
        ("", 10),
        ("9" * 30, 1),
        ("2", 1),
    ]:
        response = client.get(blog_index.url, {"page": page})
        assert response.status_code == 200, page
        assert len(listed_titles(response)) == shown, page


def test_drafts_and_unpublished_posts_are_not_listed(client, blog_index):
    BlogPageFactory(parent=blog_index, title="Published post")
    BlogPageFactory(parent=blog_index, title="Draft post", live=False)
    withdrawn = BlogPageFactory(parent=blog_index, title="Withdrawn post")
    withdrawn.unpublish()

    response = client.get(blog_index.url)

    assert listed_titles(response) == ["Published post"]
    assert client.get(withdrawn.url).status_code == 404


def test_the_index_filters_by_tag_with_a_parameter_or_a_route(client, blog_index):
    BlogPageFactory(parent=blog_index, title="On grammar", tags=["grammar"])
    BlogPageFactory(parent=blog_index, title="On grammar and habits", tags=["grammar", "habits"])
    BlogPageFactory(parent=blog_index, title="On habits", tags=["habits"])

    by_parameter = client.get(blog_index.url, {"tag": "grammar"})
    by_route = client.get(f"{blog_index.url}tag/grammar/")

    for response in (by_parameter, by_route):
        assert response.status_code == 200
        assert sorted(listed_titles(response)) == ["On grammar", "On grammar and habits"]
        assert "Posts tagged “grammar”" in response.content.decode()


def test_an_unknown_tag_lists_nothing_or_is_not_found(client, blog_index):
    BlogPageFactory(parent=blog_index, tags=["grammar"])

    assert listed_titles(client.get(blog_index.url, {"tag": "nope"})) == []
    assert client.get(f"{blog_index.url}tag/nope/").status_code == 404


def test_the_index_filters_by_category(client, blog_index):
    tips = BlogCategoryFactory(name="Study tips", slug="study-tips")
    news = BlogCategoryFactory(name="School news", slug="school-news")
    BlogPageFactory(parent=blog_index, title="Tip one", categories=[tips])
    BlogPageFactory(parent=blog_index, title="Both", categories=[tips, news])
    BlogPageFactory(parent=blog_index, title="News one", categories=[news])

    by_parameter = client.get(blog_index.url, {"category": "school-news"})
    by_route = client.get(f"{blog_index.url}category/study-tips/")
    both_filters = client.get(blog_index.url, {"category": "school-news", "tag": "none"})

    assert sorted(listed_titles(by_parameter)) == ["Both", "News one"]
    assert sorted(listed_titles(by_route)) == ["Both", "Tip one"]
    assert listed_titles(both_filters) == []
    assert "Posts in School news" in by_parameter.content.decode()
    assert listed_titles(client.get(blog_index.url, {"category": "nope"})) == []
    assert client.get(f"{blog_index.url}category/nope/").status_code == 404


def test_pagination_links_keep_the_filters(client, blog_index):
    add_posts(blog_index, 11, tags=["habits"])

    html = client.get(blog_index.url, {"tag": "habits"}).content.decode()

    assert "?tag=habits&amp;page=2" in html


def test_the_sidebar_lists_the_tags_and_categories_in_use(client, blog_index):
    tips = BlogCategoryFactory(name="Study tips", slug="study-tips")
    BlogCategoryFactory(name="Unused category", slug="unused")
    BlogPageFactory(parent=blog_index, tags=["grammar"], categories=[tips])
    BlogPageFactory(parent=blog_index, tags=["draft-only"], live=False)

    html = client.get(blog_index.url).content.decode()

    assert f'href="{blog_index.url}tag/grammar/"' in html
    assert "draft-only" not in html
    assert f'href="{blog_index.url}category/study-tips/"' in html
    assert "Unused category" not in html


def test_the_index_and_a_post_advertise_their_feeds_in_the_head(client, blog_index):
    post = BlogPageFactory(parent=blog_index, tags=["grammar"])

    for url in (blog_index.url, post.url):
        head = client.get(url).content.decode().split("</head>")[0]
        assert (
            f'<link rel="alternate" type="application/rss+xml" title="Blog (RSS)" '
            f'href="http://localhost{blog_index.url}feed/rss/">'
        ) in head
        assert f'href="http://localhost{blog_index.url}feed/atom/"' in head

    tag_head = client.get(f"{blog_index.url}tag/grammar/").content.decode().split("</head>")[0]
    assert f'href="http://localhost{blog_index.url}tag/grammar/feed/rss/"' in tag_head


def test_a_post_with_a_view_restriction_is_left_out_of_the_index_tags_and_feeds(client, blog_index):
    from wagtail.models import PageViewRestriction

    BlogPageFactory(parent=blog_index, title="Open post", tags=["open"])
    private = BlogPageFactory(parent=blog_index, title="Private post", tags=["secret"])
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

    index_html = client.get(blog_index.url).content.decode()
    feed_xml = client.get(f"{blog_index.url}feed/rss/").content.decode()

    assert listed_titles(client.get(blog_index.url)) == ["Open post"]
    assert "secret" not in index_html
    assert "Open post" in feed_xml and "Private post" not in feed_xml
    assert client.get(private.url).status_code == 200  # Wagtail's password form, not the post
    assert "Private post" not in client.get(private.url).content.decode().split("</head>")[1]
