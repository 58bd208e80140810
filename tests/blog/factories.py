"""Blog factories. With no arguments, pages land in the English tree (index under the home page,
posts under an index) with a realistic body: headings, paragraphs, an image and a quote."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Collection, Locale, Page
from wagtail.rich_text import RichText

from blog.blocks import BlogStreamBlock, CaptionedImageBlock, QuoteBlock
from blog.models import BlogAuthor, BlogCategory, BlogIndexPage, BlogPage
from cplatform.blocks import RichTextSectionBlock
from home.models import HomePage

PARAGRAPHS = [
    "<h2>Little and often</h2><p>Most learners overestimate what they can do in a month and underestimate what they can "
    "do in a year. Twenty minutes of focused practice every day builds more fluency than a long "
    "session once a week, because memory rewards <b>spaced repetition</b> over cramming.</p>",
    "<h2>A routine for every lesson</h2><p>Start each lesson by recalling yesterday's new words without looking at your notes. "
    "Then read a short text aloud, record yourself, and compare your pronunciation with a "
    "native speaker's. Your teacher can point out the two or three sounds worth fixing first.</p>",
    "<p>Keep a small notebook of <i>real</i> sentences you heard or read, not isolated words. "
    "Context is what lets you use a word correctly the next time you need it, in a shop, on the "
    "phone, or in an exam.</p>",
]


def english() -> Locale:
    return Locale.objects.get(language_code="en")


def english_home() -> Page:
    return HomePage.objects.get(depth=2, locale__language_code="en")


class ImageFactory(wagtail_factories.ImageFactory):
    """A small generated JPEG in the root collection (no new collection per image)."""

    title = factory.Sequence(lambda n: f"Classroom photo {n}")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.django.ImageField(width=320, height=180, color="steelblue", format="JPEG")


class RichTextBlockFactory(wagtail_factories.blocks.BlockFactory):
    value = factory.Iterator(PARAGRAPHS)

    class Meta:
        model = RichTextSectionBlock

    @classmethod
    def _construct_block(cls, block_class, *args, **kwargs):
        return RichText(kwargs["value"])


class ImageChooserBlockFactory(wagtail_factories.ImageChooserBlockFactory):
    image = factory.SubFactory(ImageFactory)


class AltTextImageBlockFactory(wagtail_factories.ImageBlockFactory):
    image = factory.SubFactory(ImageChooserBlockFactory)
    decorative = False
    alt_text = "Students practising conversation in pairs"


class CaptionedImageBlockFactory(wagtail_factories.StructBlockFactory):
    image = factory.SubFactory(AltTextImageBlockFactory)
    caption = "Pair work: ten minutes of conversation to start every lesson."

    class Meta:
        model = CaptionedImageBlock


class QuoteBlockFactory(wagtail_factories.StructBlockFactory):
    quote = "Language is the road map of a culture."
    attribution = "Rita Mae Brown"

    class Meta:
        model = QuoteBlock


class BlogStreamBlockFactory(wagtail_factories.StreamBlockFactory):
    rich_text = factory.SubFactory(RichTextBlockFactory)
    image = factory.SubFactory(CaptionedImageBlockFactory)
    quote = factory.SubFactory(QuoteBlockFactory)

    class Meta:
        model = BlogStreamBlock


class BlogAuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlogAuthor

    name = factory.Faker("name")
    role = "Spanish teacher"
    bio = factory.Faker("paragraph", nb_sentences=3)
    locale = factory.LazyFunction(english)


class BlogCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlogCategory

    name = factory.Sequence(lambda n: f"Learning tips {n}")
    slug = factory.Sequence(lambda n: f"learning-tips-{n}")
    description = "How to learn faster, remember more and enjoy it."
    locale = factory.LazyFunction(english)


class _DefaultParentPageFactory(wagtail_factories.PageFactory):
    """A page factory whose `parent` defaults to `default_parent()` instead of a new tree root."""

    class Meta:
        abstract = True

    @classmethod
    def default_parent(cls) -> Page:
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("parent") is None:
            kwargs["parent"] = cls.default_parent()
        return super()._create(model_class, *args, **kwargs)


class BlogIndexPageFactory(_DefaultParentPageFactory):
    class Meta:
        model = BlogIndexPage

    title = "Blog"
    slug = factory.Sequence(lambda n: f"blog-{n}")
    intro = "Ideas, news and study tips from our teachers."

    @classmethod
    def default_parent(cls) -> Page:
        return english_home()


class BlogPageFactory(_DefaultParentPageFactory):
    """A published post. `tags=["grammar", ...]` and `categories=[category, ...]` set them."""

    class Meta:
        model = BlogPage

    title = factory.Sequence(lambda n: f"Ten minutes a day: study habit {n}")
    slug = factory.Sequence(lambda n: f"study-habit-{n}")
    intro = "Short, regular practice beats long, rare sessions. Here is how to build the habit."
    date = factory.Sequence(lambda n: timezone.localdate() - datetime.timedelta(days=n % 365))
    author = factory.SubFactory(BlogAuthorFactory)
    hero_image = factory.SubFactory(ImageFactory)
    body = wagtail_factories.StreamFieldFactory(BlogStreamBlockFactory)
    body__0 = "rich_text"
    body__1 = "image"
    body__2 = "rich_text"
    body__3 = "quote"
    body__4 = "rich_text"

    @classmethod
    def default_parent(cls) -> Page:
        index = BlogIndexPage.objects.filter(locale__language_code="en").first()
        return index or BlogIndexPageFactory()

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Publish a revision as an editor would, tags and categories included (a draft,
        `live=False`, only gets the revision)."""
        if not create:
            return
        revision = instance.save_revision()
        if instance.live:
            revision.publish()
            instance.refresh_from_db()
