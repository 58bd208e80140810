"""The site search page: /search/ and /es/search/ over the live pages of the visitor's language."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from cplatform import search as search_module
from cplatform.search import PAGE_SIZE, highlight
from tests.faq.factories import FAQPageFactory, english_home
from tests.query_budget import assert_constant_queries
from tests.seo.conftest import soup

pytestmark = pytest.mark.django_db


def search(client, query=None, *, language="en", **params):
    with translation.override(language):
        url = reverse("search")
    if query is not None:
        params["q"] = query
    return client.get(url, params)


def result_titles(response) -> list[str]:
    return [" ".join(h.get_text().split()) for h in soup(response).select(".search-result h3")]


def results_by_title(response) -> dict:
    return {li.h3.get_text(strip=True): li for li in soup(response).select(".search-result")}


def many_pages(count: int, word: str = "xylophone"):
    """`count` live pages that all mention `word`. They are FAQ pages side by side under the English
    home (the admin allows one there; the search does not care)."""
    home = english_home()
    return [
        FAQPageFactory(
            parent=home,
            title=f"Course {n:02d}: the {word} for beginners",
            slug=f"{word}-{n:02d}-{uuid.uuid4().hex[:6]}",
            intro=f"<p>Week {n} of learning the {word}.</p>",
        )
        for n in range(count)
    ]


def test_the_search_page_has_its_url_in_both_languages():
    with translation.override("en"):
        assert reverse("search") == "/search/"
    with translation.override("es"):
        assert reverse("search") == "/es/search/"


def test_without_a_query_the_page_shows_the_form_and_no_results(client, faq_page):
    page = soup(search(client))

    assert page.select_one("form[role=search] input[name=q]") is not None
    assert page.select(".search-result") == []
    assert page.select_one(".result-count") is None


def test_a_page_is_found_by_a_word_of_its_title(client, faq_page):
    assert result_titles(search(client, "frequently")) == ["Frequently asked questions"]


def test_a_page_is_found_by_a_word_in_its_body(client, faq_page):
    # "Mastercard" appears only in one answer of the FAQ body.
    assert result_titles(search(client, "mastercard")) == ["Frequently asked questions"]


def test_every_word_must_match(client, faq_page):
    assert result_titles(search(client, "mastercard frequently")) == ["Frequently asked questions"]
    assert result_titles(search(client, "mastercard submarine")) == []


def test_english_search_finds_english_pages_only(client, spanish_faq):
    # "Stripe" is in both the English and the Spanish FAQ.
    assert result_titles(search(client, "stripe")) == ["Frequently asked questions"]


def test_spanish_search_finds_spanish_pages_only(client, spanish_faq):
    response = search(client, "stripe", language="es")

    assert result_titles(response) == ["Preguntas frecuentes"]
    link = soup(response).select_one(".search-result h3 a")["href"]
    assert link == "/es/preguntas-frecuentes/"


def test_a_spanish_word_is_found_on_the_spanish_site_only(client, spanish_faq):
    assert result_titles(search(client, "domiciliación", language="es")) == ["Preguntas frecuentes"]
    assert result_titles(search(client, "domiciliación")) == []


def test_drafts_and_unpublished_pages_are_not_found(client, faq_page):
    FAQPageFactory(title="Secret xylophone plans", slug="secret", live=False)
    faq_page.unpublish()

    assert result_titles(search(client, "xylophone")) == []
    assert result_titles(search(client, "frequently")) == []


def test_a_draft_change_to_a_live_page_is_not_searchable_until_published(client, faq_page):
    faq_page.title = "Questions about the xylophone"
    faq_page.save_revision()  # a draft: the live page keeps its title

    assert result_titles(search(client, "xylophone")) == []

    faq_page.get_latest_revision().publish()
    assert result_titles(search(client, "xylophone")) == ["Questions about the xylophone"]


def test_query_words_are_highlighted_in_titles_and_snippets(client, faq_page):
    response = search(client, "lessons")
    result = soup(response).select_one(".search-result")

    assert [m.get_text() for m in result.h3.select("mark")] == []  # not in the title
    assert "lessons" in [m.get_text() for m in result.p.select("mark")]

    result = soup(search(client, "ASKED")).select_one(".search-result")
    assert [m.get_text() for m in result.h3.select("mark")] == ["asked"]


def test_a_page_found_by_its_body_shows_the_passage_that_matched(client, faq_page):
    snippet = soup(search(client, "refund")).select_one(".search-result p")

    assert "refund" in [m.get_text().casefold() for m in snippet.select("mark")]
    assert len(snippet.get_text()) <= 250


def test_a_description_with_the_query_words_is_the_snippet(client, faq_page):
    snippet = soup(search(client, "payments")).select_one(".search-result p")

    assert snippet.get_text().startswith("Answers about lessons, payments")


def test_highlighting_escapes_the_page_text(client):
    FAQPageFactory(
        title="Tags like <b>bold</b> & <script>alert(1)</script> xylophone",
        slug="html-title",
        intro="<p>Fine xylophone &amp; more.</p>",
    )

    response = search(client, "BOLD xylophone")

    assert "<script>alert(1)</script>" not in response.content.decode()
    title = soup(response).select_one(".search-result h3")
    assert title.get_text() == "Tags like <b>bold</b> & <script>alert(1)</script> xylophone"
    assert [m.get_text() for m in title.select("mark")] == ["bold", "xylophone"]
    assert title.select("b, script") == []


def test_a_query_with_markup_is_shown_escaped(client, faq_page):
    response = search(client, "<script>alert(1)</script>")

    assert "<script>alert(1)</script>" not in response.content.decode()
    page = soup(response)
    assert page.select_one("input[name=q]")["value"] == "<script>alert(1)</script>"
    assert "<script>alert(1)</script>" in page.select_one(".result-count").get_text()


def test_highlight_marks_whole_words_starting_with_a_term_in_any_case():
    assert highlight("Lessons & lesson plans", ["lesson"]) == (
        "<mark>Lessons</mark> &amp; <mark>lesson</mark> plans"
    )
    assert highlight("a <b>", ["b"]) == "a &lt;<mark>b</mark>&gt;"
    assert highlight("unrelated", ["lesson"]) == "unrelated"
    assert highlight("x < y", []) == "x &lt; y"


@pytest.fixture
def small_pages(monkeypatch):
    """Two results per page: seven matching pages make four result pages."""
    monkeypatch.setattr(search_module, "PAGE_SIZE", 2)
    return many_pages(7)


def test_results_are_paginated(client, small_pages):
    first = search(client, "xylophone")
    last = search(client, "xylophone", page=4)

    assert len(result_titles(first)) == 2
    assert len(result_titles(last)) == 1
    assert "7 results" in soup(first).select_one(".result-count").get_text()
    assert soup(first).select_one(".pagination a[rel=next]")["href"] == "?q=xylophone&page=2"
    assert soup(last).select_one(".pagination a[rel=prev]")["href"] == "?q=xylophone&page=3"
    pages = [result_titles(search(client, "xylophone", page=n)) for n in range(1, 5)]
    assert sorted(sum(pages, [])) == sorted(p.title for p in small_pages)


def test_the_default_page_size_is_ten():
    assert PAGE_SIZE == 10


@pytest.mark.parametrize(("page", "expected"), [("999", 1), ("-1", 1), ("abc", 2), ("", 2)])
def test_a_bad_page_number_shows_the_nearest_page(client, small_pages, page, expected):
    response = search(client, "xylophone", page=page)

    assert response.status_code == 200
    assert len(result_titles(response)) == expected


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        "&&",
        "|",
        "'",
        '"unbalanced',
        "(",
        "a:*",
        "!xylophone",
        "x" * 5000,
        "xylophone " * 300,
        "日本語",
        "\u200b",
        "DROP TABLE wagtailcore_page; --",
        "<script>",
    ],
)
def test_odd_queries_answer_200(client, faq_page, query):
    response = search(client, query)

    assert response.status_code == 200


def test_a_query_of_punctuation_asks_for_a_word(client, faq_page):
    page = soup(search(client, "!!! ???"))

    assert page.select(".search-result") == []
    assert "Type a word" in page.get_text()


def test_a_search_costs_the_same_queries_for_a_few_or_many_results(client, monkeypatch):
    monkeypatch.setattr(search_module, "PAGE_SIZE", 5)
    many_pages(2)
    assert_constant_queries(
        lambda: search(client, "xylophone"),
        # the warm-up after growing: publishing cleared cached fragments
        grow=lambda: (many_pages(8), search(client, "xylophone")),
        rows=lambda response: len(result_titles(response)),  # 2 results, then a page of 5
    )
    assert len(result_titles(search(client, "xylophone"))) == 5


def test_the_search_page_is_not_indexed_once_a_query_is_given(client, faq_page):
    assert soup(search(client)).select_one('meta[name="robots"]') is None
    robots = soup(search(client, "lessons")).select_one('meta[name="robots"]')
    assert robots["content"] == "noindex, follow"


def test_a_published_edit_of_the_body_shows_in_the_snippet_at_once(client, faq_page):
    """The text a snippet is cut from is cached per page state (cplatform.search.searchable_text)."""
    import json

    from faq.models import FAQPage

    before = soup(search(client, "refund")).select_one(".search-result p").get_text()
    assert "zeppelin" not in before.casefold()

    page = FAQPage.objects.get(pk=faq_page.pk)
    raw = json.dumps(page.body.get_prep_value()).replace("refund", "zeppelin refund", 1)
    page.body = json.loads(raw)
    page.save_revision().publish()

    after = soup(search(client, "refund")).select_one(".search-result p").get_text()
    assert "zeppelin" in after.casefold()


def test_a_warm_search_reads_the_index_only_and_a_new_description_shows_at_once(client, faq_page):
    """What a result shows of a page is cached per page state (cplatform.search._hit_texts): a warm
    search reads no page type's table, and a published edit shows at once."""
    from faq.models import FAQPage
    from tests.query_budget import capture_queries

    search(client, "refund")
    with capture_queries() as captured:
        response = search(client, "refund")
    assert result_titles(response)
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert 'FROM "faq_faqpage"' not in sql
    assert "zeppelin" not in soup(response).select_one(".search-result p").get_text().casefold()

    page = FAQPage.objects.get(pk=faq_page.pk)
    page.search_description = "Zeppelin refund rules, in short."
    page.save_revision().publish()
    shown = soup(search(client, "refund")).select_one(".search-result p").get_text()
    assert shown == "Zeppelin refund rules, in short."
