"""The blog feeds, read with feedparser as a feed reader would."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from blog.models import BlogPage
from tests.blog.factories import BlogAuthorFactory, BlogPageFactory

pytestmark = pytest.mark.django_db

KINDS = ["rss", "atom"]


def read_feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def published_date(entry) -> datetime.date:
    """The entry's publication date in the site's time zone."""
    stamp = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    return timezone.localtime(stamp).date()


@pytest.fixture
def posts(blog_index):
    author = BlogAuthorFactory(name="Lucía Gómez")
    today = timezone.localdate()
    made = [
        BlogPageFactory(
            parent=blog_index,
            title=f"Post {i}",
            date=today - datetime.timedelta(days=i),
            author=author,
            tags=["grammar"] if i % 2 == 0 else ["habits"],
        )
        for i in range(4)
    ]
    BlogPageFactory(parent=blog_index, title="Draft post", live=False, tags=["grammar"])
    return made


@pytest.mark.parametrize("kind", KINDS)
def test_the_site_feed_lists_every_live_post_with_absolute_links_and_dates(
    client, blog_index, posts, kind
):
    response, feed = read_feed(client, f"{blog_index.url}feed/{kind}/")

    expected = list(BlogPage.objects.live().child_of(blog_index).order_by("-date"))
    assert response["Content-Type"].startswith(
        "application/rss+xml" if kind == "rss" else "application/atom+xml"
    )
    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    assert feed.feed.title == "Blog"
    assert feed.feed.link == blog_index.get_full_url()
    assert len(feed.entries) == len(expected) == 4
    for entry, post in zip(feed.entries, expected, strict=True):
        assert entry.title == post.title
        assert entry.link == post.get_full_url()
        assert entry.link.startswith("http://localhost/")
        assert entry.summary == post.intro
        assert published_date(entry) == post.date
        assert entry.author == "Lucía Gómez"
        assert [t.term for t in entry.tags] == list(post.tags.names())
    assert "Draft post" not in response.content.decode()


def test_the_atom_feed_gives_each_post_its_last_published_time(client, blog_index, posts):
    _, feed = read_feed(client, f"{blog_index.url}feed/atom/")

    by_link = {post.get_full_url(): post for post in posts}
    for entry in feed.entries:
        post = by_link[entry.link]
        updated = datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC)
        assert updated == post.last_published_at.replace(microsecond=0)


@pytest.mark.parametrize("kind", KINDS)
def test_a_tag_feed_lists_only_the_posts_with_that_tag(client, blog_index, posts, kind):
    _, feed = read_feed(client, f"{blog_index.url}tag/grammar/feed/{kind}/")

    tagged = BlogPage.objects.live().filter(tags__slug="grammar").order_by("-date")
    assert [e.title for e in feed.entries] == [p.title for p in tagged] == ["Post 0", "Post 2"]
    assert "grammar" in feed.feed.title
    assert feed.feed.link == f"{blog_index.get_full_url()}tag/grammar/"


def test_a_feed_of_an_unknown_tag_or_format_is_not_found(client, blog_index, posts):
    assert client.get(f"{blog_index.url}tag/nope/feed/rss/").status_code == 404
    assert client.get(f"{blog_index.url}feed/json/").status_code == 404


def test_a_post_withdrawn_from_the_site_leaves_the_feed(client, blog_index, posts):
    posts[0].unpublish()

    _, feed = read_feed(client, f"{blog_index.url}feed/rss/")

    assert [e.title for e in feed.entries] == ["Post 1", "Post 2", "Post 3"]


def test_the_feed_keeps_the_newest_twenty_posts(client, blog_index):
    today = timezone.localdate()
    for i in range(22):
        BlogPageFactory(
            parent=blog_index, title=f"Post {i:02d}", date=today - datetime.timedelta(days=i)
        )

    _, feed = read_feed(client, f"{blog_index.url}feed/rss/")

    assert [e.title for e in feed.entries] == [f"Post {i:02d}" for i in range(20)]


@pytest.mark.parametrize("kind", KINDS)
def test_the_spanish_blog_feed_lists_the_spanish_posts_in_spanish(
    client, blog_index, spanish_blog_index, posts, kind
):
    spanish_post = BlogPageFactory(
        parent=spanish_blog_index, title="Diez minutos al día", tags=["grammar"]
    )

    _, feed = read_feed(client, f"{spanish_blog_index.url}feed/{kind}/")
    _, tag_feed = read_feed(client, f"{spanish_blog_index.url}tag/grammar/feed/{kind}/")

    assert spanish_blog_index.url.startswith("/es/")
    assert [e.title for e in feed.entries] == ["Diez minutos al día"]
    assert feed.entries[0].link == spanish_post.get_full_url()
    assert "/es/" in feed.entries[0].link
    assert [e.title for e in tag_feed.entries] == ["Diez minutos al día"]
    assert feed.feed.language == "es"
    assert feed.feed.title == "Blog en español"
