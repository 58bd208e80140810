"""The automatic description (a page's meta description while its search description is empty):
headings and list items are sentences of their own, whitespace is normalised, entities are decoded
once, and the text is cut at a word with an ellipsis within 155 characters."""

import pytest
from bs4 import BeautifulSoup
from wagtail.rich_text import RichText

from cplatform.summaries import DESCRIPTION_LENGTH, as_sentences, automatic_description, shorten
from tests.home.factories import (
    HeroBlockFactory,
    ImageTextBlockFactory,
    LandingPageFactory,
    RichTextSectionBlockFactory,
    fill_home_page,
)


def meta_description(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find(
        "meta", attrs={"name": "description"}
    )["content"]


def test_a_heading_does_not_run_into_the_next_sentence():
    html = "<h2>Learn Spanish this summer</h2><p>Join our   small groups\nin July.</p>"

    assert as_sentences([html]) == "Learn Spanish this summer. Join our small groups in July."


def test_list_items_become_sentences_and_existing_punctuation_is_kept():
    html = (
        "<h2>Why us?</h2><ul><li>Reviewed teachers</li><li>Lessons in English &amp; Spanish</li>"
        "</ul><p>Book today!</p>"
    )

    assert as_sentences([html]) == (
        "Why us? Reviewed teachers. Lessons in English & Spanish. Book today!"
    )


def test_plain_text_pieces_become_sentences_too():
    assert as_sentences(["Summer courses", "", "Small groups, online or near you."]) == (
        "Summer courses. Small groups, online or near you."
    )


def test_a_long_text_is_cut_at_a_word_with_an_ellipsis_within_155_characters():
    text = " ".join(["Conversation"] * 30)

    cut = shorten(text)

    assert len(cut) <= DESCRIPTION_LENGTH
    assert cut.endswith("Conversation…")
    assert text.startswith(cut.removesuffix("…"))


def test_a_short_text_is_left_whole_and_a_cut_drops_trailing_punctuation():
    assert shorten("Lessons for everyone.") == "Lessons for everyone."
    assert shorten("One two, three four", limit=12) == "One two…"


def test_script_and_style_text_never_reaches_the_description():
    assert automatic_description("<p>Hello</p><script>alert(1)</script><style>p{}</style>") == (
        "Hello."
    )


@pytest.mark.django_db
def test_a_landing_page_made_of_a_hero_and_rich_text_is_described_in_sentences(client):
    page = LandingPageFactory(
        search_description="",
        body=[
            (
                "hero",
                HeroBlockFactory(
                    heading="Learn Spanish this summer",
                    text="Join our small groups in July.",
                    image=None,
                ),
            ),
            (
                "rich_text",
                RichTextSectionBlockFactory(
                    value="<h2>How it works</h2><p>Pick a teacher and book.</p>"
                ),
            ),
        ],
    )

    assert meta_description(client, page.url) == (
        "Learn Spanish this summer. Join our small groups in July. How it works. "
        "Pick a teacher and book."
    )


@pytest.mark.django_db
def test_an_image_text_blocks_rich_text_and_a_long_body_are_cut_within_155_characters(client):
    long_text = "<p>" + " ".join(["Practise with a native speaker every week"] * 6) + "</p>"
    page = LandingPageFactory(
        search_description="",
        body=[
            (
                "image_text",
                ImageTextBlockFactory(heading="Lessons that fit", text=RichText(long_text)),
            ),
        ],
    )

    description = meta_description(client, page.url)

    assert description.startswith("Lessons that fit. Practise with a native speaker every week")
    assert len(description) <= DESCRIPTION_LENGTH
    assert description.endswith("…")
    assert "  " not in description and "&amp;" not in description


@pytest.mark.django_db
def test_the_home_pages_rich_text_welcome_keeps_its_paragraphs_apart(client, home):
    page = fill_home_page(home)
    page.search_description = ""
    page.intro = "<p>Teachers near you</p><p>Book a first lesson today.</p>"
    page.save_revision().publish()

    assert meta_description(client, "/") == "Teachers near you. Book a first lesson today."


@pytest.mark.django_db
def test_an_editors_search_description_is_used_as_written(client):
    page = LandingPageFactory(search_description="Summer Spanish: small groups in July")

    assert meta_description(client, page.url) == "Summer Spanish: small groups in July"
