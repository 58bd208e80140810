"""Links typed as site-relative addresses follow the reader's language.

Editors (and the demo) type some links as addresses, `/teachers/` or `/search/`; English has no prefix,
so on a Spanish page such a link would drop the reader onto an English page. `localized_url` maps an
address of one of our language-prefixed routes (a view under `i18n_patterns`, or a Wagtail page served
by its catch-all) to the same route in the active language, at render time, without editing content:
`/teachers/` → `/es/teachers/` while Spanish is active; a Wagtail page's address becomes its live
translation's (`/teach/` → `/es/ensena/`: translated pages may have their own slugs), and stays as it is
when the page has no translation in that language. Anything else passes unchanged: other sites,
`mailto:`, addresses that have no language (the API, the admin, feeds, files), addresses that already
carry a language prefix, and addresses that name no route.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, get_urlconf, resolve, reverse
from django.utils import translation


def localized_url(url: str, language: str | None = None) -> str:
    """`url` in `language` (the active one by default) when it is an address of a language-prefixed
    route of this site written without its prefix; else `url` unchanged."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if not url or language == settings.LANGUAGE_CODE or not url.startswith("/"):
        return url
    if url.startswith("//"):  # another host, scheme-relative
        return url
    found = _localized(url, language, get_urlconf())
    if isinstance(found, tuple):
        return _translated_page_url(url, language, prefixed=found[1])
    return found


_PAGE = object()  # the address is served by Wagtail: look the page up (not cached: pages change)


@lru_cache(maxsize=2048)
def _localized(url: str, language: str, urlconf):
    parts = urlsplit(url)
    prefixes = {f"/{code}/" for code, _name in settings.LANGUAGES} | {
        f"/{code}" for code, _name in settings.LANGUAGES
    }
    if parts.path in prefixes or parts.path.startswith(tuple(p for p in prefixes if p[-1] == "/")):
        return url  # already in a language
    try:
        # Resolve as the default (unprefixed) language reads it, reverse as `language` writes it.
        with translation.override(settings.LANGUAGE_CODE):
            match = resolve(unquote(parts.path), urlconf)  # resolve reads decoded paths
        with translation.override(language):
            path = reverse(match.view_name, urlconf, args=match.args, kwargs=match.kwargs)
    except (Resolver404, NoReverseMatch):
        return url
    prefixed = urlunsplit(("", "", path, parts.query, parts.fragment))
    if match.url_name == "wagtail_serve":
        return (_PAGE, prefixed)
    if unquote(path) == unquote(parts.path):  # a route outside the language prefixes
        return url
    return prefixed


def _translated_page_url(url: str, language: str, *, prefixed: str) -> str:
    """The live translation in `language` of the default site's page at `url`. Without one: the
    prefixed address while that language has no home page of its own (Wagtail then serves the
    default language's tree there), else `url` itself (the page exists in its language only)."""
    from wagtail.models import Locale, Page, Site

    parts = urlsplit(url)
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    locale = Locale.objects.filter(language_code=language).first()
    if site is None or locale is None:
        return url
    root = site.root_page
    keys = [root.translation_key]
    page = (
        Page.objects.filter(
            url_path=root.url_path + unquote(parts.path).lstrip("/"), locale_id=root.locale_id
        )
        .only("id", "translation_key")
        .first()
    )
    if page is not None:
        keys.append(page.translation_key)
    translations = {
        found.translation_key: found
        for found in Page.objects.live().filter(translation_key__in=keys, locale=locale)
    }
    if page is not None and page.translation_key in translations:
        found = translations[page.translation_key].get_url()
        if found:
            return urlunsplit(("", "", found, parts.query, parts.fragment))
    if root.translation_key not in translations:
        return prefixed
    return url
