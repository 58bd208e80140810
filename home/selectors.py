"""Reads for the site chrome (menus, settings) and the blocks' testimonials: each a fixed number of
queries, whatever the number of items. The public site shows live menus and testimonials only: a
row that has never been published is skipped, and a live row holds the published version (Wagtail
keeps drafts of a live snippet in its revisions, not in the row)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import get_language
from wagtail.images import get_image_model
from wagtail.models import Page

from cplatform.i18n_urls import localized_url

from .models import Menu, MenuItem, Testimonial

TESTIMONIAL_PHOTO_SPEC = "fill-96x96"


def testimonial_list_localized(*, testimonials: list[Testimonial]) -> list[Testimonial]:
    """The given testimonials in the active language where translated (else as given), photos with
    their renditions: one query for the translations and one each for photos and renditions."""
    if not testimonials:
        return []
    language = get_language() or settings.LANGUAGE_CODE
    keys = [t.translation_key for t in testimonials]
    photos = Prefetch(
        "photo", queryset=get_image_model().objects.prefetch_renditions(TESTIMONIAL_PHOTO_SPEC)
    )
    translated = {
        t.translation_key: t
        for t in Testimonial.objects.filter(
            translation_key__in=keys, locale__language_code=language, live=True
        ).prefetch_related(photos)
    }
    missing = [t.pk for t in testimonials if t.translation_key not in translated]
    originals = (
        {
            t.pk: t
            for t in Testimonial.objects.filter(pk__in=missing, live=True).prefetch_related(photos)
        }
        if missing
        else {}
    )
    shown = (translated.get(t.translation_key) or originals.get(t.pk) for t in testimonials)
    return [t for t in shown if t is not None]


def testimonial_preview_samples() -> list[Testimonial]:
    """Unsaved testimonials for the block picker's preview."""
    from django.utils.translation import gettext as _

    return [
        Testimonial(
            quote=_("My daughter looks forward to every lesson. Her Spanish has come on so much."),
            name="Ana",
            role=_("Parent"),
        ),
        Testimonial(
            quote=_("Booking is easy and my teacher always comes prepared."),
            name="Tom",
            role=_("Student"),
        ),
    ]


@dataclass(frozen=True)
class MenuLink:
    url: str
    text: str


def menu_links(*, slot: str, language: str) -> tuple[list[MenuLink], str] | None:
    """The links (and the footer text) of the menu in `language`, falling back to the default
    language's menu; None when no menu exists (the templates then show their built-in links).

    Page links point to the page in `language` when it has been translated. Three queries whatever
    the number of links: the menu, its items with their pages, and the pages' translations. Live
    menus only: a draft (or a menu never published) is not shown."""
    menus = list(
        Menu.objects.filter(
            slot=slot, locale__language_code__in={language, settings.LANGUAGE_CODE}, live=True
        ).select_related("locale")
    )
    menu = next((m for m in menus if m.locale.language_code == language), None) or next(
        iter(menus), None
    )
    if menu is None:
        return None
    items = list(
        MenuItem.objects.filter(menu=menu).select_related("link_page").order_by("sort_order")
    )
    return _links(items, language), menu.text


def menu_links_for_preview(*, menu: Menu, language: str) -> tuple[list[MenuLink], str]:
    """The links of a menu as edited (unsaved, its items in memory), for the admin's preview."""
    items = sorted(menu.items.all(), key=lambda item: item.sort_order or 0)
    return _links(items, language), menu.text


def _links(items: list[MenuItem], language: str) -> list[MenuLink]:
    pages = [item.link_page for item in items if item.link_page is not None]
    translated = {}
    if pages:
        for page in Page.objects.filter(
            translation_key__in=[p.translation_key for p in pages],
            locale__language_code=language,
            live=True,
        ).only("id", "title", "url_path", "translation_key", "locale_id", "path", "depth", "live"):
            translated[page.translation_key] = page
    links = []
    for item in items:
        if item.link_page is None:
            links.append(MenuLink(url=localized_url(item.link_url, language), text=item.link_text))
            continue
        page = translated.get(item.link_page.translation_key, item.link_page)
        if not page.live:
            continue
        url = page.get_url()
        if url:
            links.append(MenuLink(url=url, text=item.link_text or page.title))
    return links
