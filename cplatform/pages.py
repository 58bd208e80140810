"""What every public page type shares: SEO and social fields, canonical and hreflang links, JSON-LD.

Each page app's pages inherit `SeoPageMixin` (an abstract Wagtail Page). Templates render the head
with `templates/components/seo_head.html`, which only calls the methods below.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page, Site

from .html import json_ld_script_tag
from .seo_panels import SearchPreviewPanel, search_description_widget, seo_title_widget
from .summaries import automatic_description
from .validators import validate_multiline_text, validate_single_line

# OpenGraph's recommended size; Twitter's summary_large_image takes the same picture.
SHARE_IMAGE_SPEC = "fill-1200x630|jpegquality-80"


class SeoPageMixin(Page):
    """SEO title / description come from Wagtail's promote fields; this adds a share image and the
    helpers the head template uses. Subclasses override `get_json_ld` to add structured data."""

    share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown when the page is shared (OpenGraph / Twitter). 1200 × 630 px works best."
        ),
    )

    # No "Show in menus": the header and footer menus are the Menu snippets (Snippets › Menus),
    # which nothing of Wagtail's `show_in_menus` flag changes, so offering it would mislead.
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel(
                    "seo_title",
                    widget=seo_title_widget(),
                    help_text=_(
                        "The clickable title in search results; leave it empty to use the page's "
                        "title."
                    ),
                ),
                FieldPanel(
                    "search_description",
                    widget=search_description_widget(),
                    help_text=_(
                        "The text under the title in search results and share cards; leave it "
                        "empty to have it written from the page's text."
                    ),
                ),
                FieldPanel(
                    "share_image",
                    help_text=_(
                        "Shown when the page is shared; 1200 × 630 px works best. Without one, the "
                        "page's hero picture (or its first picture) is used, then the site's default."
                    ),
                ),
            ],
            heading=_("For search engines and sharing"),
        ),
        SearchPreviewPanel(heading=_("How the page appears in search results and when shared")),
    ]

    # The head template caches what these methods return per page state and content version
    # (home/templatetags/site_tags.py); a page whose JSON-LD shows data that changes without a
    # publish or a content-version signal sets this to False (its JSON-LD is then built each time).
    cache_head = True

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """Wagtail's, without its two queries while no page has a view restriction at all (the
        usual case: privacy is a rare setting); `wagtail_lookups` remembers whether one exists."""
        from wagtail.models import PageViewRestriction

        from .wagtail_lookups import any_view_restriction

        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def clean(self):
        """Wagtail's own text fields follow our text rule too (their models are not ours to give
        validators): a title or an SEO title on one line, a description without control characters.
        The admin's page form shows these as field errors; a save around it (Page.save runs
        full_clean) refuses them as well."""
        super().clean()
        errors = {}
        for name, multiline in (
            ("title", False),
            ("seo_title", False),
            ("search_description", True),
        ):
            try:
                (validate_multiline_text if multiline else validate_single_line)(
                    getattr(self, name)
                )
            except ValidationError as exc:
                errors[name] = exc.messages
        if errors:
            raise ValidationError(errors)

    # --- what the head template asks ---------------------------------------------------------

    def get_meta_title(self) -> str:
        return self.seo_title or self.title

    def get_meta_description(self) -> str:
        """The editor's description, else the automatic one: the page's text (subclasses provide
        `summary_text`, HTML or plain) as sentences, cut at a word within DESCRIPTION_LENGTH."""
        if self.search_description:
            return self.search_description
        return self.get_automatic_description()

    def get_automatic_description(self) -> str:
        """What the description is while the editor leaves it empty (also shown on the SEO tab)."""
        return automatic_description(self.summary_text()) if hasattr(self, "summary_text") else ""

    def get_share_image(self):
        """The share image, else the page's own picture (`get_content_image`); the head falls back
        to the site's default image after that."""
        if self.share_image_id:
            return self.share_image
        return self.get_content_image()

    def get_content_image(self):
        """The picture that stands for the page when it has no share image; pages with a hero
        StreamField override this with `first_stream_image`."""
        return None

    def get_translations_for_hreflang(self, request=None) -> list[tuple[str, str]]:
        """(language code, absolute URL) of every live translation of this page, itself included."""
        alternates = []
        for page in self.get_translations(inclusive=True).live().select_related("locale"):
            url = page.get_full_url(request)
            if url:
                alternates.append((page.locale.language_code, url))
        return sorted(alternates)

    def get_canonical_url(self, request=None) -> str:
        """The page's one address in its own language (Wagtail's full URL: the Site's host)."""
        return self.get_full_url(request) or ""

    def get_share_image_url(
        self, request=None, spec: str = SHARE_IMAGE_SPEC
    ) -> tuple[str, int, int]:
        """(absolute URL, width, height) of the share image's rendition, or ("", 0, 0) without one."""
        image = self.get_share_image()
        if image is None:
            return "", 0, 0
        rendition = image.get_rendition(spec)
        return absolute_media_url(rendition.url, self, request), rendition.width, rendition.height

    def get_json_ld(self, request=None) -> list[dict]:
        """Structured data objects for this page; subclasses extend the list."""
        return []

    def json_ld_script(self, request=None) -> str:
        data = self.get_json_ld(request)
        if not data:
            return ""
        return json_ld_script_tag(data if len(data) > 1 else data[0])


def first_stream_image(*streams):
    """The image of the first hero block that has one, else of the first block of any kind that
    has one, across `streams` (StreamValues) in order. The blocks are found in the stored data, so
    only the chosen block's type is converted (the page's own rendering reuses it)."""
    candidates = []
    for stream in streams:
        for index, raw in enumerate(stream.raw_data if stream else []):
            value = raw.get("value")
            image = value.get("image") if isinstance(value, dict) else None
            if isinstance(image, dict):  # an ImageBlock: {"image": id, "alt_text": …}
                image = image.get("image")
            if image:
                candidates.append((raw.get("type") != "hero", stream, index))
    for _not_hero, stream, index in sorted(candidates, key=lambda c: c[0]):
        image = stream[index].value.get("image")  # an Image (ImageBlock: with contextual alt text)
        if image is not None:  # None: the image was deleted since
            return image
    return None


def absolute_url(path: str) -> str:
    """A canonical URL for structured data (JSON-LD), on the configured address like the page's own
    (its Site's root): search engines must see one address, whatever host served the page. Links a
    person follows use cplatform.api_http.absolute_url (the address they reached the site at)."""
    return settings.SITE_URL.rstrip("/") + path


def absolute_media_url(url: str, page: Page | None = None, request=None) -> str:
    """A media URL made absolute on the page's Site (storage backends such as S3 already give one)."""
    if url.startswith(("http://", "https://", "//")):
        return url
    site = None
    if request is not None:  # cached on the request: no query after the first
        site = Site.find_for_request(request)
    if site is None and page is not None:
        site = page.get_site()
    return (site.root_url if site is not None else settings.SITE_URL.rstrip("/")) + url
