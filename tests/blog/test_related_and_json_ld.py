import datetime
import json
import re

import pytest
from django.utils import timezone

from blog.selectors import blog_post_related
from cplatform.pages import SHARE_IMAGE_SPEC
from tests.blog.factories import BlogAuthorFactory, BlogCategoryFactory, BlogPageFactory
from tests.query_budget import assert_constant_queries

pytestmark = pytest.mark.django_db


def json_ld_objects(response) -> list[dict]:
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    found = []
    for script in scripts:
        data = json.loads(script)
        found.extend(data if isinstance(data, list) else [data])
    return found


def blog_posting(response) -> dict:
    postings = [obj for obj in json_ld_objects(response) if obj.get("@type") == "BlogPosting"]
    assert len(postings) == 1, postings
    return postings[0]


# --- related posts ---------------------------------------------------------------------------


def test_related_posts_share_tags_or_categories_most_shared_first(blog_index, spanish_blog_index):
    tips = BlogCategoryFactory(name="Study tips", slug="study-tips")
    today = timezone.localdate()

    def post(title, days_ago=0, **kwargs):
        return BlogPageFactory(
            parent=kwargs.pop("parent", blog_index),
            title=title,
            date=today - datetime.timedelta(days=days_ago),
            **kwargs,
        )

    subject = post("Subject", tags=["grammar", "habits"], categories=[tips])
    three_shared = post("Three shared", 5, tags=["grammar", "habits"], categories=[tips])
    one_tag_new = post("One tag, newer", 1, tags=["grammar"])
    one_tag_old = post("One tag, older", 9, tags=["habits", "music"])
    category_only = post("Category only", 2, categories=[tips])
    post("Nothing shared", tags=["music"])
    post("Shared but a draft", tags=["grammar"], live=False)
    post("Shared but Spanish", tags=["grammar"], parent=spanish_blog_index)

    related = blog_post_related(post=subject, limit=10)

    assert [p.title for p in related] == [
        three_shared.title,
        one_tag_new.title,
        category_only.title,
        one_tag_old.title,
    ]
    assert subject not in related
    assert [p.title for p in blog_post_related(post=subject)] == [
        three_shared.title,
        one_tag_new.title,
        category_only.title,
    ]


def test_related_posts_are_found_in_one_query_however_many_candidates(blog_index):
    subject = BlogPageFactory(parent=blog_index, tags=["grammar"])
    BlogPageFactory(parent=blog_index, tags=["grammar"])

    def grow():
        for _ in range(6):
            BlogPageFactory(parent=blog_index, tags=["grammar"], categories=[BlogCategoryFactory()])

    queries = assert_constant_queries(
        lambda: blog_post_related(post=subject),
        grow=grow,
        expect_status=None,  # a selector call, not a request
        rows=len,  # one related post, then three
    )
    assert len(blog_post_related(post=subject)) == 3
    # view restrictions + posts + hero images + their renditions + tags + categories
    assert queries == 6


def test_a_post_page_shows_its_related_posts(client, blog_index):
    subject = BlogPageFactory(parent=blog_index, tags=["grammar"])
    BlogPageFactory(parent=blog_index, title="A related post", tags=["grammar"])
    BlogPageFactory(parent=blog_index, title="An unrelated post", tags=["music"])

    html = client.get(subject.url).content.decode()

    assert "Related posts" in html
    assert "A related post" in html
    assert "An unrelated post" not in html


def test_a_post_without_anything_in_common_shows_no_related_section(client, blog_index):
    lonely = BlogPageFactory(parent=blog_index, tags=["unique"])
    BlogPageFactory(parent=blog_index, tags=["music"])

    assert "Related posts" not in client.get(lonely.url).content.decode()


# --- JSON-LD -------------------------------------------------------------------------------------


def test_a_post_describes_itself_as_a_blog_posting(client, blog_index):
    author = BlogAuthorFactory(name="Lucía Gómez", role="Spanish teacher")
    post = BlogPageFactory(
        parent=blog_index,
        title="Twenty minutes a day",
        date=datetime.date(2026, 3, 14),
        author=author,
        tags=["habits", "grammar"],
    )

    data = blog_posting(client.get(post.url))

    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Twenty minutes a day"
    assert data["datePublished"] == "2026-03-14"
    modified = datetime.datetime.fromisoformat(data["dateModified"])
    assert modified == post.last_published_at
    assert data["author"] == {
        "@type": "Person",
        "name": "Lucía Gómez",
        "jobTitle": "Spanish teacher",
    }
    assert data["image"]["url"].startswith("http://localhost/")
    share = post.hero_image.get_rendition(SHARE_IMAGE_SPEC)  # the OpenGraph picture's
    assert data["image"]["url"].endswith(share.url)
    assert (data["image"]["width"], data["image"]["height"]) == (share.width, share.height)
    assert data["inLanguage"] == "en"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": post.get_full_url()}
    assert data["description"] == post.intro
    assert set(data["keywords"].split(", ")) == {"habits", "grammar"}
    assert data["timeRequired"] == f"PT{post.reading_time}M"


def test_the_blog_posting_links_a_listed_teacher_and_speaks_the_posts_language(
    client, blog_index, spanish_blog_index
):
    from tests.classroom.factories import listed_teacher

    teacher = listed_teacher(first_name="Marta")
    author = BlogAuthorFactory(name="Marta Ruiz", teacher=teacher)
    post = BlogPageFactory(parent=spanish_blog_index, title="Diez minutos al día", author=author)

    data = blog_posting(client.get(post.url))

    assert data["inLanguage"] == "es"
    assert data["headline"] == "Diez minutos al día"
    assert data["author"]["url"].endswith(f"/es/teachers/{teacher.slug}/")
    assert data["mainEntityOfPage"]["@id"].startswith("http://localhost/es/")


def test_a_post_without_author_or_image_still_has_the_required_fields(client, blog_index):
    post = BlogPageFactory(parent=blog_index, author=None, hero_image=None, body=[])

    data = blog_posting(client.get(post.url))

    for field in ("headline", "datePublished", "dateModified", "inLanguage", "mainEntityOfPage"):
        assert data[field]
    assert "author" not in data and "image" not in data


def test_a_headline_with_html_cannot_break_out_of_the_script(client, blog_index):
    post = BlogPageFactory(parent=blog_index, title="Tags like </script><b>bold</b>")

    html = client.get(post.url).content.decode()

    assert blog_posting(client.get(post.url))["headline"] == "Tags like </script><b>bold</b>"
    assert "</script><b>" not in html
