"""The SEO tab's editor aids: length counters on the SEO title and search description, and a preview
of the page as a search result and as a share card that follows what the editor types.

Wagtail 8 has neither (its checks panel counts words and reading time; `w-count` counts errors), so
a small Stimulus script (static/js/admin/seo-tab.js) does both; the lengths are advice, not limits.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.admin.widgets import AdminAutoHeightTextInput
from wagtail.images.models import SourceImageIOError

from .summaries import DESCRIPTION_LENGTH, TITLE_LENGTH, shorten

PREVIEW_IMAGE_SPEC = "fill-600x315"  # the share card's shape (1200 × 630) at half size


class SeoTabMedia:
    js = ["js/admin/seo-tab.js"]
    css = {"all": ["css/admin/seo-tab.css"]}


def _length_attrs(recommended: int) -> dict:
    # Lazy texts: rendered in the editor's language when the form is shown. The script replaces
    # "{count}" with the characters typed and "{recommended}" with the recommended length.
    return {
        "data-controller": "cp-length",
        "data-cp-length-recommended-value": str(recommended),
        "data-cp-length-text-value": _("{count} characters"),
        "data-cp-length-advice-value": _("about {recommended} show in search results"),
        "data-cp-length-over-value": _("longer than search results usually show"),
    }


class LengthCountedInput(forms.TextInput):
    """A one-line text input with a character counter and a recommended length (advice only)."""

    def __init__(self, recommended: int, attrs=None):
        self.recommended = recommended
        super().__init__({**_length_attrs(recommended), **(attrs or {})})

    Media = SeoTabMedia


class LengthCountedTextarea(AdminAutoHeightTextInput):
    """Wagtail's growing text area with a character counter and a recommended length (advice)."""

    def __init__(self, recommended: int, attrs=None):
        self.recommended = recommended
        attrs = {**_length_attrs(recommended), **(attrs or {})}
        attrs["data-controller"] = "w-autosize cp-length"
        super().__init__(attrs)

    Media = SeoTabMedia


def seo_title_widget() -> LengthCountedInput:
    return LengthCountedInput(TITLE_LENGTH)


def search_description_widget() -> LengthCountedTextarea:
    return LengthCountedTextarea(DESCRIPTION_LENGTH)


class SearchPreviewPanel(Panel):
    """How the page will look in a search result and when shared, updated as the editor types."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cplatform/panels/search_preview.html"

        @property
        def media(self):
            return forms.Media(js=SeoTabMedia.js, css=SeoTabMedia.css)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            base_url, slug_in_url = self._base_url(page)
            automatic = self._automatic_description(page)
            # What the head will use (a page type may add its own stand-in, e.g. a course's
            # cover), and what stands in once the editor clears the share image.
            image = self._rendition(page.get_share_image())
            fallback = self._rendition(self._content_image(page))
            if fallback is None and not page.share_image_id:
                fallback = image
            url = f"{base_url}{page.slug}/" if slug_in_url and page.slug else base_url
            context.update(
                base_url=base_url,
                slug_in_url=slug_in_url,
                url=url,
                domain=urlsplit(base_url).netloc,
                page_title=page.title or "",
                title=shorten(page.seo_title or page.title or "", TITLE_LENGTH),
                description=shorten(page.search_description or automatic),
                automatic_description=automatic,
                page_has_description=bool(page.search_description),
                fallback_image=fallback,
                image=image,
                title_length=TITLE_LENGTH,
                description_length=DESCRIPTION_LENGTH,
            )
            return context

        def _parent(self, page):
            parent = getattr(self.form, "parent_page", None)
            if parent is None and page.pk:
                parent = page.get_parent()
            return parent

        def _base_url(self, page) -> tuple[str, bool]:
            """The address the slug is added to, and whether it is: the parent's address in the
            page's own language (a Spanish page's parent is under /es/); a site's home page is
            the site's root itself."""
            parent = self._parent(page)
            url = parent.get_full_url(self.request) if parent is not None else None
            if url:
                return (url if url.endswith("/") else f"{url}/"), True
            return ((page.get_full_url(self.request) if page.pk else "") or ""), False

        def _automatic_description(self, page) -> str:
            describe = getattr(page, "get_automatic_description", None)
            return describe() if describe else ""

        def _content_image(self, page):
            """The page's own picture (hero or first image), which stands in for a share image."""
            content_image = getattr(page, "get_content_image", None)
            return content_image() if content_image else None

        def _rendition(self, image):
            """The card's picture; None when the image's file is missing (the edit screen must
            still open: the chooser shows the problem)."""
            if image is None:
                return None
            try:
                return image.get_rendition(PREVIEW_IMAGE_SPEC)
            except SourceImageIOError:
                return None
