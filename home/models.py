"""The site's front pages and what every public page shows around its content: the home page (one per
locale), campaign landing pages, testimonials, menus and the site settings (logo, contact, social links).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from classroom.blocks import TeacherListBlock
from courses.blocks import CourseListBlock
from cplatform.blocks import (
    CallToActionBlock,
    HeroBlock,
    SignUpBlock,
    TestimonialBlock,
)
from cplatform.pages import SeoPageMixin, first_stream_image
from cplatform.summaries import as_sentences
from cplatform.validators import validate_multiline_text, validate_single_line

from .blocks import BodyStreamBlock
from .panels import NamedInlinePanel


def _stream_text(stream) -> str:
    """The plain text of a StreamField's headings, texts and rich text, for summaries: each heading,
    paragraph and list item a sentence of its own (no heading runs into the next sentence)."""
    parts = []
    for block in stream or []:
        value = block.value
        if block.block_type == "rich_text":
            parts.append(str(value))
        elif hasattr(value, "get"):
            parts.extend(str(value.get(key) or "") for key in ("heading", "text"))
    return as_sentences(parts)


class HomePage(SeoPageMixin):
    """The site's front page, one per locale (the Spanish one is a translation of the English one):
    a hero, featured courses and teachers, testimonials, calls to action and a free body of blocks."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A short welcome under the title, used when there is no hero."),
        validators=[validate_multiline_text],
    )
    hero = StreamField(
        [("hero", HeroBlock())],
        blank=True,
        max_num=1,
        help_text=_("The big headline at the top; it replaces the title and welcome text."),
    )
    featured_teachers = StreamField(
        [("teacher_list", TeacherListBlock())],
        blank=True,
        max_num=1,
        help_text=_("Teachers to feature: chosen by hand or picked from the directory."),
    )
    featured_courses = StreamField(
        [("course_list", CourseListBlock())],
        blank=True,
        max_num=1,
        help_text=_("Courses to feature, by subject, level or teacher."),
    )
    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        help_text=_("Any further sections, built from blocks."),
    )
    testimonials = StreamField(
        [("testimonials", TestimonialBlock())],
        blank=True,
        max_num=1,
        help_text=_("Quotes from students, parents or teachers (Snippets › Testimonials)."),
    )
    calls_to_action = StreamField(
        [("call_to_action", CallToActionBlock()), ("sign_up", SignUpBlock())],
        blank=True,
        max_num=4,
        help_text=_("Closing invitations: a button to a page, or to sign up with a role."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero"),
        FieldPanel("intro"),
        FieldPanel("featured_teachers"),
        FieldPanel("featured_courses"),
        FieldPanel("body"),
        FieldPanel("testimonials"),
        FieldPanel("calls_to_action"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("hero"),
        index.SearchField("body"),
    ]

    max_count_per_parent = 1  # one per locale: the others are its translations
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.LandingPage", "blog.BlogIndexPage", "faq.FAQPage"]

    class Meta:
        verbose_name = _("home page")

    def summary_text(self) -> str:
        return as_sentences([str(self.intro)]) or _stream_text(self.hero) or _stream_text(self.body)

    def get_content_image(self):
        return first_stream_image(self.hero, self.body)

    def get_json_ld(self, request=None) -> list[dict]:
        return [
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": self.get_meta_title(),
                "url": self.get_canonical_url(request),
                "inLanguage": self.locale.language_code,
            }
        ]


class LandingPage(SeoPageMixin):
    """A campaign page built only from blocks, under a home page."""

    body = StreamField(
        BodyStreamBlock(),
        help_text=_("Start with a hero block: its headline becomes the page's main heading."),
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("landing page")

    def summary_text(self) -> str:
        return _stream_text(self.body)

    def get_content_image(self):
        return first_stream_image(self.body)

    @property
    def starts_with_hero(self) -> bool:
        return bool(self.body) and self.body[0].block_type == "hero"


class Testimonial(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    models.Model,
):
    """A quote from a student, parent or teacher, shown by testimonial blocks; translatable. Edits are
    drafts until published (by a Moderator, through the Marketing review): the site shows the live
    version only."""

    quote = models.TextField(
        max_length=600,
        help_text=_("Their words, without quotation marks."),
        validators=[validate_multiline_text],
    )
    name = models.CharField(
        max_length=100,
        help_text=_("As they agreed to be named."),
        validators=[validate_single_line],
    )
    role = models.CharField(
        max_length=100,
        blank=True,
        help_text=_('Who they are, e.g. "Parent of a piano student".'),
        validators=[validate_single_line],
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional, square works best."),
    )

    panels = [FieldPanel("quote"), FieldPanel("name"), FieldPanel("role"), FieldPanel("photo")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("testimonial")
        ordering = ["name", "pk"]

    def __str__(self):
        # The whole name, as chooser, listing and history show it: "María López — Parent of …".
        return f"{self.name} — {self.role}" if self.role else self.name

    def get_preview_template(self, request, mode_name):
        return "home/previews/testimonial.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["testimonials"] = [self]
        context["preview_block"] = {"heading": _("What people say")}
        return context


class Menu(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    ClusterableModel,
):
    """The links of the header (main) or footer menu in one language; translated with the site.
    Edits are drafts until published (by a Moderator, through the Marketing review): the site shows
    the live version only."""

    class Slot(models.TextChoices):
        MAIN = "main", _("Main menu (header)")
        FOOTER = "footer", _("Footer menu")

    slot = models.CharField(
        _("where it shows"), max_length=16, choices=Slot.choices, default=Slot.MAIN
    )
    text = models.TextField(
        blank=True,
        max_length=400,
        help_text=_("Footer menu only: the short text under the logo."),
        validators=[validate_multiline_text],
    )

    panels = [
        FieldPanel("slot"),
        FieldPanel("text"),
        NamedInlinePanel("items", label=_("Link"), heading=_("Links")),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("menu")
        constraints = [
            models.UniqueConstraint(fields=["slot", "locale"], name="one_menu_per_slot_and_locale")
        ]

    def __str__(self):
        # "Main menu (header) — English": words, in listings, choosers and history.
        return f"{self.get_slot_display()} — {self.locale.get_display_name()}"

    def get_preview_template(self, request, mode_name):
        return "home/previews/menu.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        # The header / footer read this (unsaved) menu instead of the live one.
        context["preview_menu"] = self
        return context

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        clash = Menu.objects.filter(slot=self.slot, locale_id=self.locale_id).exclude(pk=self.pk)
        if self.locale_id and clash.exists():
            raise ValidationError({"slot": _("This language already has this menu.")})


relative_or_absolute_url = RegexValidator(
    r"^(/|https?://|mailto:|tel:)",
    _("Start with / for an address on this site, or with https://, mailto: or tel:."),
)


class MenuItem(TranslatableMixin, Orderable):
    """One link of a menu: a page of the site (its title by default) or an address."""

    menu = ParentalKey(Menu, on_delete=models.CASCADE, related_name="items")
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A page of this site…"),
    )
    link_url = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        validators=[relative_or_absolute_url, validate_single_line],
        help_text=_("…or an address such as /teachers/ or https://… (not both)."),
    )
    link_text = models.CharField(
        _("text"),
        max_length=60,
        blank=True,
        help_text=_("The words shown; the page's title if empty."),
        validators=[validate_single_line],
    )

    panels = [FieldPanel("link_page"), FieldPanel("link_url"), FieldPanel("link_text")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order"]
        verbose_name = _("menu link")
        verbose_name_plural = _("menu links")

    def __str__(self):
        # Named by its words ("Teachers"), in inline panel headings, choosers and history.
        if self.link_text:
            return self.link_text
        if self.link_page_id and self.link_page:
            return self.link_page.title
        return self.link_url or str(_("New link"))

    def clean(self):
        super().clean()
        if self.link_page_id and self.link_url:
            raise ValidationError({"link_url": _("Choose a page or enter an address, not both.")})
        if not self.link_page_id and not self.link_url:
            raise ValidationError({"link_page": _("Choose a page or enter an address.")})
        if self.link_url and not self.link_text:
            raise ValidationError({"link_text": _("Give the address a text to show.")})


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the header, footer and search engines show about the organisation running the site."""

    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in the header and footer and given to search engines."),
    )
    default_share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Used when a shared page has no share image of its own (1200 × 630 px)."),
    )
    contact_email = models.EmailField(blank=True, validators=[validate_single_line])
    contact_phone = models.CharField(max_length=40, blank=True, validators=[validate_single_line])
    address = models.TextField(
        blank=True,
        max_length=300,
        help_text=_("Postal address."),
        validators=[validate_multiline_text],
    )
    facebook_url = models.URLField(
        blank=True, verbose_name="Facebook", validators=[validate_single_line]
    )
    instagram_url = models.URLField(
        blank=True, verbose_name="Instagram", validators=[validate_single_line]
    )
    x_url = models.URLField(
        blank=True, verbose_name="X (Twitter)", validators=[validate_single_line]
    )
    youtube_url = models.URLField(
        blank=True, verbose_name="YouTube", validators=[validate_single_line]
    )
    linkedin_url = models.URLField(
        blank=True, verbose_name="LinkedIn", validators=[validate_single_line]
    )
    x_handle = models.CharField(
        max_length=40,
        blank=True,
        validators=[RegexValidator(r"^@\w{1,30}$", _("Like @cplatform.")), validate_single_line],
        help_text=_("For Twitter / X cards, e.g. @cplatform."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("default_share_image")], _("Images")),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("address")],
            _("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("x_url"),
                FieldPanel("youtube_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("x_handle"),
            ],
            _("Social media"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """(network name, URL) of every social profile given."""
        names = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("X", self.x_url),
            ("YouTube", self.youtube_url),
            ("LinkedIn", self.linkedin_url),
        ]
        return [(name, url) for name, url in names if url]
