"""StreamField blocks every page app shares (home, landing pages, blog, FAQ).

Each block has an `icon`, a template under `templates/components/blocks/` and a `preview_value` +
`description` for Wagtail's block picker preview (rendered with `components/blocks/preview.html`, which
loads the site's CSS). Blocks that list database rows (teachers, testimonials) fetch them in one query
set from `get_context`, so a page with several list blocks still makes a fixed number of queries.

`cplatform` does not import the feature apps at module level (see STYLE.md); blocks that read their rows
(teachers, testimonials, FAQ questions) import the owning app's selector inside `get_context`, and refer
to their models by "app.Model" strings.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

PREVIEW_TEMPLATE = "components/blocks/preview.html"

SAMPLE_TEXT = _(
    "Learn with teachers who know their subject and love to share it: one-to-one lessons, small "
    "groups and courses, online or in person."
)


def _rich_sample() -> str:
    return f"<p>{SAMPLE_TEXT}</p>"


# --- links ---------------------------------------------------------------------------------------


class LinkValue(blocks.StructValue):
    """A link to a page (in the visitor's language when it has been translated) or to a URL."""

    @property
    def href(self) -> str:
        page = self.get("page")
        if page is not None:
            return page.localized.url or ""
        return self.get("url") or ""

    @property
    def label(self) -> str:
        page = self.get("page")
        return self.get("text") or (page.localized.title if page is not None else "")


class LinkBlock(blocks.StructBlock):
    """A page or a URL, with the words to show. Empty is allowed where the link is optional."""

    text = blocks.CharBlock(
        required=False, max_length=80, help_text=_("The words on the button or link.")
    )
    page = blocks.PageChooserBlock(required=False, help_text=_("A page of this site…"))
    url = blocks.URLBlock(required=False, help_text=_("…or any web address (not both)."))

    class Meta:
        icon = "link"
        value_class = LinkValue
        form_classname = "link-block"

    def __init__(self, *args, required: bool = False, **kwargs):
        self._required = required
        super().__init__(*args, **kwargs)

    @property
    def required(self):
        return self._required

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        page, url, text = value.get("page"), value.get("url"), value.get("text")
        if page is not None and url:
            errors["url"] = ValidationError(_("Choose a page or enter a web address, not both."))
        elif (page is None and not url) and (text or self._required):
            errors["page"] = ValidationError(_("Choose a page or enter a web address."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


# --- the base of every section block --------------------------------------------------------------


class SectionBlock(blocks.StructBlock):
    """A page section: a StructBlock with the site's preview template."""

    class Meta:
        preview_template = PREVIEW_TEMPLATE


class HeroBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=120, help_text=_("The page's main headline."))
    text = blocks.TextBlock(
        required=False, max_length=400, help_text=_("One or two sentences under the headline.")
    )
    image = ImageChooserBlock(
        required=False, help_text=_("A wide picture beside the text (at least 1200 px wide).")
    )
    primary = LinkBlock(label=_("Main button"))
    secondary = LinkBlock(label=_("Second button"))

    class Meta:
        icon = "pick"
        template = "components/blocks/hero.html"
        description = _("A large headline with a short text, a picture and up to two buttons.")
        preview_value = {
            "heading": _("Learn anything, from people who teach it well"),
            "text": SAMPLE_TEXT,
            "primary": {"text": _("Find a teacher"), "url": "/teachers/"},
            "secondary": {"text": _("Sign up"), "url": "/auth/register/"},
        }


class RichTextSectionBlock(blocks.RichTextBlock):
    """Formatted text: headings, lists, links, bold and italics."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
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
    image = ImageChooserBlock(
        help_text=_("Shown beside the text; describe it in the image's title.")
    )
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
        template = "components/blocks/image_text.html"
        description = _("A picture next to a heading and text.")
        preview_value = staticmethod(
            lambda: {
                "heading": _("Lessons that fit your week"),
                "text": _rich_sample(),
                "image_position": "left",
                "link": {"text": _("See the teachers"), "url": "/teachers/"},
            }
        )


class FeatureBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock(max_length=300)
    link = LinkBlock(label=_("Link"))

    class Meta:
        icon = "tick"


class FeatureGridBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    intro = blocks.TextBlock(max_length=400, required=False)
    features = blocks.ListBlock(FeatureBlock(), min_num=1, max_num=12)

    class Meta:
        icon = "table"
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


class CourseListBlock(SectionBlock):
    """Published courses (with a live course page) by subject / level / teacher, soonest first, each
    linking to its page in the visitor's language (or the default language's page)."""

    heading = blocks.CharBlock(max_length=120, required=False, default=_("Courses"))
    subject = SnippetChooserBlock("classroom.Subject", required=False)
    level = SnippetChooserBlock("classroom.Level", required=False)
    teacher = SnippetChooserBlock(
        "classroom.TeacherProfile", required=False, help_text=_("Only this teacher's courses.")
    )
    limit = blocks.IntegerBlock(default=6, min_value=1, max_value=24)
    empty_text = blocks.CharBlock(
        max_length=200,
        required=False,
        help_text=_("Shown while there are no courses to list."),
    )

    class Meta:
        icon = "list-ul"
        template = "components/blocks/course_list.html"
        description = _("Courses filtered by subject, level or teacher.")
        preview_value = {"heading": _("Courses"), "limit": 6}

    def get_courses(self, value, request=None) -> list:
        """The courses to show, each with `page` and `page_url`: a fixed number of queries."""
        # Import here: cplatform does not depend on the feature apps when it is loaded.
        from courses.selectors import (
            CourseFilters,
            catalog_languages,
            course_cards,
            course_list_public,
        )

        teacher = value.get("teacher")
        filters = CourseFilters(
            subject=getattr(value.get("subject"), "slug", None),
            level=getattr(value.get("level"), "code", None),
            teacher=teacher.user_id if teacher is not None else None,
        )
        languages = catalog_languages()
        courses = course_list_public(filters=filters, live_page_languages=languages)
        return course_cards(
            list(courses[: value.get("limit") or 6]), languages=languages, request=request
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["courses"] = self.get_courses(value, (parent_context or {}).get("request"))
        return context


class TeacherListBlock(SectionBlock):
    """Listed teachers, chosen by hand or picked automatically by subject / level / language."""

    heading = blocks.CharBlock(max_length=120, required=False, default=_("Meet our teachers"))
    intro = blocks.TextBlock(max_length=400, required=False)
    source = blocks.ChoiceBlock(
        choices=[("automatic", _("Automatic (by the filters below)")), ("chosen", _("Chosen"))],
        default="automatic",
        help_text=_(
            "Automatic lists listed teachers matching the filters; chosen lists the ones below."
        ),
    )
    subject = SnippetChooserBlock("classroom.Subject", required=False)
    level = SnippetChooserBlock("classroom.Level", required=False)
    language = SnippetChooserBlock(
        "classroom.TeachingLanguage", required=False, label=_("Teaches in")
    )
    teachers = blocks.ListBlock(
        SnippetChooserBlock("classroom.TeacherProfile"),
        default=[],
        help_text=_("For a chosen list. Teachers who are not listed publicly are skipped."),
    )
    limit = blocks.IntegerBlock(default=6, min_value=1, max_value=24)
    directory_link = blocks.BooleanBlock(
        required=False, default=True, help_text=_("Add a link to the full teacher directory.")
    )

    class Meta:
        icon = "group"
        template = "components/blocks/teacher_list.html"
        description = _("Teachers from the directory: chosen ones, or the first matching a filter.")
        preview_value = {"heading": _("Meet our teachers"), "source": "automatic", "limit": 3}

    def clean(self, value):
        value = super().clean(value)
        if value.get("source") == "chosen" and not value.get("teachers"):
            raise StructBlockValidationError(
                block_errors={"teachers": ValidationError(_("Choose at least one teacher."))}
            )
        return value

    def get_teachers(self, value) -> list:
        # Import here: cplatform does not depend on the feature apps when it is loaded.
        from classroom.selectors import TeacherFilters, teacher_list_public

        limit = value.get("limit") or 6
        if value.get("source") == "chosen":
            ids = [t.pk for t in value.get("teachers") or [] if t is not None][:limit]
            by_id = {t.pk: t for t in teacher_list_public().filter(pk__in=ids)}
            return [by_id[pk] for pk in ids if pk in by_id]
        filters = TeacherFilters(
            subject=getattr(value.get("subject"), "slug", None),
            level=getattr(value.get("level"), "code", None),
            language=getattr(value.get("language"), "code", None),
        )
        return list(teacher_list_public(filters=filters)[:limit])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["teachers"] = self.get_teachers(value)
        return context


class TestimonialBlock(SectionBlock):
    """Quotes from the Testimonial snippets, in the visitor's language when translated."""

    heading = blocks.CharBlock(max_length=120, required=False, default=_("What people say"))
    testimonials = blocks.ListBlock(SnippetChooserBlock("home.Testimonial"), min_num=1, max_num=9)

    class Meta:
        icon = "openquote"
        template = "components/blocks/testimonials.html"
        description = _("One or more quotes from students, parents or teachers.")
        preview_value = {"heading": _("What people say"), "testimonials": []}

    def get_context(self, value, parent_context=None):
        from home.selectors import testimonial_list_localized

        context = super().get_context(value, parent_context)
        chosen = [t for t in value.get("testimonials") or [] if t is not None]
        if chosen:
            context["testimonials"] = testimonial_list_localized(testimonials=chosen)
        else:  # the block picker's preview shows unsaved samples
            context["testimonials"] = (parent_context or {}).get("preview_testimonials", [])
        return context

    def get_preview_context(self, value, parent_context=None):
        from home.selectors import testimonial_preview_samples

        context = super().get_preview_context(value, parent_context)
        context["preview_testimonials"] = testimonial_preview_samples()
        return context


class CallToActionBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(max_length=400, required=False)
    button = LinkBlock(required=True, label=_("Button"))
    style = blocks.ChoiceBlock(
        choices=[("brand", _("Coloured band")), ("plain", _("Plain"))], default="brand"
    )

    class Meta:
        icon = "bold"
        template = "components/blocks/call_to_action.html"
        description = _("A short message with one clear button.")
        preview_value = {
            "heading": _("Ready for your first lesson?"),
            "text": _("Browse the teachers and book a trial lesson today."),
            "button": {"text": _("Find a teacher"), "url": "/teachers/"},
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
        template = "components/blocks/video.html"
        description = _("A video from YouTube, Vimeo or another oEmbed provider, with a caption.")
        preview_value = {
            "heading": _("How cplatform works"),
            "video": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "caption": _("Two minutes on finding a teacher and booking a lesson."),
        }


class FAQExcerptBlock(SectionBlock):
    """A few questions from a FAQ page (the chosen one, else the visitor's language's FAQ page),
    in the visitor's language where the page is translated, with a link to all the questions."""

    heading = blocks.CharBlock(
        max_length=120, required=False, default=_("Frequently asked questions")
    )
    page = blocks.PageChooserBlock(
        page_type="faq.FAQPage",
        required=False,
        help_text=_("Empty: the FAQ page of the visitor's language."),
    )
    section = blocks.CharBlock(
        max_length=120,
        required=False,
        help_text=_("Only the questions of the section with this heading (empty: from the start)."),
    )
    limit = blocks.IntegerBlock(default=4, min_value=1, max_value=12)

    class Meta:
        icon = "help"
        template = "components/blocks/faq_excerpt.html"
        description = _("A few questions and answers from the FAQ page, with a link to the rest.")
        preview_value = {"heading": _("Frequently asked questions"), "limit": 3}

    def get_faq(self, value) -> tuple[object | None, list]:
        """(FAQ page, its questions to show): no query but the translation lookup."""
        from faq.selectors import faq_page_get_for_locale

        page = value.get("page")
        if page is not None:
            page = page.localized.specific
            if not page.live:
                return None, []
        else:
            page = faq_page_get_for_locale()
        if page is None:
            return None, []
        return page, page.questions(value.get("limit") or 4, section=value.get("section") or None)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["faq_page"], context["questions"] = self.get_faq(value)
        if not context["questions"]:  # the block picker's preview, on a site without a FAQ yet
            context["questions"] = (parent_context or {}).get("preview_questions", [])
        return context

    def get_preview_context(self, value, parent_context=None):
        from faq.blocks import sample_questions
        from faq.selectors import FAQItem

        context = super().get_preview_context(value, parent_context)
        context["preview_questions"] = [
            FAQItem(
                id=str(i),
                question=q["question"],
                answer=blocks.RichTextBlock().to_python(q["answer"]),
                section="",
            )
            for i, q in enumerate(sample_questions())
        ]
        return context


SIGN_UP_ROLES = [("Student", _("Student")), ("Teacher", _("Teacher")), ("Parent", _("Parent"))]


class SignUpBlock(SectionBlock):
    """A call to create an account, with the role (student, teacher, parent) preselected."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(max_length=400, required=False)
    role = blocks.ChoiceBlock(
        choices=SIGN_UP_ROLES, default="Student", help_text=_("Preselected on the sign-up form.")
    )
    button_text = blocks.CharBlock(max_length=60, default=_("Create your account"))

    class Meta:
        icon = "user"
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


def body_blocks() -> list[tuple[str, blocks.Block]]:
    """The blocks a landing page (and the home page's body) is built from, as (name, block) pairs."""
    return [
        ("hero", HeroBlock()),
        ("rich_text", RichTextSectionBlock()),
        ("image_text", ImageTextBlock()),
        ("feature_grid", FeatureGridBlock()),
        ("course_list", CourseListBlock()),
        ("teacher_list", TeacherListBlock()),
        ("testimonials", TestimonialBlock()),
        ("faq_excerpt", FAQExcerptBlock()),
        ("call_to_action", CallToActionBlock()),
        ("video", VideoBlock()),
        ("sign_up", SignUpBlock()),
    ]


class BodyStreamBlock(blocks.StreamBlock):
    """A page body built from every shared block."""

    hero = HeroBlock()
    rich_text = RichTextSectionBlock()
    image_text = ImageTextBlock()
    feature_grid = FeatureGridBlock()
    course_list = CourseListBlock()
    teacher_list = TeacherListBlock()
    testimonials = TestimonialBlock()
    faq_excerpt = FAQExcerptBlock()
    call_to_action = CallToActionBlock()
    video = VideoBlock()
    sign_up = SignUpBlock()
