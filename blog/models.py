"""The blog: an index page per locale with its posts, their authors, categories and tags."""

from __future__ import annotations

import math

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from cplatform.pages import SeoPageMixin
from cplatform.validators import validate_multiline_text, validate_single_line

from .blocks import BlogStreamBlock

WORDS_PER_MINUTE = 200
POSTS_PER_PAGE = 10


class BlogAuthor(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    models.Model,
):
    """Who wrote a post: a snippet, so one author serves many posts. Translatable, so the bio reads
    in the post's language; optionally the public face of one of our teachers. Edits are drafts
    until published (by a Moderator, through the Marketing review): the site shows the live version
    only, and a post whose author was never published shows no author."""

    name = models.CharField(
        max_length=120,
        help_text=_("As it appears under the post title."),
        validators=[validate_single_line],
    )
    role = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("A few words under the name, e.g. “Spanish teacher” or “Editor”."),
        validators=[validate_single_line],
    )
    bio = models.TextField(
        blank=True,
        max_length=1000,
        help_text=_("Two or three sentences about the author."),
        validators=[validate_multiline_text],
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A square portrait works best (at least 200 × 200 px)."),
    )
    teacher = models.ForeignKey(
        "classroom.TeacherProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="blog_authors",
        help_text=_("When the author is one of our teachers, posts link to their public profile."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("teacher"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("blog author")
        verbose_name_plural = _("blog authors")

    def __str__(self) -> str:
        return self.name

    def get_preview_template(self, request, mode_name):
        return "blog/previews/author.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["author"] = self
        return context

    def teacher_is_listed(self) -> bool:
        """Only a public, approved teacher has a profile page to link to (needs `teacher` loaded)."""
        teacher = self.teacher
        return bool(teacher and teacher.is_public and teacher.is_approved)


class BlogCategory(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    models.Model,
):
    """A broad section of the blog (“Learning tips”, “School news”); a post has one or more.
    Translatable: each locale has its own name and slug, tied by the translation key. Edits are
    drafts until published (through the Marketing review): a category never published is neither
    listed nor linked, and its address is not found."""

    name = models.CharField(max_length=80, validators=[validate_single_line])
    slug = models.SlugField(
        max_length=80,
        allow_unicode=True,
        help_text=_("The category's address: /blog/category/<slug>/. Unique per language."),
        validators=[validate_single_line],
    )
    description = models.TextField(
        blank=True,
        max_length=500,
        help_text=_("Shown at the top of the category's listing."),
        validators=[validate_multiline_text],
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("blog category")
        verbose_name_plural = _("blog categories")
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="blog_category_slug_per_locale")
        ]

    def __str__(self) -> str:
        return self.name

    def get_preview_template(self, request, mode_name):
        return "blog/previews/category.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["active_category"] = self
        return context


class BlogPageTag(TaggedItemBase):
    """The through model of a post's tags (taggit's tags, shared by every locale)."""

    content_object = ParentalKey(
        "blog.BlogPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class BlogIndexPage(RoutablePageMixin, SeoPageMixin):
    """The blog's front page, one per locale under the home page: lists its live posts, newest
    first, ten a page, filtered by tag or category; serves RSS and Atom feeds."""

    intro = models.TextField(
        blank=True,
        max_length=500,
        help_text=_("One or two sentences above the list of posts."),
        validators=[validate_multiline_text],
    )

    content_panels = [*SeoPageMixin.content_panels, FieldPanel("intro")]
    search_fields = [*SeoPageMixin.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["blog.BlogPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("blog index page")

    def summary_text(self) -> str:
        return self.intro

    # --- listing ------------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        from .selectors import (
            blog_attach_categories,
            blog_category_get,
            blog_category_list_for_index,
            blog_post_list,
            blog_tag_get,
            blog_tag_list_for_index,
        )

        context = super().get_context(request, *args, **kwargs)
        # A route (/tag/<slug>/, /category/<slug>/) passes the tag or category it found; the
        # ?tag= / ?category= parameters name them by slug.
        tag = kwargs.get("tag")
        tag_slug = tag.slug if tag is not None else request.GET.get("tag", "")
        if tag is None and tag_slug:
            tag = blog_tag_get(slug=tag_slug)
        category = kwargs.get("category")
        category_slug = category.slug if category is not None else request.GET.get("category", "")
        if category is None and category_slug:
            category = blog_category_get(slug=category_slug, locale_id=self.locale_id)

        def listing():
            posts = blog_post_list(
                index=self,
                tag_slug=tag_slug or None,
                category=category,
                unknown_category=bool(category_slug and category is None),
            )
            page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
            page.object_list = blog_attach_categories(
                posts=list(page.object_list), locale_id=self.locale_id
            )
            return page

        filter_query = self._filter_query(request, kwargs)
        # The listing, tags and categories are read when the template renders them: a cached
        # listing (blog_index_page.html, `listing_cache_key`) needs none of them.
        context.update(
            posts=SimpleLazyObject(listing),
            active_tag=tag,
            active_tag_slug=tag_slug,
            active_category=category,
            tags=SimpleLazyObject(lambda: blog_tag_list_for_index(index=self)),
            categories=SimpleLazyObject(lambda: blog_category_list_for_index(index=self)),
            feeds=self.feed_links(tag=tag),
            filter_query=filter_query,
            listing_cache_key=self._listing_cache_key(request, tag, category, filter_query),
        )
        return context

    def _listing_cache_key(self, request, tag, category, filter_query: str) -> str:
        """What the cached listing varies by (with the page state, site, language and content
        version), or "" when it is not cached. Only known filters are cached, so that made-up query
        strings cannot fill the cache: parameters `page` (a number), `tag` and `category` (each
        naming one that exists), each at most once."""
        params = request.GET
        page = params.get("page", "1")
        if (
            set(params) - {"page", "tag", "category"}
            or any(len(params.getlist(name)) > 1 for name in params)
            or not page.isdigit()
            or len(page) > 4
            or ("tag" in params and tag is None)
            or ("category" in params and category is None)
        ):
            return ""
        return (
            f"{tag.pk if tag else ''}:{category.pk if category else ''}:{int(page)}:{filter_query}"
        )

    @staticmethod
    def _filter_query(request, kwargs) -> str:
        """The query string the pagination links keep (filters given as parameters, not `page`)."""
        query = request.GET.copy()
        query.pop("page", None)
        for name in ("tag", "category"):
            if kwargs.get(name):
                query.pop(name, None)
        return query.urlencode()

    def feed_links(self, tag=None) -> list[dict]:
        """(type, title, absolute URL) of the feeds for <link rel="alternate"> and the page."""
        base = self.get_full_url() or ""
        links = [
            {
                "type": "application/rss+xml",
                "title": f"{self.title} (RSS)",
                "url": base + "feed/rss/",
            },
            {
                "type": "application/atom+xml",
                "title": f"{self.title} (Atom)",
                "url": base + "feed/atom/",
            },
        ]
        if tag is not None:
            prefix = f"{base}tag/{tag.slug}/feed/"
            links += [
                {
                    "type": "application/rss+xml",
                    "title": f"{self.title} · {tag.name} (RSS)",
                    "url": prefix + "rss/",
                },
                {
                    "type": "application/atom+xml",
                    "title": f"{self.title} · {tag.name} (Atom)",
                    "url": prefix + "atom/",
                },
            ]
        return links

    def tag_url(self, tag) -> str:
        return f"{self.url}tag/{tag.slug}/"

    def category_url(self, category) -> str:
        return f"{self.url}category/{category.slug}/"

    # --- routes -------------------------------------------------------------------------------

    @path("")
    def index_view(self, request):
        return self._render_listing(request)

    @path("tag/<str:tag>/", name="tag")
    def tag_view(self, request, tag):
        from .selectors import blog_tag_get

        tag_obj = blog_tag_get(slug=tag)
        if tag_obj is None:
            raise Http404
        return self._render_listing(request, tag=tag_obj)

    @path("category/<str:category>/", name="category")
    def category_view(self, request, category):
        from .selectors import blog_category_get

        category_obj = blog_category_get(slug=category, locale_id=self.locale_id)
        if category_obj is None:
            raise Http404
        return self._render_listing(request, category=category_obj)

    @re_path(r"^feed/(?P<kind>rss|atom)/$", name="feed")
    def feed_view(self, request, kind):
        from .feeds import blog_feed_response

        return blog_feed_response(request, index=self, kind=kind)

    @re_path(r"^tag/(?P<tag>[^/]+)/feed/(?P<kind>rss|atom)/$", name="tag_feed")
    def tag_feed_view(self, request, tag, kind):
        from .feeds import blog_feed_response
        from .selectors import blog_tag_get

        tag_obj = blog_tag_get(slug=tag)
        if tag_obj is None:
            raise Http404
        return blog_feed_response(request, index=self, kind=kind, tag=tag_obj)

    def _render_listing(self, request, **kwargs):
        return TemplateResponse(
            request,
            self.get_template(request, **kwargs),
            self.get_context(request, **kwargs),
        )


class BlogPageForm(WagtailAdminPageForm):
    """Offers only the categories of the post's own language (plus any it already has)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("categories")
        if field is None:
            return
        locale_id = self.instance.locale_id or getattr(self.parent_page, "locale_id", None)
        if locale_id:
            chosen = self.instance.categories.all() if self.instance.pk else []
            field.queryset = BlogCategory.objects.filter(
                models.Q(locale_id=locale_id) | models.Q(pk__in=[c.pk for c in chosen])
            )

    def clean(self):
        """A post scheduled (its go-live time set or moved) takes the go-live day as its date,
        unless the date was changed in the same save: the date readers see is the day it appeared,
        not the day it was written."""
        cleaned = super().clean()
        go_live_at = cleaned.get("go_live_at")
        # Compared with the page as it was (the form's `changed_data` would count the date as
        # changed whenever the hidden initial of its callable default is not posted back).
        if (
            go_live_at
            and go_live_at != self.instance.go_live_at
            and "date" in self.fields
            and cleaned.get("date") == self.instance.date
        ):
            cleaned["date"] = timezone.localdate(go_live_at)
        return cleaned


class BlogPage(SeoPageMixin):
    """One blog post: written by an author, dated, tagged and filed in categories; its body is
    built from blocks. Lives only under a blog index of the same locale."""

    author = models.ForeignKey(
        BlogAuthor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        help_text=_("Pick the author, or add one under Blog › Authors."),
    )
    date = models.DateField(
        _("post date"),
        default=timezone.localdate,
        help_text=_(
            "Shown on the post and used to order the blog (newest first). Scheduling the post "
            "(setting or moving its go-live time) sets it to the go-live day, unless you change "
            "the date in the same save."
        ),
    )
    intro = models.TextField(
        max_length=500,
        help_text=_("A summary in one or two sentences: shown in lists, feeds and search results."),
        validators=[validate_multiline_text],
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The picture at the top of the post and in lists. Landscape, 1600 px wide."),
    )
    body = StreamField(BlogStreamBlock(), blank=True, help_text=_("The post itself."))
    tags = ClusterTaggableManager(
        through=BlogPageTag,
        blank=True,
        help_text=_("A few keywords; readers can follow a tag and its feed."),
    )
    categories = ParentalManyToManyField(
        BlogCategory,
        blank=True,
        related_name="blog_pages",
        help_text=_("The sections of the blog this post belongs to."),
    )
    reading_time = models.PositiveSmallIntegerField(
        default=1,
        editable=False,
        help_text=_("Minutes, from the word count of the intro and body (200 words a minute)."),
    )

    content_panels = [
        *SeoPageMixin.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("date"),
                FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("About this post"),
        ),
    ]
    search_fields = [
        *SeoPageMixin.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types: list[str] = []
    base_form_class = BlogPageForm
    og_type = "article"

    class Meta:
        verbose_name = _("blog post")

    def summary_text(self) -> str:
        return self.intro

    def get_content_image(self):
        return self.hero_image

    @property
    def shown_author(self) -> BlogAuthor | None:
        """The author as the site shows them: the live row (a live author's drafts wait in its
        revisions), or None while the author has never been published (or was unpublished)."""
        if self.author_id is None:
            return None
        author = self.author
        return author if author is not None and author.live else None

    @cached_property
    def tag_list(self) -> list:
        """The post's tags, read once per request (the page, its JSON-LD)."""
        return list(self.tags.all())

    # --- reading time -------------------------------------------------------------------------

    def word_count(self) -> int:
        stream_block = type(self)._meta.get_field("body").stream_block
        texts = [self.intro, *stream_block.get_searchable_content(self.body)]
        return sum(len(strip_tags(str(text)).split()) for text in texts)

    def compute_reading_time(self) -> int:
        return max(1, math.ceil(self.word_count() / WORDS_PER_MINUTE))

    def save(self, *args, **kwargs):
        self.reading_time = self.compute_reading_time()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "reading_time"}
        return super().save(*args, **kwargs)

    # --- page ---------------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        from .selectors import blog_categories_in_locale, blog_post_related

        context = super().get_context(request, *args, **kwargs)
        index = self.get_parent().specific_deferred
        # Read when the template renders them: the post's cached fragment (blog_page.html) needs
        # none of them.
        context.update(
            blog_index=index,
            post_categories=SimpleLazyObject(
                lambda: blog_categories_in_locale(
                    categories=list(self.categories.all()), locale_id=self.locale_id
                )
            ),
            post_tags=SimpleLazyObject(lambda: self.tag_list),
            related_posts=SimpleLazyObject(lambda: blog_post_related(post=self)),
            feeds=index.feed_links() if isinstance(index, BlogIndexPage) else [],
        )
        return context

    def get_json_ld(self, request=None) -> list[dict]:
        url = self.get_full_url(request)
        data: dict = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": self.title[:110],
            "description": self.get_meta_description(),
            "datePublished": self.date.isoformat(),
            "dateModified": (
                self.last_published_at or self.latest_revision_created_at or timezone.now()
            ).isoformat(),
            "inLanguage": self.locale.language_code,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "url": url,
            "wordCount": self.word_count(),
            "timeRequired": f"PT{self.reading_time}M",
        }
        author = self.shown_author
        if author is not None:
            person: dict = {"@type": "Person", "name": author.name}
            if author.role:
                person["jobTitle"] = author.role
            if author.teacher_is_listed():
                from django.urls import reverse

                from cplatform.pages import absolute_url

                person["url"] = absolute_url(reverse("teacher-detail", args=[author.teacher.slug]))
            data["author"] = person
        image_url, width, height = self.get_share_image_url(request)
        if image_url:
            data["image"] = {
                "@type": "ImageObject",
                "url": image_url,
                "width": width,
                "height": height,
            }
        keywords = [tag.name for tag in self.tag_list]
        if keywords:
            data["keywords"] = ", ".join(keywords)
        return [data]
