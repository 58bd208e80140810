"""Home factories. Pages land in the English tree (a landing page under the English home page) with
realistic content: a hero with an image, text, features, teachers, testimonials, a video, calls to
action. Images are generated; the video needs an `Embed` row (see `embed_for`) so nothing goes online.
"""

from __future__ import annotations

import factory
import wagtail_factories
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Collection, Locale, Page
from wagtail.rich_text import RichText
from wagtail.snippets.blocks import SnippetChooserBlock

from classroom.blocks import TeacherListBlock
from courses.blocks import CourseListBlock
from cplatform import blocks as site_blocks
from home.blocks import BodyStreamBlock
from home.models import HomePage, LandingPage, Menu, MenuItem, Testimonial
from tests.classroom.factories import TeacherProfileFactory

VIDEO_URL = "https://www.youtube.com/watch?v=cplatform-demo"


def english() -> Locale:
    return Locale.objects.get(language_code="en")


def english_home() -> HomePage:
    return HomePage.objects.get(depth=2, locale__language_code="en")


def embed_for(url: str = VIDEO_URL, max_width: int | None = 960) -> Embed:
    """The cached oEmbed answer Wagtail looks up before asking a provider: with it, rendering a
    video block never leaves the machine."""
    embed, _ = Embed.objects.update_or_create(
        hash=get_embed_hash(url, max_width),
        defaults={
            "url": url,
            "max_width": max_width,
            "type": "video",
            "html": f'<iframe title="How cplatform works" src="{url}?embed=1" '
            'width="960" height="540" allowfullscreen></iframe>',
            "title": "How cplatform works",
            "provider_name": "YouTube",
            "thumbnail_url": "",
            "width": 960,
            "height": 540,
        },
    )
    return embed


class ImageFactory(wagtail_factories.ImageFactory):
    """A generated JPEG in the root collection."""

    title = factory.Sequence(lambda n: f"Teacher and student at a desk {n}")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.django.ImageField(width=1400, height=800, color="seagreen", format="JPEG")


class TestimonialFactory(factory.django.DjangoModelFactory):
    __test__ = False  # not a pytest test class

    class Meta:
        model = Testimonial

    quote = factory.Iterator(
        [
            "My son used to dread maths homework. After a term with his teacher he asks for harder problems.",
            "I found a piano teacher ten minutes from home and booked the first lesson the same evening.",
            "Teaching here lets me focus on my students: scheduling and payments just work.",
        ]
    )
    name = factory.Faker("first_name")
    role = factory.Iterator(["Parent", "Student", "Teacher"])
    locale = factory.LazyFunction(english)


class MenuFactory(factory.django.DjangoModelFactory):
    """A menu in English; `slot` alternates so two in a row never clash (one per slot and language)."""

    class Meta:
        model = Menu

    slot = factory.Iterator([Menu.Slot.MAIN, Menu.Slot.FOOTER])
    locale = factory.LazyFunction(english)
    text = "Lessons and courses with teachers we have met."


class MenuItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenuItem

    menu = factory.SubFactory(MenuFactory)
    link_url = "/teachers/"
    link_text = factory.Sequence(lambda n: f"Teachers {n}")
    locale = factory.SelfAttribute("menu.locale")
    sort_order = factory.Sequence(int)


# --- blocks --------------------------------------------------------------------------------------


class LinkBlockFactory(wagtail_factories.StructBlockFactory):
    text = "Find a teacher"
    page = None
    section = "teachers"
    url = ""

    class Meta:
        model = site_blocks.LinkBlock


class HeroBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Learn from teachers who love their subject"
    text = "One-to-one lessons and small groups, online or near you, in English and Spanish."
    image = factory.SubFactory(
        wagtail_factories.ImageChooserBlockFactory, image=factory.SubFactory(ImageFactory)
    )
    alt = "Teacher and student at a desk, reading a score together"
    decorative = False
    primary = factory.SubFactory(LinkBlockFactory)
    secondary = factory.SubFactory(LinkBlockFactory, text="Sign up", section="sign-up")

    class Meta:
        model = site_blocks.HeroBlock


class RichTextSectionBlockFactory(wagtail_factories.blocks.BlockFactory):
    value = (
        "<h2>How it works</h2><p>Tell us what you want to learn, compare teachers by subject, "
        "level and price, and book a first lesson. <b>No subscription</b> is needed.</p>"
        "<ul><li>Reviewed teachers</li><li>Lessons in English and Spanish</li></ul>"
    )

    class Meta:
        model = site_blocks.RichTextSectionBlock

    @classmethod
    def _construct_block(cls, block_class, *args, **kwargs):
        return RichText(kwargs["value"])


class ImageTextBlockFactory(wagtail_factories.StructBlockFactory):
    image = factory.SubFactory(
        wagtail_factories.ImageChooserBlockFactory, image=factory.SubFactory(ImageFactory)
    )
    alt = "A laptop on a desk, ready for an online lesson"
    decorative = False
    heading = "Lessons that fit your week"
    text = factory.LazyFunction(
        lambda: RichText(
            "<p>Early mornings, lunch breaks or evenings: teachers publish the hours they are free.</p>"
        )
    )
    image_position = "right"
    link = factory.SubFactory(LinkBlockFactory, text="See the teachers")

    class Meta:
        model = site_blocks.ImageTextBlock


class FeatureBlockFactory(wagtail_factories.StructBlockFactory):
    title = factory.Iterator(["Reviewed teachers", "Flexible booking", "Progress you can see"])
    text = "Every profile is checked by our team before it is listed."
    link = factory.SubFactory(LinkBlockFactory, text="", section="")

    class Meta:
        model = site_blocks.FeatureBlock


class FeatureGridBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Why families choose us"
    intro = "Three reasons, in a sentence each."
    features = wagtail_factories.ListBlockFactory(FeatureBlockFactory)
    features__0__title = "Reviewed teachers"
    features__1__title = "Flexible booking"
    features__2__title = "Progress you can see"

    class Meta:
        model = site_blocks.FeatureGridBlock


class CourseListBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Popular courses"
    source = "automatic"
    courses = factory.LazyFunction(list)
    subject = None
    level = None
    teacher = None
    limit = 6
    empty_text = ""

    class Meta:
        model = CourseListBlock


class TeacherChooserBlock(SnippetChooserBlock):
    def __init__(self, **kwargs):
        super().__init__("classroom.TeacherProfile", **kwargs)


class TestimonialChooserBlock(SnippetChooserBlock):
    __test__ = False  # not a pytest test class

    def __init__(self, **kwargs):
        super().__init__("home.Testimonial", **kwargs)


class TeacherChooserBlockFactory(wagtail_factories.blocks.ChooserBlockFactory):
    teacher = factory.SubFactory(TeacherProfileFactory, is_public=True, is_approved=True)

    class Meta:
        model = TeacherChooserBlock

    @classmethod
    def _build(cls, model_class, teacher):
        return teacher

    @classmethod
    def _create(cls, model_class, teacher):
        return teacher


class TestimonialChooserBlockFactory(wagtail_factories.blocks.ChooserBlockFactory):
    __test__ = False  # not a pytest test class

    testimonial = factory.SubFactory(TestimonialFactory)

    class Meta:
        model = TestimonialChooserBlock

    @classmethod
    def _build(cls, model_class, testimonial):
        return testimonial

    @classmethod
    def _create(cls, model_class, testimonial):
        return testimonial


class TeacherListBlockFactory(wagtail_factories.StructBlockFactory):
    """An automatic list (every listed teacher, up to `limit`); pass `source="chosen"` with
    `teachers__0__teacher=profile` … for a hand-picked one."""

    heading = "Meet our teachers"
    intro = "A few of the people you could learn with."
    source = "automatic"
    subject = None
    level = None
    language = None
    teachers = factory.LazyFunction(list)
    limit = 6
    directory_link = True

    class Meta:
        model = TeacherListBlock


class TestimonialBlockFactory(wagtail_factories.StructBlockFactory):
    __test__ = False  # not a pytest test class

    heading = "What people say"
    testimonials = wagtail_factories.ListBlockFactory(TestimonialChooserBlockFactory)
    testimonials__0__testimonial__role = "Parent"
    testimonials__1__testimonial__role = "Student"

    class Meta:
        model = site_blocks.TestimonialBlock


class CallToActionBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Ready for your first lesson?"
    text = "Browse the teachers and book a trial lesson today."
    button = factory.SubFactory(LinkBlockFactory)
    style = "brand"

    class Meta:
        model = site_blocks.CallToActionBlock


class VideoBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "How cplatform works"
    video = factory.LazyFunction(
        lambda: site_blocks.VideoBlock().child_blocks["video"].to_python(VIDEO_URL)
    )
    caption = "Two minutes on finding a teacher and booking a lesson."

    class Meta:
        model = site_blocks.VideoBlock


class SignUpBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Teach with us"
    text = "Publish your profile, set your price and meet new students."
    role = "Teacher"
    button_text = "Sign up as a teacher"

    class Meta:
        model = site_blocks.SignUpBlock


class FAQExcerptBlockFactory(wagtail_factories.StructBlockFactory):
    """Questions from the FAQ page of the visitor's language (pass `page=faq_page` to choose one)."""

    heading = "Questions parents ask"
    page = None
    section = ""
    limit = 3

    class Meta:
        model = site_blocks.FAQExcerptBlock


class BodyStreamBlockFactory(wagtail_factories.StreamBlockFactory):
    hero = factory.SubFactory(HeroBlockFactory)
    rich_text = factory.SubFactory(RichTextSectionBlockFactory)
    image_text = factory.SubFactory(ImageTextBlockFactory)
    feature_grid = factory.SubFactory(FeatureGridBlockFactory)
    course_list = factory.SubFactory(CourseListBlockFactory)
    teacher_list = factory.SubFactory(TeacherListBlockFactory)
    testimonials = factory.SubFactory(TestimonialBlockFactory)
    faq_excerpt = factory.SubFactory(FAQExcerptBlockFactory)
    call_to_action = factory.SubFactory(CallToActionBlockFactory)
    video = factory.SubFactory(VideoBlockFactory)
    sign_up = factory.SubFactory(SignUpBlockFactory)

    class Meta:
        model = BodyStreamBlock


# --- pages ---------------------------------------------------------------------------------------


class _PublishedPageFactory(wagtail_factories.PageFactory):
    """Saved under `default_parent()` unless given a parent, then published through a revision as
    an editor would (`live=False` leaves a draft)."""

    class Meta:
        abstract = True

    @classmethod
    def default_parent(cls) -> Page:
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("parent") is None:
            kwargs["parent"] = cls.default_parent()
        page = super()._create(model_class, *args, **kwargs)
        revision = page.save_revision()
        if page.live:
            revision.publish()
            page.refresh_from_db()
        return page


class LandingPageFactory(_PublishedPageFactory):
    """A campaign page with every kind of block (the video needs `embed_for()` to render offline)."""

    class Meta:
        model = LandingPage

    title = factory.Sequence(lambda n: f"Summer Spanish campaign {n}")
    slug = factory.Sequence(lambda n: f"summer-spanish-{n}")
    search_description = "Spanish lessons this summer: reviewed teachers, online or in person."
    body = wagtail_factories.StreamFieldFactory(BodyStreamBlockFactory)
    body__0 = "hero"
    body__1 = "rich_text"
    body__2 = "image_text"
    body__3 = "feature_grid"
    body__4 = "teacher_list"
    body__5 = "course_list"
    body__6 = "testimonials"
    body__7 = "video"
    body__8 = "call_to_action"
    body__9 = "sign_up"
    body__10 = "faq_excerpt"

    @classmethod
    def default_parent(cls) -> Page:
        return english_home()


class HomePageFactory(_PublishedPageFactory):
    """A home page with every section filled, under the tree root. The base data already has the
    English home page: tests give it content with `fill_home_page` rather than making a second."""

    class Meta:
        model = HomePage

    title = "Learn with cplatform"
    slug = factory.Sequence(lambda n: f"home-{n}")
    locale = factory.LazyFunction(english)
    intro = "<p>Teachers, lessons and courses in one place.</p>"
    search_description = "Find a reviewed teacher and book lessons, online or in person."
    hero = wagtail_factories.StreamFieldFactory({"hero": factory.SubFactory(HeroBlockFactory)})
    hero__0 = "hero"
    featured_teachers = wagtail_factories.StreamFieldFactory(
        {"teacher_list": factory.SubFactory(TeacherListBlockFactory)}
    )
    featured_teachers__0 = "teacher_list"
    featured_courses = wagtail_factories.StreamFieldFactory(
        {"course_list": factory.SubFactory(CourseListBlockFactory)}
    )
    featured_courses__0 = "course_list"
    body = wagtail_factories.StreamFieldFactory(BodyStreamBlockFactory)
    body__0 = "rich_text"
    body__1 = "feature_grid"
    testimonials = wagtail_factories.StreamFieldFactory(
        {"testimonials": factory.SubFactory(TestimonialBlockFactory)}
    )
    testimonials__0 = "testimonials"
    calls_to_action = wagtail_factories.StreamFieldFactory(
        {
            "call_to_action": factory.SubFactory(CallToActionBlockFactory),
            "sign_up": factory.SubFactory(SignUpBlockFactory),
        }
    )
    calls_to_action__0 = "call_to_action"
    calls_to_action__1 = "sign_up"

    @classmethod
    def default_parent(cls) -> Page:
        return Page.get_first_root_node()


def fill_home_page(page: HomePage | None = None) -> HomePage:
    """Give the existing home page (English by default) every section, as HomePageFactory does,
    and publish it."""
    page = page or english_home()
    page.intro = "<p>Teachers, lessons and courses in one place.</p>"
    page.search_description = "Find a reviewed teacher and book lessons, online or in person."
    page.hero = [("hero", HeroBlockFactory())]
    page.featured_teachers = [("teacher_list", TeacherListBlockFactory())]
    page.featured_courses = [("course_list", CourseListBlockFactory())]
    page.body = [
        ("rich_text", RichTextSectionBlockFactory()),
        ("feature_grid", FeatureGridBlockFactory()),
    ]
    page.testimonials = [("testimonials", TestimonialBlockFactory())]
    page.calls_to_action = [
        ("call_to_action", CallToActionBlockFactory()),
        ("sign_up", SignUpBlockFactory()),
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    return page
