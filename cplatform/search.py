"""Site search: live, public pages of the visitor's language, ranked by Wagtail's search backend
(PostgreSQL full-text search in production and tests, SQLite FTS in dev), paginated and highlighted.

Course pages (courses.pages.CoursePage) are pages like any other: a live one is found by its title,
description and its course's title and summary; a course leaving the published status takes its
pages down (courses.page_services), so unpublished courses never show here.

Apps add to the results without this module knowing them (it imports no feature app), through two
Wagtail hooks:
- `register_search_results`: `fn(*, query, terms, request) -> ResultGroup | None`, a group shown
  above the pages on the first result page (classroom: the listed teachers);
- `register_search_page_groups`: `fn() -> (key, title, [page models])`, which pages of the results
  form a group of their own (courses: course pages under "Courses"); the other pages are "Pages".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Locale, Page
from wagtail.search import index

from .wagtail_lookups import any_view_restriction

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
    page: Page | None = None


@dataclass(frozen=True)
class ResultGroup:
    """A heading and its results: what an app contributes, and the groups of pages."""

    key: str
    title: str
    hits: list[SearchHit]
    total: int = 0  # how many match in all (the hits may be the first few)
    more_url: str = ""  # where to see them all, when there are more than the hits
    more_label: str = ""


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


def term_pattern(terms: list[str]) -> re.Pattern:
    """Words that start with a term, any case. A term marks the word it starts, whole: full-text
    search matches stems ("lesson" finds "lessons"), so "<mark>lessons</mark>" reads better than
    "<mark>lesson</mark>s"."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, with every word that starts with a term wrapped in <mark>. It is split on the
    matches before escaping, so neither the text nor the query can inject markup."""
    if not terms:
        return escape(text)
    parts, last = [], 0
    for match in term_pattern(terms).finditer(text):
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
    first = term_pattern(terms).search(text) if terms else None
    start = max(first.start() - length // 4, 0) if first else 0
    if start:
        start = text.rfind(" ", 0, start) + 1
    clipped = Truncator(text[start:]).chars(length)
    return ("… " if start else "") + clipped


SEARCHABLE_TEXT_TIMEOUT = 60 * 60


def searchable_text(page: Page) -> str:
    """The text the search backend indexes for `page` (its SearchFields other than the title), from
    the loaded page. A StreamField's text needs its blocks loaded (the images, pages and snippets
    they choose: queries, a quarter of a search's time), though chosen objects add no text: so it
    is cached per page state (Page.cache_key: a publish changes it)."""
    if page.pk is None or not page.live:
        return _searchable_text(page)
    key = f"search-text:{page.cache_key}"
    text = cache.get(key)
    if text is None:
        text = _searchable_text(page)
        cache.set(key, text, SEARCHABLE_TEXT_TIMEOUT)
    return text


def _searchable_text(page: Page) -> str:
    chunks = []
    for field in page.get_search_fields():
        if not isinstance(field, index.SearchField) or field.field_name == "title":
            continue
        value = field.get_value(page)
        values = value if isinstance(value, list | tuple) else [value]
        chunks += [strip_tags(str(v)) for v in values if v]
    return " ".join(" ".join(chunks).split())


def page_text(page: Page, terms: list[str] = ()) -> str:
    """What a result shows under its title: the page's meta description (the editor's or its
    summary), unless it has none of the query's words and the indexed text does: then the indexed
    text, so the visitor sees why the page matched."""
    return _pick_text(_description(page), lambda: searchable_text(page), terms)


def _description(page: Page) -> str:
    describe = getattr(page, "get_meta_description", None)
    return (describe() if describe else "") or page.search_description or ""


def pick_text(description: str, body, terms) -> str:
    """`description`, unless it has none of the terms and `body()` (a callable: it may be costly)
    does: then the body. For an app's results that show a short and a long text."""
    return _pick_text(description, body, terms)


def _pick_text(description: str, body, terms) -> str:
    if not terms or term_pattern(terms).search(description):
        return description
    text = body()
    return text if term_pattern(terms).search(text) else description


def site_search(*, query: str, locale: Locale):
    """Live, public pages of `locale` matching every word of `query`, best first (a lazy
    SearchResults: the paginator asks for one count and one slice)."""
    pages = Page.objects.live().filter(locale=locale, depth__gt=1)
    if any_view_restriction():  # else every page is public: no restriction query
        pages = pages.public()
    return pages.search(query, operator="and")


def _hit_key(page: Page) -> str:
    return f"search-hit:{page.content_type_id}:{page.cache_key}"


def _hit_texts(pages: list[Page]) -> dict[int, tuple[str, str]]:
    """(meta description, indexed text) of each live page, by id. Both come from the page's own
    fields (its specific type's: its summary, its StreamFields), so they are cached per page state
    (Page.cache_key: a publish, move or rename changes it); the pages missing from the cache are
    loaded as their specific types, one query per page type. Four to six queries and half of a
    search's time before."""
    keys = {page.pk: _hit_key(page) for page in pages if page.live}
    found = cache.get_many(list(keys.values())) if keys else {}
    texts = {pk: tuple(found[key]) for pk, key in keys.items() if key in found}
    # Grouped by the content type the results already carry: what `.specific()` does, without its
    # first query (which reads the content types again).
    by_type: dict[int, list[int]] = {}
    for page in pages:
        if page.pk not in texts:
            by_type.setdefault(page.content_type_id, []).append(page.pk)
    fresh = {}
    for content_type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for specific in model._default_manager.filter(pk__in=pks):
            texts[specific.pk] = (_description(specific), _searchable_text(specific))
            if specific.pk in keys:
                fresh[keys[specific.pk]] = texts[specific.pk]
    if fresh:
        cache.set_many(fresh, SEARCHABLE_TEXT_TIMEOUT)
    return texts


def hits_for(pages: list[Page], terms: list[str], request) -> list[SearchHit]:
    """Search results as the template shows them: each page's title, address and the text that
    describes it (`_hit_texts`, cached per page state)."""
    texts = _hit_texts(pages)
    hits = []
    for page in pages:
        url = page.get_url(request)
        if not url:
            continue
        description, body = texts.get(page.pk, (page.search_description or "", ""))
        hits.append(
            SearchHit(
                title=highlight(page.title, terms),
                snippet=highlight(
                    excerpt(_pick_text(description, lambda b=body: b, terms), terms), terms
                ),
                url=url,
                page=page,
            )
        )
    return hits


def contributed_groups(*, query: str, terms: list[str], request) -> list[ResultGroup]:
    """The groups apps add above the pages (`register_search_results`), in hook order."""
    groups = []
    for contribute in hooks.get_hooks("register_search_results"):
        group = contribute(query=query, terms=terms, request=request)
        if group is not None and group.hits:
            groups.append(group)
    return groups


def page_groups(hits: list[SearchHit]) -> list[ResultGroup]:
    """The page hits by kind: each app's group (`register_search_page_groups`) in hook order, then
    the other pages under "Pages". Content types come from Django's cache."""
    claimed: list[tuple[str, str, set[int]]] = []
    for describe in hooks.get_hooks("register_search_page_groups"):
        key, title, models = describe()
        types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
        claimed.append((key, title, {ct.pk for ct in types.values()}))
    by_key: dict[str, list[SearchHit]] = {key: [] for key, _title, _types in claimed}
    rest: list[SearchHit] = []
    for hit in hits:
        key = next((k for k, _t, types in claimed if hit.page.content_type_id in types), None)
        (by_key[key] if key else rest).append(hit)
    groups = [ResultGroup(key=k, title=t, hits=by_key[k]) for k, t, _types in claimed]
    groups.append(ResultGroup(key="pages", title=_("Pages"), hits=rest))
    return [g for g in groups if g.hits]


def search_view(request):
    """`/search/?q=…&page=…` (and `/es/search/`). An empty query shows the form; a page number out of
    range shows the nearest page, a garbage one the first."""
    query = clean_query(request.GET.get("q"))
    terms = query_terms(query)
    results_page, groups, total = None, [], 0
    if terms:
        # The backend gets the words only: punctuation means nothing to it and some of it is syntax.
        words = " ".join(WORD.findall(query))
        results = site_search(query=words, locale=Locale.get_active())
        results_page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        hits = hits_for(list(results_page.object_list), terms, request)
        contributed = contributed_groups(query=words, terms=terms, request=request)
        total = results_page.paginator.count + sum(g.total or len(g.hits) for g in contributed)
        # Apps' groups head the first page; later pages go on through the pages only.
        groups = (contributed if results_page.number == 1 else []) + page_groups(hits)
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "results_page": results_page,
            "groups": groups,
            "total": total,
            "searched": bool(terms),
        },
    )
