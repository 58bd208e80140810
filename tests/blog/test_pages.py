import pytest
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailPageTestCase

from blog.models import BlogIndexPage, BlogPage
from home.models import HomePage
from tests.blog.factories import (
    BlogAuthorFactory,
    BlogCategoryFactory,
    BlogPageFactory,
    english_home,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_tests():
    """Wagtail's page-tree assertions (assertCanCreateAt / assertCanNotCreateAt) outside unittest."""
    case = WagtailPageTestCase()
    case.maxDiff = None
    return case


def test_a_blog_index_can_be_created_only_under_a_home_page(page_tests):
    page_tests.assertCanCreateAt(HomePage, BlogIndexPage)
    page_tests.assertCanNotCreateAt(Page, BlogIndexPage)
    page_tests.assertCanNotCreateAt(BlogIndexPage, BlogIndexPage)
    page_tests.assertCanNotCreateAt(BlogPage, BlogIndexPage)


def test_a_blog_post_can_be_created_only_under_a_blog_index(page_tests):
    page_tests.assertCanCreateAt(BlogIndexPage, BlogPage)
    page_tests.assertCanNotCreateAt(HomePage, BlogPage)
    page_tests.assertCanNotCreateAt(Page, BlogPage)
    page_tests.assertCanNotCreateAt(BlogPage, BlogPage)
    page_tests.assertAllowedParentPageTypes(BlogPage, {BlogIndexPage})
    page_tests.assertAllowedSubpageTypes(BlogPage, set())
    page_tests.assertAllowedSubpageTypes(BlogIndexPage, {BlogPage})


def test_a_home_page_holds_one_blog_index_only(blog_index):
    assert not BlogIndexPage.can_create_at(english_home())


def test_the_post_factory_builds_a_published_post_with_a_realistic_body(blog_index):
    post = BlogPageFactory(parent=blog_index, tags=["grammar", "habits"])

    assert post.live and post.last_published_at is not None
    assert [block.block_type for block in post.body] == [
        "rich_text",
        "image",
        "rich_text",
        "quote",
        "rich_text",
    ]
    picture = post.body[1].value
    assert picture["image"].contextual_alt_text == "Students practising conversation in pairs"
    assert picture["caption"].startswith("Pair work")
    assert sorted(post.tags.names()) == ["grammar", "habits"]
    assert post.locale.language_code == "en"
    assert post.get_parent().specific == blog_index
    # The same page survives a round trip through its published revision.
    revision_page = post.get_latest_revision_as_object()
    assert revision_page.body.raw_data == post.body.raw_data


def test_a_post_renders_its_body_author_tags_and_categories(client, blog_index):
    author = BlogAuthorFactory(name="Lucía Gómez", role="Spanish teacher", bio="Teaches in Madrid.")
    category = BlogCategoryFactory(name="Study tips", slug="study-tips")
    post = BlogPageFactory(
        parent=blog_index,
        title="Twenty minutes a day",
        author=author,
        tags=["habits"],
        categories=[category],
    )

    response = client.get(post.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Twenty minutes a day</h1>" in html
    assert "<h2>Little and often</h2>" in html  # a rich text block
    assert "Language is the road map of a culture." in html  # the quote block
    assert "<figcaption>Pair work" in html  # the picture block
    assert 'alt="Students practising conversation in pairs"' in html  # the image block
    assert "About Lucía Gómez" in html and "Teaches in Madrid." in html
    assert f'href="{blog_index.url}tag/habits/"' in html
    assert f'href="{blog_index.url}category/study-tips/"' in html
    assert f"{post.reading_time} min read" in html


def test_a_post_by_a_listed_teacher_links_to_their_profile(client, blog_index):
    from tests.classroom.factories import listed_teacher

    teacher = listed_teacher(first_name="Marta")
    author = BlogAuthorFactory(name="Marta", teacher=teacher)
    post = BlogPageFactory(parent=blog_index, author=author)
    unlisted_author = BlogAuthorFactory(name="Pablo", teacher=None)
    other = BlogPageFactory(parent=blog_index, author=unlisted_author)

    assert f"/teachers/{teacher.slug}/" in client.get(post.url).content.decode()
    assert (
        "/teachers/"
        not in client.get(other.url).content.decode().split("<main")[1].split("</main>")[0]
    )


def test_the_reading_time_is_the_word_count_at_two_hundred_words_a_minute(blog_index):
    paragraph = "<p>" + " ".join(["word"] * 250) + "</p>"
    post = BlogPageFactory(
        parent=blog_index,
        intro="Five words in the intro.",
        body=[
            ("rich_text", RichText(paragraph)),
            ("quote", {"quote": "Three more words", "attribution": ""}),
            ("rich_text", RichText("<p>" + " ".join(["more"] * 142) + "</p>")),
        ],
    )

    assert post.word_count() == 5 + 250 + 3 + 142
    assert post.reading_time == 2  # 400 words
    post.body = [("rich_text", post.body[0].value)] * 3
    post.save()
    post.refresh_from_db()
    assert post.reading_time == 4  # 755 words


def test_a_short_post_reads_in_one_minute(blog_index):
    post = BlogPageFactory(parent=blog_index, intro="Short.", body=[])

    assert post.reading_time == 1


def test_the_reading_time_follows_the_published_revision(blog_index):
    post = BlogPageFactory(parent=blog_index, intro="Short.", body=[])
    draft = post.get_latest_revision_as_object()
    draft.body = [("rich_text", RichText("<p>" + " ".join(["word"] * 1000) + "</p>"))]
    draft.save_revision().publish()

    post.refresh_from_db()
    assert post.reading_time == 6  # 1001 words
