"""Template tags of the site chrome: the SEO head, menus, the language switcher and cache versions.

{% capture as block_title %}{% block title %}{% endblock %}{% endcapture %}
{% seo_context as seo %}            title, description, canonical, hreflang, OpenGraph, JSON-LD
{% site_menu "main" as menu %}      menu.links (url, text) and menu.text, cached per language
{% language_links as languages %}   (code, url) of the other languages for the switcher
{% site_cache_version as v %}       bumped by home.signals whenever cached output may be stale
"""

from __future__ import annotations

import html
import uuid

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cplatform.html import json_ld_script_tag
from cplatform.pages import SHARE_IMAGE_SPEC, absolute_media_url
from home import cache as site_cache
from home.selectors import menu_links, menu_links_for_preview

register = template.Library()


# --- {% capture as name %}…{% endcapture %} -------------------------------------------------------


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Text only: tags stripped, entities decoded; autoescaping applies again where it is output.
        text = html.unescape(strip_tags(self.nodelist.render(context)))
        context[self.name] = " ".join(text.split())
        return ""


@register.tag
def capture(parser, token):
    """Render the enclosed template (blocks included, so child templates can fill it) into a text
    variable instead of the output: base.html reads its `title` block once and uses it three times."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


# --- the site and its settings, cached -----------------------------------------------------------


def _site_info(request) -> dict | None:
    """pk, root_url and site_name of the request's Wagtail Site. Wagtail pages have looked it up
    already; other views would query for it on every request, so it is cached per host."""
    if request is None:
        return None
    site = getattr(request, "_wagtail_site", None)
    if site is None:
        key = f"site-info:{request.get_host()}:{site_cache.version()}"
        info = cache.get(key)
        if info is not None:
            return info
        site = Site.find_for_request(request)
        info = _info(site)
        cache.set(key, info, site_cache.TIMEOUT)
        return info
    return _info(site)


def _info(site: Site | None) -> dict | None:
    if site is None:
        return None
    return {
        "pk": site.pk,
        "root_url": site.root_url,
        "site_name": site.site_name or settings.WAGTAIL_SITE_NAME,
    }


def _root_url(site: dict | None) -> str:
    return site["root_url"] if site else settings.SITE_URL.rstrip("/")


def _rendition(image, request, spec: str = SHARE_IMAGE_SPEC) -> dict | None:
    if image is None:
        return None
    rendition = image.get_rendition(spec)
    return {
        "url": absolute_media_url(rendition.url, request=request),
        "width": rendition.width,
        "height": rendition.height,
        # An ImageBlock's image carries the block's alt text; a chosen image its default one.
        "alt": getattr(image, "contextual_alt_text", None)
        or getattr(image, "default_alt_text", None)
        or image.title,
    }


def organization_data(site_settings, site: dict | None, request) -> dict:
    """schema.org Organization from the SiteSettings: name, url, logo, contact and social profiles."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": site["site_name"] if site else settings.WAGTAIL_SITE_NAME,
        "url": _root_url(site) + "/",
    }
    if site_settings is None:
        return data
    if site_settings.logo_id:
        data["logo"] = _rendition(site_settings.logo, request, "max-512x512")["url"]
    if site_settings.contact_email:
        data["email"] = site_settings.contact_email
    if site_settings.contact_phone:
        data["telephone"] = site_settings.contact_phone
    if site_settings.address:
        data["address"] = " ".join(site_settings.address.split())
    if site_settings.social_links:
        data["sameAs"] = [url for _name, url in site_settings.social_links]
    return data


def _site_head(request, site: dict | None) -> dict:
    """The head's site-wide part (Organization JSON-LD, X handle, default share image), cached per
    site until the settings, an image or a page change: no query on a cache hit."""
    # "site-head-ld": the entry holds the Organization data itself, no longer JSON text.
    key = f"site-head-ld:{site['pk'] if site else 0}:{site_cache.version()}"
    head = cache.get(key)
    if head is None:
        from home.models import SiteSettings

        # for_request: the same object the `settings` context processor gives the templates
        site_settings = SiteSettings.for_request(request) if request is not None else None
        head = {
            "organization": organization_data(site_settings, site, request),
            "x_handle": site_settings.x_handle if site_settings else "",
            "default_image": _rendition(site_settings.default_share_image, request)
            if site_settings and site_settings.default_share_image_id
            else None,
        }
        cache.set(key, head, site_cache.TIMEOUT)
    return head


# --- the SEO head ---------------------------------------------------------------------------------


def _wagtail_page(context) -> Page | None:
    """The Wagtail page being served or previewed; other views put other things in `page`
    (the teacher directory's paginator page)."""
    page = context.get("page")
    return page if isinstance(page, Page) else None


def _view_alternates(request, site: dict | None) -> list[tuple[str, str]]:
    """hreflang alternates of a Django view: the same path in every site language."""
    root = _root_url(site)
    return sorted(
        (code, root + translate_url(request.path, code)) for code, _name in settings.LANGUAGES
    )


def _page_cache_key(kind: str, page: Page, request, site: dict | None) -> str | None:
    """The cache key of what `kind` derives from a live page alone, or None when it must be built
    every time: previews (unsaved content under a saved page's id). The content version moves
    when a page is published, moved or deleted, an image, a blog author, category or tag changes
    (home/signals.py), which covers everything a head or a language link shows (but a course page's
    JSON-LD: see _page_head)."""
    if request is None or page.pk is None or getattr(request, "is_preview", False):
        return None
    return (
        f"page-{kind}:{page.pk}:{page.cache_key}:{site['pk'] if site else 0}:{request.get_host()}:"
        f"{get_language() or settings.LANGUAGE_CODE}:{site_cache.version(site_cache.CONTENT)}"
    )


def _page_head(page: Page, request, site: dict | None) -> dict:
    """The head's page part (title, description, canonical, hreflang, share image, JSON-LD), cached
    per page state, site, host, language and content version: the translations, the share image's
    rendition and the JSON-LD (a post's author, tags, word count) cost a third of a post's
    rendering and half its queries."""
    key = _page_cache_key("head", page, request, site)
    found = cache.get(key) if key else None
    if found is None:
        found = _page_head_built(page, request)
        if key:
            cache.set(key, found, site_cache.TIMEOUT)
    if found["json_ld"] is None:  # a page with `cache_head = False`: its JSON-LD is built each time
        found = {**found, "json_ld": _json_ld(page, request)}
    return found


def _json_ld(page: Page, request) -> str:
    return page.json_ld_script(request) if hasattr(page, "json_ld_script") else ""


def _page_head_built(page: Page, request) -> dict:
    image = page.get_share_image() if hasattr(page, "get_share_image") else None
    return {
        "title": page.get_meta_title()
        if hasattr(page, "get_meta_title")
        else page.seo_title or page.title,
        "description": page.get_meta_description()
        if hasattr(page, "get_meta_description")
        else page.search_description,
        "canonical": page.get_canonical_url(request)
        if hasattr(page, "get_canonical_url")
        else page.get_full_url(request),
        "alternates": page.get_translations_for_hreflang(request)
        if hasattr(page, "get_translations_for_hreflang")
        else [],
        "image": _rendition(image, request),
        "json_ld": _json_ld(page, request) if getattr(page, "cache_head", True) else None,
        "og_type": getattr(page, "og_type", "website"),
    }


@register.simple_tag(takes_context=True)
def seo_context(context) -> dict:
    """Everything the head needs, for a Wagtail page (its SeoPageMixin methods, where it has them) or
    any other view (the `title` / `meta_description` blocks captured by base.html)."""
    request = context.get("request")
    page = _wagtail_page(context)
    site = _site_info(request)
    head = _site_head(request, site)
    block_title = context.get("block_title", "")
    block_description = context.get("block_description", "")
    default_description = _(
        "Find a teacher, book lessons and follow courses, in English and Spanish."
    )

    if page is not None:
        found = _page_head(page, request, site)
        title = block_title or found["title"]
        description = block_description or found["description"]
        canonical, alternates = found["canonical"], found["alternates"]
        image, json_ld, og_type = found["image"], found["json_ld"], found["og_type"]
    else:
        title = block_title
        description = block_description
        canonical = _root_url(site) + request.path if request is not None else ""
        alternates = _view_alternates(request, site) if request is not None else []
        image, json_ld, og_type = None, "", "website"

    site_name = site["site_name"] if site else settings.WAGTAIL_SITE_NAME
    image = image or head["default_image"]
    x_default = next((url for code, url in alternates if code == settings.LANGUAGE_CODE), "")
    return {
        "title": title or site_name,
        "full_title": f"{title} · {site_name}" if title and title != site_name else site_name,
        "description": description or default_description,
        "canonical": canonical,
        "alternates": alternates if len(alternates) > 1 else [],
        "x_default": x_default if len(alternates) > 1 else "",
        "og_type": og_type,
        "og_locale": (get_language() or settings.LANGUAGE_CODE).replace("-", "_"),
        "image": image,
        "site_name": site_name,
        "x_handle": head["x_handle"],
        "organization_json_ld": json_ld_script_tag(head["organization"]),
        "json_ld": json_ld,
    }


# --- menus ---------------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def site_menu(context, slot: str) -> dict | None:
    """The menu's links in the active language, cached until a menu, page or setting changes:
    no query at all on a cache hit, three on a miss. None when no menu has been made. In the
    admin's preview of a menu (`preview_menu` in the context) that menu as edited, not cached."""
    language = get_language() or settings.LANGUAGE_CODE
    preview = context.get("preview_menu")
    if preview is not None and preview.slot == slot:
        links, text = menu_links_for_preview(menu=preview, language=language)
        return {"links": links, "text": text}
    key = f"menu:{slot}:{language}:{site_cache.version()}"
    cached = cache.get(key)
    if cached is None:
        found = menu_links(slot=slot, language=language)
        cached = {"links": found[0], "text": found[1]} if found else {"links": None, "text": ""}
        cache.set(key, cached, site_cache.TIMEOUT)
    return cached if cached["links"] is not None else None


@register.simple_tag(takes_context=True)
def site_cache_version(context, scope: str = site_cache.CHROME) -> str:
    if context.get("preview_menu") is not None:
        # A menu's preview must not read (nor be read from) the cached header and footer.
        return f"preview-{uuid.uuid4().hex}"
    return site_cache.version(scope)


# --- the language switcher -----------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per other site language: the page's translation when it is live, else that language's
    home page; for other views the same path in that language (`translate_url`)."""
    request = context.get("request")
    current = get_language() or settings.LANGUAGE_CODE
    page = _wagtail_page(context)
    key = None
    if page is not None and request is not None:
        key = _page_cache_key("languages", page, request, _site_info(request))
        found = cache.get(key) if key else None
        if found is not None:
            return found
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        url = None
        if page is not None and page.pk:
            url = _translated_page_url(page, code, request)
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "url": url or "/"})
    if key:
        cache.set(key, links, site_cache.TIMEOUT)
    return links


def _translated_page_url(page: Page, code: str, request) -> str | None:
    """The live translation of `page` in `code`, else that language's home page (the translation of
    the site's root page), in one query for both (what `page.get_translation_or_none(locale)` and
    `site.root_page.get_translation_or_none(locale)` would find, drafts left out)."""
    site = Site.find_for_request(request) if request is not None else None
    keys = [page.translation_key]
    if site is not None:
        keys.append(site.root_page.translation_key)
    found = {
        p.translation_key: p
        for p in Page.objects.filter(
            translation_key__in=keys, locale__language_code=code, live=True
        ).only("id", "path", "depth", "url_path", "translation_key", "locale_id")
    }
    for key in keys:
        if key in found:
            return found[key].get_url(request)
    return translate_url("/", code)


@register.simple_tag(takes_context=True)
def current_site(context) -> dict | None:
    """pk, root_url and site_name of the request's Wagtail Site (cached)."""
    return _site_info(context.get("request"))
