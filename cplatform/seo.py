"""sitemap.xml and robots.txt.

The sitemap lists every live, public Wagtail page of every locale (each with `hreflang` alternates to
its translations), plus the Django views that `cplatform/urls.py` registers (the teacher directory and
the listed teachers' profiles) in every language. Every URL is absolute on the Wagtail Site that
answers the request, the same root `Page.get_full_url` uses for canonical and hreflang links.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import reduce
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page, Site

# Paths no crawler has business in (the admins, the JSON API, the headless auth API, sign-in pages).
ROBOTS_DISALLOW = ["/admin/", "/django-admin/", "/api/", "/_allauth/", "/auth/"]


def site_root_url(request) -> str:
    """The root URL of the Wagtail Site serving this request (the default site otherwise)."""
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return request.build_absolute_uri("/").rstrip("/")
    return site.root_url


class PageSitemap(WagtailSitemap):
    """Wagtail's sitemap covers the descendants of the site's root page only; with wagtail-localize
    each language has its own root (the translated home page), so this walks every translation of
    the root. Translations are listed as `xhtml:link` alternates of each other (plus `x-default`,
    the default language's page)."""

    def items(self):
        root = self.get_wagtail_site().root_page
        within_site = reduce(
            operator.or_,
            (
                Page.objects.descendant_of_q(translated_root, inclusive=True)
                for translated_root in root.get_translations(inclusive=True)
            ),
        )
        return (
            Page.objects.live()
            .public()
            .filter(within_site)
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        locations = {p.pk: p.get_full_url(self.request) for p in pages}
        by_key = defaultdict(list)
        for p in pages:
            if locations[p.pk]:
                by_key[p.translation_key].append(p)
        urls, last_mods = [], set()
        for p in pages:
            if not locations[p.pk]:
                continue  # not routable (e.g. outside every site)
            for info in p.get_sitemap_urls(self.request):
                translations = by_key[p.translation_key]
                if len(translations) > 1:
                    info["alternates"] = [
                        {"lang_code": t.locale.language_code, "location": locations[t.pk]}
                        for t in translations
                    ] + [
                        {"lang_code": "x-default", "location": locations[t.pk]}
                        for t in translations
                        if t.locale.language_code == settings.LANGUAGE_CODE
                    ]
                urls.append(info)
                last_mods.add(info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


class ViewSitemap(DjangoSitemap):
    """Django views in every language (`/teachers/`, `/es/teachers/`), with hreflang alternates.

    `items` returns objects; `url_name` and `args(item)` make their URL; `lastmod(item)` is optional."""

    i18n = True
    alternates = True
    x_default = True

    def __init__(
        self,
        url_name: str,
        *,
        items: Callable[[], Iterable] | None = None,
        args: Callable[[object], list] | None = None,
        lastmod: Callable[[object], object] | None = None,
    ):
        self.url_name = url_name
        self._items_func = items or (lambda: [None])
        self._args = args or (lambda item: [])
        self._lastmod = lastmod

    def items(self):
        return list(self._items_func())

    def location(self, item):
        return reverse(self.url_name, args=self._args(item))

    def lastmod(self, item):
        return self._lastmod(item) if self._lastmod else None


@require_GET
def sitemap(request, sitemaps: dict) -> TemplateResponse:
    """Like django.contrib.sitemaps.views.sitemap, but on the Wagtail Site's root URL rather than the
    django.contrib.sites row (which only names the site in emails). `?p=` pages a sitemap past
    50,000 URLs; a bad page is a 404, as Django's view answers."""
    root = urlsplit(site_root_url(request))
    site = SimpleNamespace(domain=root.netloc)
    urls = []
    for section in sitemaps.values():
        instance = section(request) if isinstance(section, type) else section
        try:
            urls.extend(
                instance.get_urls(page=request.GET.get("p", 1), site=site, protocol=root.scheme)
            )
        except (EmptyPage, PageNotAnInteger) as exc:
            raise Http404("No such sitemap page") from exc
    return TemplateResponse(
        request, "sitemap.xml", {"urlset": urls}, content_type="application/xml"
    )


@require_GET
def robots_txt(request) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {site_root_url(request)}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
