"""Site search: live, public pages of the visitor's language, ranked by Wagtail's search backend
(PostgreSQL full-text search in production and tests, SQLite FTS in dev), paginated and highlighted.

Courses join the results once they exist (the courses issue): add their query to `site_search`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from wagtail.models import Locale, Page

PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
SNIPPET_LENGTH = 240
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    title: SafeString
    snippet: SafeString
    url: str
    page: Page


def clean_query(raw: str | None) -> str:
    """The query as searched: bounded, control characters dropped, whitespace collapsed."""
    text = "".join(c if c.isprintable() else " " for c in (raw or "")[:MAX_QUERY_LENGTH])
    return " ".join(text.split())


def query_terms(query: str) -> list[str]:
    """The words of a query, for highlighting (punctuation is not searched for)."""
    seen: list[str] = []
    for word in WORD.findall(query.casefold()):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, with every word that starts with a term (any case) wrapped in <mark>. It is split
    on the matches before escaping, so neither the text nor the query can inject markup."""
    if not terms:
        return escape(text)
    # A term marks the word it starts, whole: full-text search matches stems ("lesson" finds
    # "lessons"), so "<mark>lessons</mark>" reads better than "<mark>lesson</mark>s".
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def excerpt(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """About `length` characters of `text`, starting a little before the first term found."""
    text = " ".join(strip_tags(text).split())
    if len(text) <= length:
        return text
    lowered = text.casefold()
    positions = [p for p in (lowered.find(t) for t in terms) if p >= 0]
    start = max(min(positions) - length // 4, 0) if positions else 0
    if start:
        start = text.rfind(" ", 0, start) + 1
    clipped = Truncator(text[start:]).chars(length)
    return ("… " if start else "") + clipped


def page_text(page: Page) -> str:
    """What a result shows under its title: the page's meta description (editor's or generated)."""
    describe = getattr(page, "get_meta_description", None)
    return (describe() if describe else "") or page.search_description or ""


def site_search(*, query: str, locale: Locale):
    """Live, public pages of `locale` matching every word of `query`, best first (a lazy
    SearchResults: the paginator asks for one count and one slice)."""
    pages = Page.objects.live().public().filter(locale=locale, depth__gt=1)
    return pages.search(query, operator="and")


def hits_for(pages: list[Page], terms: list[str], request) -> list[SearchHit]:
    """Search results as the template shows them. The pages come back as their specific types, one
    query per page type, so a result can describe itself (`get_meta_description`)."""
    specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in pages]).specific()}
    hits = []
    for page in pages:
        page = specific.get(page.pk, page)
        url = page.get_url(request)
        if not url:
            continue
        hits.append(
            SearchHit(
                title=highlight(page.title, terms),
                snippet=highlight(excerpt(page_text(page), terms), terms),
                url=url,
                page=page,
            )
        )
    return hits


def search_view(request):
    """`/search/?q=…&page=…` (and `/es/search/`). An empty query shows the form; a page number out of
    range shows the nearest page, a garbage one the first."""
    query = clean_query(request.GET.get("q"))
    terms = query_terms(query)
    results_page, hits = None, []
    if terms:
        # The backend gets the words only: punctuation means nothing to it and some of it is syntax.
        words = " ".join(WORD.findall(query))
        results = site_search(query=words, locale=Locale.get_active())
        results_page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        hits = hits_for(list(results_page.object_list), terms, request)
    return render(
        request,
        "search/search.html",
        {"query": query, "results_page": results_page, "hits": hits, "searched": bool(terms)},
    )
