"""Wagtail pages that present courses: the catalog (`CourseIndexPage`, served at /courses/) and one
`CoursePage` per course and language. The Course row (courses.models) holds what enrolment and billing
need; the page holds what the public reads (description, cover, FAQ excerpt) and is translated with
wagtail-localize. Enrolments never point at pages.

Moderation: the course section has its own switch. A workflow assigned (Settings › Workflows) to the
Courses page, or one of its translations, moderates course pages; the site-wide "Marketing review"
on the home pages does not, so by default a teacher publishes their course at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail.url_routing import RouteResult
from wagtail_localize.fields import SynchronizedField

from cplatform import cache_versions
from cplatform.blocks import (
    CallToActionBlock,
    FAQExcerptBlock,
    FeatureGridBlock,
    ImageTextBlock,
    RichTextSectionBlock,
    TestimonialBlock,
    VideoBlock,
)
from cplatform.pages import SeoPageMixin
from cplatform.validators import validate_multiline_text

from .page_panels import CoursePublishingPanel, CourseRecordPanel

# The catalog's slug in every language: the course area's Django pages (mine/, teach/, enrol/) live
# under the same /courses/ prefix, and Course.get_absolute_url relies on /courses/<course slug>/.
CATALOG_SLUG = "courses"


class CourseDescriptionBlock(blocks.StreamBlock):
    """What a course page says about the course: the shared section blocks that suit one course."""

    rich_text = RichTextSectionBlock()
    image_text = ImageTextBlock()
    feature_grid = FeatureGridBlock()
    video = VideoBlock()
    testimonials = TestimonialBlock()
    call_to_action = CallToActionBlock()


class CourseSectionWorkflowMixin:
    """Only a workflow on the course section (the Courses page, in any language, or the course page
    itself) moderates these pages; ancestors above it (the home pages' Marketing review) do not."""

    def _workflow_page_ids(self) -> tuple[list[int], str | None]:
        raise NotImplementedError

    def get_workflow(self):
        from wagtail.models import WorkflowPage

        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return None
        page_ids, translation_key = self._workflow_page_ids()
        where = models.Q(page_id__in=[pk for pk in page_ids if pk])
        if translation_key:
            where |= models.Q(page__translation_key=translation_key, page__depth=self._index_depth)
        assigned = (
            WorkflowPage.objects.filter(where, workflow__active=True)
            .select_related("workflow", "page")
            .order_by("-page__depth", "page_id")
        )
        # The page's own assignment first, then the index of its language, then another language's.
        ranked = sorted(
            assigned,
            key=lambda wp: (wp.page_id != self.pk, wp.page_id not in page_ids),
        )
        return ranked[0].workflow if ranked else None

    @property
    def has_workflow(self) -> bool:
        return self.get_workflow() is not None


class CourseIndexPage(CourseSectionWorkflowMixin, SeoPageMixin):
    """The course catalog, one per language under the home page (slug `courses`): published courses
    whose page is live, filtered, searched, sorted and paginated."""

    intro = models.TextField(
        blank=True,
        max_length=500,
        help_text=_("One or two sentences above the filters."),
        validators=[validate_multiline_text],
    )

    content_panels = [*SeoPageMixin.content_panels, FieldPanel("intro")]
    search_fields = [*SeoPageMixin.search_fields, index.SearchField("intro")]
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalog")

    @property
    def _index_depth(self) -> int:
        return self.depth

    def _workflow_page_ids(self):
        return [self.pk], self.translation_key

    def clean(self):
        super().clean()
        if self.slug != CATALOG_SLUG:
            raise ValidationError(
                {"slug": _("The course catalog's address must stay “%s”.") % CATALOG_SLUG}
            )

    def summary_text(self) -> str:
        return self.intro

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from .forms import CourseFilterForm, catalog_choices_version
        from .selectors import catalog_languages, course_cards, course_list_public

        context = super().get_context(request, *args, **kwargs)
        form = CourseFilterForm(request.GET)
        form.is_valid()
        version = catalog_choices_version()

        def listing():
            languages = catalog_languages()
            courses = course_list_public(filters=form.filters(), live_page_languages=languages)
            page = Paginator(courses, CATALOG_PAGE_SIZE).get_page(request.GET.get("page"))
            page.object_list = course_cards(
                list(page.object_list), languages=languages, request=request
            )
            for course in page.object_list:
                course.card_cache_key = _card_cache_key(course, version)
            return page

        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            # Read only when the template renders the results (not when they come from its cache).
            courses=SimpleLazyObject(listing),
            form=form,
            query=query.urlencode(),
            # No filter given: the form looks the same for everyone (the template caches it).
            filters_cache_key="" if query else version,
            results_cache_key=_results_cache_key(request, form, version),
        )
        return context

    def route(self, request, path_components):
        """A course page not translated into this language yet: send the visitor to the
        default language's page rather than a 404."""
        try:
            if not path_components:
                return super().route(request, path_components)
            # Only course pages live here (subpage_types): one query for the child as a CoursePage,
            # where Wagtail's Page.route takes two (the plain page, then its specific one).
            try:
                child = CoursePage.objects.child_of(self).get(slug=path_components[0])
            except CoursePage.DoesNotExist:
                raise Http404 from None
            child._cached_parent_obj = self  # as Page.route does: no query for the parent
            return child.route(request, path_components[1:])
        except Http404:
            if len(path_components) != 1:
                raise
            from .selectors import course_page_fallback

            fallback = course_page_fallback(index=self, slug=path_components[0])
            if fallback is None:
                raise
            return RouteResult(self, kwargs={"redirect_to": fallback.get_url(request)})

    def serve(self, request, *args, redirect_to: str | None = None, **kwargs):
        if redirect_to:
            return redirect(redirect_to)
        return super().serve(request, *args, **kwargs)


CATALOG_PAGE_SIZE = 12

# The catalog's results (count, cards, pagination) are cached per filter combination, language,
# host and day under a version that `catalog_listing_changed` moves (courses/apps.py connects it to
# the saves and deletes of courses and their teachers, enrolments, pages, images, sites and
# locales) together with the filter choices' version (lookups, people's names). A third of the
# catalog's time and four of its queries before.
LISTING_VERSION_KEY = "catalog-listing-version"
# Free text and prices are not cached (any string would be a new entry), nor a "starting soon" other
# than the form's own "on" (the field takes any text for yes).
UNCACHED_FILTERS = ("q", "max_price")
MAX_CACHED_PAGE = 1000


def catalog_listing_changed(sender=None, **kwargs) -> None:
    """Something a catalog card or the results' order shows changed: the cached results are stale."""
    cache_versions.move(LISTING_VERSION_KEY)


def catalog_listing_version() -> str:
    return cache_versions.current(LISTING_VERSION_KEY)


def _results_cache_key(request, form, choices_version: str) -> str:
    """The cache key of the catalog's results for this request, or "" when they are not cached: an
    invalid filter (shown with its error), free text, a price, an unknown or repeated parameter, or
    a page that is not a number. The parameters are part of the key as given: the pagination links
    repeat them."""
    from django.utils import timezone

    query = request.GET
    page = query.get("page", "")
    if (
        form.errors
        or any(query.get(name) for name in UNCACHED_FILTERS)
        or any(name != "page" and name not in form.fields for name in query)
        or any(len(values) > 1 for _, values in query.lists())
        or query.get("starting_soon", "on") != "on"
        or (page and not (page.isdigit() and int(page) <= MAX_CACHED_PAGE))
    ):
        return ""
    filters = query.copy()
    filters.pop("page", None)
    return ":".join(
        (
            catalog_listing_version(),
            choices_version,
            request.get_host(),
            timezone.localdate().isoformat(),  # "starting soon" counts from today
            filters.urlencode(),
            str(int(page) if page else 1),
        )
    )


def _card_cache_key(course, choices_version: str) -> str:
    """What a catalog card shows, as a cache key (with the language): the course as last saved,
    its seats taken, its page's state, address and cover image, and the catalog choices' version,
    which moves when a lookup's names, the course's teachers or a person's name change."""
    page = course.page
    image = page.cover_image if page is not None else None
    return ":".join(
        str(part)
        for part in (
            course.pk,
            course.slug,
            course.updated_at.isoformat(),
            getattr(course, "seats_taken", None),
            page.cache_key if page is not None else "",
            course.page_url,
            f"{image.pk}-{image.file_hash}-{image.get_focal_point()}" if image else "",
            choices_version,
        )
    )


class CoursePageForm(WagtailAdminPageForm):
    """A teacher may attach only a course they teach; one page per course and language. Once the
    page exists its course and slug (the course's) are fixed: shown as text, a posted value
    ignored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.course_id:
            self._fix_course_and_slug()
            return
        field = self.fields.get("course")
        if field is None or self.for_user is None:
            return
        from .selectors import course_list_for_teacher

        mine = (
            course_list_for_teacher(user=self.for_user).select_related(None).prefetch_related(None)
        )
        current = [self.instance.course_id] if self.instance.course_id else []
        field.queryset = field.queryset.filter(
            models.Q(pk__in=mine.values("pk")) | models.Q(pk__in=current)
        )

    def _fix_course_and_slug(self) -> None:
        from .page_panels import ReadOnlyText

        course = self.fields.get("course")
        if course is not None:
            course.disabled = True
            course.required = False  # no "required" mark on what cannot be changed
            course.widget = ReadOnlyText(self.instance.course.title)
            course.help_text = _(
                "The course this page presents. It cannot change: a new course gets its own page."
            )
        slug = self.fields.get("slug")
        if slug is not None:
            slug.disabled = True
            slug.required = False
            slug.widget = ReadOnlyText(
                self.instance.get_url() or f"/{CATALOG_SLUG}/{self.instance.slug}/"
            )
            slug.help_text = _(
                "The page's address is the course's, in every language; it follows the course."
            )

    def clean(self):
        cleaned = super().clean()
        course = cleaned.get("course")
        locale_id = self.instance.locale_id or getattr(self.parent_page, "locale_id", None)
        if course is not None and locale_id:
            taken = CoursePage.objects.filter(course=course, locale_id=locale_id).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error("course", _("This course already has a page in this language."))
        return cleaned


class CoursePage(CourseSectionWorkflowMixin, SeoPageMixin):
    """One course as the public sees it, in one language: description, cover, syllabus (the course's
    modules), facts, enrolment and Course JSON-LD. Its slug is the course's slug, in every language."""

    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.PROTECT,
        related_name="pages",
        help_text=_("The course this page presents: the same in every language."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A landscape picture at the top of the page and on the catalog card."),
    )
    description = StreamField(
        CourseDescriptionBlock(),
        blank=True,
        help_text=_("What students will learn, how the course runs, who it is for."),
    )
    faq = StreamField(
        [("faq_excerpt", FAQExcerptBlock())],
        blank=True,
        max_num=1,
        help_text=_("A few questions from the FAQ page, shown under the description."),
    )

    content_panels = [
        CoursePublishingPanel(),
        *SeoPageMixin.content_panels,
        FieldPanel("course"),
        CourseRecordPanel(),
        FieldPanel("cover_image"),
        FieldPanel("description"),
        FieldPanel("faq"),
    ]
    search_fields = [
        *SeoPageMixin.search_fields,
        index.SearchField("description"),
        index.RelatedFields("course", [index.SearchField("title"), index.SearchField("summary")]),
        index.FilterField("course"),
    ]
    override_translatable_fields = [
        SynchronizedField("slug", overridable=False),
        SynchronizedField("course", overridable=False),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types: list[str] = []
    base_form_class = CoursePageForm
    og_type = "website"
    # Its JSON-LD says whether seats are left, which enrolments change without a publish: built on
    # every request (the rest of the head is cached).
    cache_head = False

    class Meta:
        # One page per course and language: `locale` lives on Page's table, out of a constraint's
        # reach, so CoursePageForm and course_page_create check it.
        verbose_name = _("course page")

    # --- workflow: this page and its parent index --------------------------------------------

    @property
    def _index_depth(self) -> int:
        return self.depth - 1

    def _workflow_page_ids(self):
        parent = self.get_parent() if self.path else None
        return [self.pk, parent.pk if parent else None], (
            parent.translation_key if parent else None
        )

    # --- editing --------------------------------------------------------------------------------

    def full_clean(self, *args, **kwargs):
        # The slug is the course's: /courses/<course slug>/ in every language (Course.get_absolute_url).
        if self.course_id:
            from .models import Course

            self.slug = Course.objects.values_list("slug", flat=True).get(pk=self.course_id)
        return super().full_clean(*args, **kwargs)

    def summary_text(self) -> str:
        """The description's first text, for search results and the meta description (no query)."""
        for block in self.description or []:
            if block.block_type == "rich_text":
                return strip_tags(str(block.value))
            value = block.value
            if hasattr(value, "get") and value.get("text"):
                return strip_tags(str(value.get("text")))
        return ""

    def get_share_image(self):
        return self.share_image or self.cover_image

    def get_meta_description(self) -> str:
        # A translated page keeps the English summary it was created with (course_page_create
        # copies it): while it is still that, describe the page with the course's summary in the
        # page's language when the course has one. Only when serving (the course is loaded then):
        # search results must not load each page's course.
        course = self.__dict__.get("course_for_display")
        language = get_language()
        if (
            course is not None
            and language != settings.LANGUAGE_CODE
            and self.search_description == (course.summary or "")[:255]
        ):
            summary = course.translated("summary", language=language)
            if summary.language == language:
                return Truncator(" ".join(summary.split())).chars(160)
        return super().get_meta_description()

    # --- serving --------------------------------------------------------------------------------

    @cached_property
    def course_for_display(self):
        """The course with everything the page and its JSON-LD show, read once per request."""
        from .selectors import course_get_for_page

        return course_get_for_page(course_id=self.course_id)

    def serve(self, request, *args, **kwargs):
        from .selectors import can_manage_course

        course = self.course_for_display
        previewing = getattr(request, "is_preview", False)
        if not (course.is_published or previewing) and not can_manage_course(
            user=request.user, course=course
        ):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(course=self.course_for_display, user=request.user))
        return context

    def get_json_ld(self, request=None) -> list[dict]:
        from .selectors import course_json_ld

        return [course_json_ld(page=self, course=self.course_for_display, request=request)]
