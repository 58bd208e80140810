"""Reading FAQ content: the questions of a page's StreamField, the `?q=` filter, the locale's FAQ page.

The filter here and `faq/static/faq/faq-search.js` match the same way (every word of the query, case-
and accent-insensitive, in the question, its answer or its section's heading), so the list looks the
same with and without JavaScript.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from wagtail.rich_text import RichText, expand_db_html

MAX_QUERY_TERMS = 10


@dataclass(frozen=True)
class FAQItem:
    id: str
    question: str
    answer: RichText
    section: str
    page_url: str = ""

    @property
    def anchor(self) -> str:
        return f"faq-{self.id}"

    @property
    def url(self) -> str:
        return f"{self.page_url}#{self.anchor}"

    @cached_property
    def answer_html(self) -> SafeString:
        return expand_db_html(self.answer.source)

    @cached_property
    def search_text(self) -> str:
        return normalize(f"{self.section} {self.question} {strip_tags(self.answer.source)}")


@dataclass(frozen=True)
class FAQSection:
    id: str
    heading: str
    items: list[FAQItem] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"faq-section-{self.id}"


def normalize(text: str) -> str:
    """Lower case without accents ("Ñandú" → "nandu"), whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def parse_query(query: str) -> list[str]:
    return normalize(query).split()[:MAX_QUERY_TERMS]


def section_items(value, *, page_url: str = "") -> list[FAQItem]:
    """The questions of one FAQSectionBlock value (a StructValue)."""
    heading = value.get("heading") or ""
    return [
        FAQItem(
            id=child.id,
            question=child.value.get("question") or "",
            answer=child.value.get("answer") or RichText(""),
            section=heading,
            page_url=page_url,
        )
        for child in value["questions"].bound_blocks
    ]


def faq_sections(body, *, page_url: str = "") -> list[FAQSection]:
    """The sections of an FAQPage body (a StreamValue), each with its questions."""
    return [
        FAQSection(
            id=block.id,
            heading=block.value.get("heading") or "",
            items=section_items(block.value, page_url=page_url),
        )
        for block in body
        if block.block_type == "section"
    ]


def faq_items(body, *, page_url: str = "") -> list[FAQItem]:
    return [item for section in faq_sections(body, page_url=page_url) for item in section.items]


def faq_filter(sections: list[FAQSection], terms: list[str]) -> list[FAQSection]:
    """Only the questions that contain every term; sections left empty are dropped."""
    kept = []
    for section in sections:
        items = [item for item in section.items if all(t in item.search_text for t in terms)]
        if items:
            kept.append(replace(section, items=items))
    return kept


def faq_page_get_for_locale(*, locale=None):
    """The live, public FAQ page of a locale (the active one by default), or None."""
    from wagtail.models import Locale

    from .models import FAQPage

    locale = locale or Locale.get_active()
    return FAQPage.objects.live().public().filter(locale=locale).order_by("path").first()


def faq_questions(*, limit: int, locale=None) -> list[FAQItem]:
    """The first `limit` questions of the locale's FAQ page (none when the locale has no FAQ page)."""
    page = faq_page_get_for_locale(locale=locale)
    return page.questions(limit=limit) if page else []


def faq_excerpt(*, page, limit: int, section: str | None) -> tuple[object | None, list[FAQItem]]:
    """The FAQ excerpt block's (page, questions): the chosen page in the active language (None if it
    is not live), else the active language's FAQ page; no query but the translation lookup."""
    if page is not None:
        page = page.localized.specific
        if not page.live:
            return None, []
    else:
        page = faq_page_get_for_locale()
    if page is None:
        return None, []
    return page, page.questions(limit, section=section)


def faq_section_headings(*, page=None) -> list[tuple[str, str]]:
    """(heading, language name) of every section of the FAQ pages (of `page` and its translations
    when given), in page then reading order: what the FAQ excerpt block offers and accepts. One
    query."""
    from .models import FAQPage

    pages = FAQPage.objects.select_related("locale").order_by("locale_id", "path")
    if page is not None:
        pages = pages.filter(translation_key=page.translation_key)
    return [
        (section.heading, str(faq_page.locale.get_display_name()))
        for faq_page in pages
        for section in faq_sections(faq_page.body)
    ]
