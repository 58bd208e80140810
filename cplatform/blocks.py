"""StreamField blocks every page app shares (home, landing pages, blog, FAQ).

Each block has an `icon`, a template under `templates/components/blocks/` and a `preview_value` +
`description` for Wagtail's block picker preview (rendered with `components/blocks/preview.html`, which
loads the site's CSS). Blocks that list database rows (teachers, testimonials) fetch them in one query
set from `get_context`, so a page with several list blocks still makes a fixed number of queries.

Only generic blocks live here: `cplatform` imports no feature app, not even inside a function (the
layers contract in pyproject.toml). Blocks that list an app's rows live with that app (courses in
`courses/blocks.py`, teachers in `classroom/blocks.py`, the home body in `home/blocks.py`), except the
testimonial and FAQ excerpt blocks, which course pages use too: they read their rows through
`block_source` (below), and name their models by "app.Model" strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .i18n_urls import localized_url

PREVIEW_TEMPLATE = "components/blocks/preview.html"

# Two of these blocks show rows owned by apps above `cplatform` and `courses` (testimonials live in
# `home`, FAQ questions in `faq`) and are used by course pages as well as by home, landing and blog
# pages; so the blocks stay here and the owning app registers how to read its rows, in its
# AppConfig.ready(): cplatform never imports it. A missing reader is a configuration error.
_BLOCK_SOURCES: dict[str, Callable] = {}


def register_block_source(name: str, reader: Callable) -> None:
    """Make `reader` the way blocks read `name` ("testimonials", "testimonial_samples",
    "faq_excerpt", "faq_samples")."""
    _BLOCK_SOURCES[name] = reader


def block_source(name: str) -> Callable:
    try:
        return _BLOCK_SOURCES[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No reader registered for the {name!r} blocks: is its app installed?"
        ) from None


SAMPLE_TEXT = _(
    "Learn with teachers who know their subject and love to share it: one-to-one lessons, small "
    "groups and courses, online or in person."
)


def _rich_sample() -> str:
    return f"<p>{SAMPLE_TEXT}</p>"


# --- links ---------------------------------------------------------------------------------------

# The named parts of the site a marketing page links to: key -> (label, URL name, query). The key
# is what a LinkBlock stores, so the address follows the route (and the reader's language) rather
# than being typed. Add a part here when a new public route is worth linking to from content.
LINK_SECTIONS: dict[str, tuple] = {
    "teachers": (_("Teacher directory"), "teacher-directory", ""),
    "courses": (_("Course catalog"), "course-catalog", ""),
    "sign-up": (_("Sign up"), "account_signup", ""),
    "sign-up-student": (_("Sign up as a student"), "account_signup", "role=Student"),
    "sign-up-teacher": (_("Sign up as a teacher"), "account_signup", "role=Teacher"),
    "sign-up-parent": (_("Sign up as a parent"), "account_signup", "role=Parent"),
    "log-in": (_("Log in"), "account_login", ""),
    "search": (_("Search"), "search", ""),
}


def link_section_choices() -> list[tuple[str, str]]:
    """The ChoiceBlock's choices, a callable so that migrations name it rather than copy the list."""
    return [(key, label) for key, (label, _name, _query) in LINK_SECTIONS.items()]


def link_section_url(key: str) -> str:
    """The address of the part of the site `key`, in the active language ("" if unknown)."""
    try:
        _label, name, query = LINK_SECTIONS[key]
    except KeyError:
        return ""
    url = reverse(name)
    return f"{url}?{query}" if query else url


def link_section_for_path(path: str) -> str | None:
    """The key of the part of the site at `path` in any language ("/teachers/", "/es/teachers/",
    "/auth/register/?role=Teacher"); None when no part of the site has that address. For turning
    typed addresses (a menu item's, say) into chosen parts."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for key in LINK_SECTIONS:
                if link_section_url(key) == path:
                    return key
    return None


_TEL = re.compile(r"^tel:\+?[0-9][0-9 ()./-]{2,30}$")


def validate_external_url(value: str) -> None:
    """Another website (http/https), an email (mailto:) or a phone number (tel:). An address of
    this site is refused with the way to link to it instead: typed, it breaks when the page moves
    and sends Spanish readers to English pages."""
    if not value:
        return
    if value.startswith("/") or not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
        raise ValidationError(
            _(
                "“%(value)s” is an address on this site: choose it above as a page or a part "
                "of the site instead of typing it."
            ),
            params={"value": value},
            code="internal_address",
        )
    scheme = value.split(":", 1)[0].lower()
    if scheme in ("http", "https"):
        URLValidator(schemes=["http", "https"])(value)
    elif scheme == "mailto":
        EmailValidator(message=_("Enter an email address after “mailto:”."))(
            value[len("mailto:") :].split("?", 1)[0]
        )
    elif scheme == "tel":
        if not _TEL.match(value):
            raise ValidationError(_("Enter a phone number after “tel:”, e.g. tel:+34600000000."))
    else:
        raise ValidationError(
            _("Enter an address starting with https://, http://, mailto: or tel:."),
            code="scheme",
        )


class ExternalURLBlock(blocks.URLBlock):
    """An address outside this site: http(s), mailto: or tel:. A URLBlock for wagtail-localize
    (a translator may give the Spanish page another address), with our own field."""

    def __init__(self, required=False, help_text=None, max_length=500, **kwargs):
        self.field = forms.CharField(
            required=required,
            help_text=help_text,
            max_length=max_length,
            validators=[validate_external_url],
            widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
        )
        blocks.FieldBlock.__init__(self, **kwargs)  # not URLBlock's: it makes a URLField

    def to_python(self, value):
        return (value or "").strip()

    class Meta:
        icon = "link-external"


class LinkValue(blocks.StructValue):
    """A link to a page (in the visitor's language when it has been translated), to a named part
    of the site (in the visitor's language) or to another website."""

    @property
    def href(self) -> str:
        page = self.get("page")
        if page is not None:
            return page.localized.url or ""
        if self.get("section"):
            return link_section_url(self.get("section"))
        # An address typed before links were chosen is still followed in the reader's language.
        return localized_url(self.get("url") or "")

    @property
    def label(self) -> str:
        if self.get("text"):
            return self.get("text")
        page = self.get("page")
        if page is not None:
            return page.localized.title
        section = LINK_SECTIONS.get(self.get("section") or "")
        return str(section[0]) if section else ""


class LinkBlock(blocks.StructBlock):
    """Where a button or link leads: a page, a named part of the site or another website (exactly
    one), with the words to show. Empty is allowed where the link is optional."""

    # Labels carry the "or" and help texts stay short: a hero holds two of these, keep them compact.
    text = blocks.CharBlock(
        required=False,
        max_length=80,
        label=_("Text"),
        help_text=_("Empty: the page's title or the part's name."),
    )
    page = blocks.PageChooserBlock(required=False, label=_("Page"))
    section = blocks.ChoiceBlock(
        choices=link_section_choices, required=False, label=_("Or a part of the site")
    )
    url = ExternalURLBlock(
        required=False,
        label=_("Or another website"),
        help_text=_("https://…, mailto: or tel:"),
    )

    class Meta:
        icon = "link"
        value_class = LinkValue
        form_classname = "link-block"
        label_format = "{text}"

    def __init__(self, *args, required: bool = False, **kwargs):
        self._required = required
        super().__init__(*args, **kwargs)

    @property
    def required(self):
        return self._required

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        chosen = [name for name in ("page", "section", "url") if value.get(name)]
        if len(chosen) > 1:
            errors[chosen[-1]] = ValidationError(
                _("Choose one: a page, a part of the site or another website, not several.")
            )
        elif not chosen and (value.get("text") or self._required):
            errors["page"] = ValidationError(
                _("Choose a page, a part of the site or enter another website's address.")
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


# --- the base of every section block --------------------------------------------------------------


def link_without_words(link) -> bool:
    """True for a link that would render as a button or link with nothing on it: it goes somewhere
    (the template shows it when it has an `href`) but has no words of its own and nothing to fall
    back on (a chosen page lends its title). The one place that says what "a button without text"
    is, so every block that holds a `LinkBlock` refuses the same thing."""
    if not link:
        return False
    if str(link.label or "").strip():
        return False
    return bool(link.href)


BUTTON_WITHOUT_WORDS = _(
    "Write the words on the button: with a web address there is no page title to use."
)


class CheckedStructBlock(blocks.StructBlock):
    """A StructBlock that refuses, with an error on the field concerned, what the accessibility
    checker would flag once the page is live: a button or link without words (any `LinkBlock`
    child). Subclasses add their own checks in `extra_errors()`. These errors come together with
    the fields' own ones, so the editor fixes everything in one round."""

    def extra_errors(self, value) -> dict[str, ValidationError]:
        errors: dict[str, ValidationError] = {}
        for name, child in self.child_blocks.items():
            if isinstance(child, LinkBlock) and link_without_words(value.get(name)):
                errors[name] = StructBlockValidationError(
                    block_errors={"text": ValidationError(BUTTON_WITHOUT_WORDS)}
                )
        return errors

    def clean(self, value):
        errors = self.extra_errors(value)
        try:
            cleaned = super().clean(value)
        except StructBlockValidationError as error:
            raise StructBlockValidationError(
                block_errors={**errors, **error.block_errors},  # a field's own error first
                non_block_errors=error.non_block_errors,
            ) from error
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return cleaned


class SectionBlock(CheckedStructBlock):
    """A page section: a StructBlock with the site's preview template."""

    class Meta:
        preview_template = PREVIEW_TEMPLATE


# --- pictures: alt text or "decorative" -----------------------------------------------------------

ALT_HELP = _(
    "What the picture shows, for people who cannot see it (read aloud by screen readers, shown if it "
    "does not load). Written here for this page; the image's title in the library is not used."
)
DECORATIVE_HELP = _(
    "Tick if the picture adds nothing the text does not say: screen readers then skip it."
)
ALT_MISSING = _("Describe the picture, or tick “Decorative” if it adds nothing to the text.")


class PictureValue(blocks.StructValue):
    """A section value with an `image`, its `alt` text and a `decorative` choice."""

    @property
    def image_alt(self) -> str:
        """The picture's alt attribute: empty for a decorative picture."""
        if self.get("decorative"):
            return ""
        return (self.get("alt") or "").strip()


def alt_text_block() -> blocks.CharBlock:
    return blocks.CharBlock(required=False, max_length=250, label=_("Alt text"), help_text=ALT_HELP)


def decorative_block() -> blocks.BooleanBlock:
    return blocks.BooleanBlock(
        required=False,
        default=False,
        label=_("Decorative (no alt text needed)"),
        help_text=DECORATIVE_HELP,
    )


def picture_errors(value) -> dict[str, ValidationError]:
    """An image with neither alt text nor the "decorative" tick is refused, on the alt text field."""
    if value.get("image") and not (value.get("alt") or "").strip() and not value.get("decorative"):
        return {"alt": ValidationError(ALT_MISSING)}
    return {}


class HeroBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=120, help_text=_("The page's main headline."))
    text = blocks.TextBlock(
        required=False, max_length=400, help_text=_("One or two sentences under the headline.")
    )
    image = ImageChooserBlock(
        required=False,
        label=_("Picture"),
        help_text=_("A wide picture beside the text (at least 1200 px wide)."),
    )
    alt = alt_text_block()
    decorative = decorative_block()
    primary = LinkBlock(label=_("Main button"))
    secondary = LinkBlock(label=_("Second button"))

    class Meta:
        icon = "pick"
        label = _("Hero (headline and picture)")
        value_class = PictureValue
        template = "components/blocks/hero.html"
        description = _("A large headline with a short text, a picture and up to two buttons.")
        preview_value = {
            "heading": _("Learn anything, from people who teach it well"),
            "text": SAMPLE_TEXT,
            "primary": {"text": _("Find a teacher"), "section": "teachers"},
            "secondary": {"text": _("Sign up"), "section": "sign-up"},
        }

    def extra_errors(self, value):
        return {**super().extra_errors(value), **picture_errors(value)}


class _Headings(HTMLParser):
    """The headings of a piece of HTML, as (level, text) in reading order."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self._level: int | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._level, self._text = int(tag[1]), []

    def handle_endtag(self, tag):
        if self._level is not None and tag == f"h{self._level}":
            self.found.append((self._level, " ".join("".join(self._text).split())))
            self._level = None

    def handle_data(self, data):
        if self._level is not None:
            self._text.append(data)


def headings_of(html: str) -> list[tuple[int, str]]:
    parser = _Headings()
    parser.feed(html or "")
    parser.close()
    return parser.found


# Every section template puts a text section straight under the page's one h1 (the page title or
# the first hero), beside sections that open with an h2: so a text's first heading is a Heading 2,
# and each next one goes at most one level deeper (axe's "heading-order" flags a level skipped).
SECTION_HEADING_LEVEL = 2


def heading_order_errors(html: str, *, first_level: int = SECTION_HEADING_LEVEL) -> list[str]:
    """What is wrong with the headings' levels, one message per heading, naming it."""
    messages = []
    previous = first_level - 1
    for level, text in headings_of(html):
        if level < first_level:
            messages.append(
                _(
                    "The heading “%(text)s” is a Heading %(level)s: the page title is the only one; use a Heading %(first)s."
                )
                % {"text": text, "level": level, "first": first_level}
            )
        elif level > previous + 1:
            messages.append(
                _(
                    "The heading “%(text)s” skips a level: make it a Heading %(expected)s (or add a Heading %(expected)s before it)."
                )
                % {"text": text, "expected": previous + 1}
            )
        previous = max(level, first_level)
    return messages


class RichTextSectionBlock(blocks.RichTextBlock):
    """Formatted text: headings, lists, links, bold and italics. Its headings may not skip a level
    (see `heading_order_errors`)."""

    def clean(self, value):
        value = super().clean(value)
        messages = heading_order_errors(getattr(value, "source", "") or "")
        if messages:
            raise ValidationError([ValidationError(m) for m in messages])
        return value

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "components/blocks/rich_text.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Formatted text with headings, lists and links.")
        # Callables: evaluated when the preview is shown, in the editor's language.
        preview_value = staticmethod(
            lambda: (
                f"<h2>{_('Why learn with us')}</h2><p>{SAMPLE_TEXT}</p>"
                f"<ul><li>{_('Reviewed teachers')}</li>"
                f"<li>{_('Lessons in English and Spanish')}</li></ul>"
            )
        )


class ImageTextBlock(SectionBlock):
    image = ImageChooserBlock(label=_("Picture"), help_text=_("Shown beside the text."))
    alt = alt_text_block()
    decorative = decorative_block()
    heading = blocks.CharBlock(max_length=120)
    text = RichTextSectionBlock(features=["bold", "italic", "ul", "ol", "link"])
    image_position = blocks.ChoiceBlock(
        choices=[("left", _("Left")), ("right", _("Right"))],
        default="left",
        help_text=_("Which side the picture is on (on wide screens)."),
    )
    link = LinkBlock(label=_("Link"))

    class Meta:
        icon = "image"
        label = _("Picture and text")
        value_class = PictureValue
        template = "components/blocks/image_text.html"
        description = _("A picture next to a heading and text.")
        preview_value = staticmethod(
            lambda: {
                "heading": _("Lessons that fit your week"),
                "text": _rich_sample(),
                "image_position": "left",
                "link": {"text": _("See the teachers"), "section": "teachers"},
            }
        )

    def extra_errors(self, value):
        return {**super().extra_errors(value), **picture_errors(value)}


class FeatureBlock(CheckedStructBlock):
    title = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock(max_length=300)
    link = LinkBlock(label=_("Link"))

    class Meta:
        icon = "tick"
        label = _("Feature")


class FeatureGridBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    intro = blocks.TextBlock(max_length=400, required=False)
    features = blocks.ListBlock(FeatureBlock(), min_num=1, max_num=12)

    class Meta:
        icon = "table"
        label = _("Features")
        template = "components/blocks/feature_grid.html"
        description = _("A grid of short points, each with a title, a sentence and a link.")
        preview_value = {
            "heading": _("Everything in one place"),
            "features": [
                {"title": _("Find a teacher"), "text": _("Filter by subject, level and price.")},
                {"title": _("Book lessons"), "text": _("Pick a time that suits you both.")},
                {"title": _("Follow progress"), "text": _("Notes and goals after each lesson.")},
            ],
        }


class TestimonialBlock(SectionBlock):
    """Quotes from the Testimonial snippets, in the visitor's language when translated."""

    heading = blocks.CharBlock(max_length=120, required=False, default=_("What people say"))
    testimonials = blocks.ListBlock(SnippetChooserBlock("home.Testimonial"), min_num=1, max_num=9)

    class Meta:
        icon = "openquote"
        label = _("Testimonials")
        template = "components/blocks/testimonials.html"
        description = _("One or more quotes from students, parents or teachers.")
        preview_value = {"heading": _("What people say"), "testimonials": []}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        chosen = [t for t in value.get("testimonials") or [] if t is not None]
        if chosen:
            context["testimonials"] = block_source("testimonials")(chosen)
        else:  # the block picker's preview shows unsaved samples
            context["testimonials"] = (parent_context or {}).get("preview_testimonials", [])
        return context

    def get_preview_context(self, value, parent_context=None):
        context = super().get_preview_context(value, parent_context)
        context["preview_testimonials"] = block_source("testimonial_samples")()
        return context


class CallToActionBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(max_length=400, required=False)
    button = LinkBlock(required=True, label=_("Button"))
    style = blocks.ChoiceBlock(
        choices=[("brand", _("Coloured band")), ("plain", _("Plain"))],
        default="brand",
        label=_("Look"),
    )

    class Meta:
        icon = "bold"
        label = _("Call to action")
        template = "components/blocks/call_to_action.html"
        description = _("A short message with one clear button.")
        preview_value = {
            "heading": _("Ready for your first lesson?"),
            "text": _("Browse the teachers and book a trial lesson today."),
            "button": {"text": _("Find a teacher"), "section": "teachers"},
            "style": "brand",
        }


class VideoBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    video = EmbedBlock(
        max_width=960, help_text=_("A YouTube or Vimeo address, e.g. https://youtu.be/…")
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "components/blocks/video.html"
        description = _("A video from YouTube, Vimeo or another oEmbed provider, with a caption.")
        preview_value = {
            "heading": _("How cplatform works"),
            "video": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "caption": _("Two minutes on finding a teacher and booking a lesson."),
        }


def faq_section_choices() -> list[tuple[str, str]]:
    """The section headings of the FAQ pages, for the FAQ excerpt's section list (evaluated when the
    form is shown: one query). Labelled with the page's language where there are several."""
    found = block_source("faq_sections")(page=None)
    several = len({language for _heading, language in found}) > 1
    choices: dict[str, str] = {}
    for heading, language in found:
        choices.setdefault(heading, f"{heading} ({language})" if several else heading)
    return list(choices.items())


class FAQSectionChoiceBlock(blocks.ChoiceBlock):
    """A FAQ section's heading, chosen from a list. The heading is text in the page's language, so
    it is offered for translation like a text field (a plain ChoiceBlock would keep the source
    language's heading, which the translated FAQ page does not have)."""

    def clean(self, value):
        """Any heading passes here: the FAQ excerpt block checks it against the FAQ page it reads
        and names that page's sections in its message (clearer than "not one of the choices")."""
        return value

    def get_translatable_segments(self, value):
        from wagtail_localize.segments import StringSegmentValue

        return [StringSegmentValue("", value)] if value else []

    def restore_translated_segments(self, value, segments):
        return segments[0].render_text() if segments else value


class FAQExcerptBlock(SectionBlock):
    """A few questions from a FAQ page (the chosen one, else the visitor's language's FAQ page),
    in the visitor's language where the page is translated, with a link to all the questions."""

    heading = blocks.CharBlock(
        max_length=120, required=False, default=_("Frequently asked questions")
    )
    page = blocks.PageChooserBlock(
        page_type="faq.FAQPage",
        required=False,
        label=_("FAQ page"),
        help_text=_("Empty: the FAQ page of the visitor's language."),
    )
    section = FAQSectionChoiceBlock(
        choices=faq_section_choices,
        required=False,
        label=_("FAQ section"),
        help_text=_(
            "Only the questions of this section of the FAQ page (empty: the first questions). "
            "The list shows the sections of every FAQ page."
        ),
    )
    limit = blocks.IntegerBlock(default=4, min_value=1, max_value=12, label=_("How many questions"))

    class Meta:
        icon = "help"
        label = _("FAQ excerpt")
        template = "components/blocks/faq_excerpt.html"
        description = _("A few questions and answers from the FAQ page, with a link to the rest.")
        preview_value = {"heading": _("Frequently asked questions"), "limit": 3}

    def extra_errors(self, value):
        errors = super().extra_errors(value)
        section, page = value.get("section"), value.get("page")
        if not section:
            return errors
        headings = [heading for heading, _lang in block_source("faq_sections")(page=page)]
        if section not in headings:
            listed = ", ".join(f"“{h}”" for h in dict.fromkeys(headings)) or _("none yet")
            if page is not None:
                message = _("“%(page)s” has no section “%(section)s”. Its sections: %(sections)s.")
            else:
                message = _("No FAQ page has a section “%(section)s”. The sections: %(sections)s.")
            errors["section"] = ValidationError(
                message
                % {"page": getattr(page, "title", ""), "section": section, "sections": listed}
            )
        return errors

    def get_faq(self, value) -> tuple[object | None, list]:
        """(FAQ page, its questions to show): no query but the translation lookup."""
        return block_source("faq_excerpt")(
            page=value.get("page"),
            limit=value.get("limit") or 4,
            section=value.get("section") or None,
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["faq_page"], context["questions"] = self.get_faq(value)
        if not context["questions"]:  # the block picker's preview, on a site without a FAQ yet
            context["questions"] = (parent_context or {}).get("preview_questions", [])
        return context

    def get_preview_context(self, value, parent_context=None):
        context = super().get_preview_context(value, parent_context)
        context["preview_questions"] = block_source("faq_samples")()
        return context


SIGN_UP_ROLES = [("Student", _("Student")), ("Teacher", _("Teacher")), ("Parent", _("Parent"))]


class SignUpBlock(SectionBlock):
    """A call to create an account, with the role (student, teacher, parent) preselected."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(max_length=400, required=False)
    role = blocks.ChoiceBlock(
        choices=SIGN_UP_ROLES,
        default="Student",
        label=_("Account type"),
        help_text=_("Preselected on the sign-up form."),
    )
    button_text = blocks.CharBlock(
        max_length=60, default=_("Create your account"), label=_("Words on the button")
    )

    class Meta:
        icon = "user"
        label = _("Sign up (create an account)")
        template = "components/blocks/sign_up.html"
        description = _("Invites visitors to create an account as a student, teacher or parent.")
        preview_value = {
            "heading": _("Teach with us"),
            "text": _("Publish your profile, set your price and meet new students."),
            "role": "Teacher",
            "button_text": _("Sign up as a teacher"),
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["signup_url"] = sign_up_url(value.get("role"))
        return context


def sign_up_url(role: str | None) -> str:
    """The sign-up page in the active language with `role` preselected."""
    url = reverse("account_signup")
    return f"{url}?{urlencode({'role': role})}" if role else url
