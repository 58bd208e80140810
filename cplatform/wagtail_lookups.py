"""Wagtail's per-request lookups, cached: the Site of the request's host, the Locale of the active
language, whether any page has a view restriction, and the page a path routes to. Wagtail queries
each of them on every page served (the site and locale to route, the restrictions to check privacy:
four of a course page's twelve queries and about a tenth of its time; then one or two queries per
level of the page tree to walk the path: four of the seven a course page had left, and a third of
its time), although they change only when an editor edits a site, a locale, a page or a privacy
setting. Each answer lives in the cache until one of those saves or deletes drops it (`connect`),
now and again at commit, so a request that read the old rows in between does not keep them.

`install` puts the cached lookups in place of Wagtail's `Site._find_for_request` (which
`Site.find_for_request` calls once a request), `Locale.get_active` and `Page.route_for_request`;
their answers are what Wagtail's own would be, as the tests in tests/test_wagtail_lookups.py check.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.url_routing import RouteResult

SITES_KEY = "wagtail-lookups:sites"
LOCALES_KEY = "wagtail-lookups:locales"
RESTRICTIONS_KEY = "wagtail-lookups:view-restrictions"
# The routes are kept under a version (one entry per site, language and path), which a change drops.
ROUTES_VERSION_KEY = "wagtail-lookups:routes-version"
TIMEOUT = 60 * 60  # a safety net; saves and deletes drop the entries at once
_NO_SITE = "-"  # a host that no site answers (Wagtail answers None)


def _drop(*keys: str) -> None:
    cache.delete_many(list(keys))


def _changed(*keys: str) -> None:
    _drop(*keys)
    transaction.on_commit(lambda: _drop(*keys))


def find_site_for_request(request):
    """Wagtail's `Site._find_for_request` (the site of the request's host and port, or None),
    remembered per host and port. The site comes with its root page, as Wagtail loads it."""
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    sites = cache.get(SITES_KEY) or {}
    entry = f"{hostname}:{port}"
    site = sites.get(entry)
    if site is None:
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            site = _NO_SITE
        cache.set(SITES_KEY, {**sites, entry: site}, TIMEOUT)
    return None if site == _NO_SITE else site


def active_locale(cls=None):
    """Wagtail's `Locale.get_active`: the locale of the active language (else the default locale),
    remembered per language."""
    from wagtail.models import Locale

    language = translation.get_language()
    locales = cache.get(LOCALES_KEY) or {}
    locale = locales.get(language)
    if locale is None:
        try:
            locale = Locale.objects.get_for_language(language)
        except (Locale.DoesNotExist, LookupError):
            locale = Locale.get_default()
        cache.set(LOCALES_KEY, {**locales, language: locale}, TIMEOUT)
    return locale


def any_view_restriction() -> bool:
    """Whether any page has a view restriction (privacy: password, login, groups)."""
    found = cache.get(RESTRICTIONS_KEY)
    if found is None:
        from wagtail.models import PageViewRestriction

        found = PageViewRestriction.objects.exists()
        cache.set(RESTRICTIONS_KEY, found, TIMEOUT)
    return found


def _routes_version() -> str:
    version = cache.get(ROUTES_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex[:12]
        if not cache.add(ROUTES_VERSION_KEY, version, None):
            version = cache.get(ROUTES_VERSION_KEY) or version
    return version


def route_for_request(request, path: str):
    """Wagtail's `Page.route_for_request`: the (specific page, args, kwargs) that `path` routes to on
    the request's site in the active language, or None. A route to a page itself (no args: not a
    routable page's sub-view, nor the catalog's redirect to an untranslated course) is remembered
    per site, language and path, with the page's ancestors as routing loaded them; every request
    gets its own copy (the cache stores it pickled). Unknown paths are not remembered."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    from wagtail.models import Site

    result = None
    site = Site.find_for_request(request)
    if site is not None:
        components = [component for component in path.split("/") if component]
        digest = hashlib.md5("/".join(components).encode(), usedforsecurity=False).hexdigest()
        language = translation.get_language() or ""
        key = f"wagtail-lookups:route:{_routes_version()}:{site.pk}:{language}:{digest}"
        page = cache.get(key)
        if page is not None:
            result = RouteResult(page)
        else:
            try:
                result = site.root_page.localized.specific.route(request, components)
            except Http404:
                result = None
            if result is not None and not result.args and not result.kwargs:
                cache.set(key, result.page, TIMEOUT)
    request._wagtail_route_for_request = result
    return result


def _site_changed(**kwargs) -> None:
    _changed(SITES_KEY, ROUTES_VERSION_KEY)


def _page_changed(sender, instance=None, **kwargs) -> None:
    """A site's root page is cached with the site, and every route with its pages: any page saved,
    deleted, unpublished or moved drops the sites and the routes (a few queries for the next
    requests; pages are saved far less often than served)."""
    from wagtail.models import Page

    if isinstance(instance, Page):
        _changed(SITES_KEY, ROUTES_VERSION_KEY)


def _locale_changed(**kwargs) -> None:
    _changed(LOCALES_KEY, SITES_KEY, ROUTES_VERSION_KEY)


def _restriction_changed(**kwargs) -> None:
    _changed(RESTRICTIONS_KEY)


def connect() -> None:
    from wagtail.models import Locale, PageViewRestriction, Site
    from wagtail.signals import page_unpublished, post_page_move

    for signal in (post_save, post_delete):
        signal.connect(_site_changed, sender=Site, dispatch_uid=f"lookups-site-{id(signal)}")
        signal.connect(_locale_changed, sender=Locale, dispatch_uid=f"lookups-locale-{id(signal)}")
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"lookups-restriction-{id(signal)}",
        )
        signal.connect(_page_changed, dispatch_uid=f"lookups-page-{id(signal)}")
    for signal in (page_unpublished, post_page_move):
        signal.connect(_page_changed, dispatch_uid=f"lookups-page-{id(signal)}")


def install() -> None:
    from wagtail.models import Locale, Page, Site

    Site._find_for_request = staticmethod(find_site_for_request)
    Locale.get_active = classmethod(active_locale)
    Page.route_for_request = staticmethod(route_for_request)
    connect()
