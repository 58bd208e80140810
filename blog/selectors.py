"""Reads for the blog. Every listing costs a fixed number of queries, however many posts, tags,
categories or authors it shows (select_related / prefetch, renditions prefetched).

Authors and categories have drafts: the site shows live ones only. A live row holds the published
version (drafts wait in its revisions); a category never published is neither listed, linked nor
found by its address, and a post shows no author while its author has never been published
(`BlogPage.shown_author`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from .models import BlogCategory, BlogIndexPage, BlogPage, BlogPageTag

LIST_IMAGE_FILTER = "fill-640x360"
FEED_ITEMS = 20
RELATED_POSTS = 3


def _live_posts(*, index: BlogIndexPage) -> QuerySet[BlogPage]:
    """The index's published posts that anyone may read. Restrictions above a post also cover the
    index, which Wagtail checks before serving it (its feeds too), so only the posts' own matter:
    a subquery rather than `.public()`, which fetches every restriction in the site each time."""
    return (
        BlogPage.objects.child_of(index)
        .live()
        .exclude(pk__in=PageViewRestriction.objects.values("page_id"))
    )


def _with_listing_data(posts: QuerySet[BlogPage]) -> QuerySet[BlogPage]:
    images = get_image_model().objects.prefetch_renditions(LIST_IMAGE_FILTER)
    return posts.select_related("author", "locale").prefetch_related(
        Prefetch("hero_image", queryset=images),
        Prefetch("tagged_items", queryset=BlogPageTag.objects.select_related("tag")),
        Prefetch("categories", queryset=BlogCategory.objects.filter(live=True)),
    )


def _filtered(
    posts: QuerySet[BlogPage],
    *,
    tag_slug: str | None = None,
    category: BlogCategory | None = None,
    unknown_category: bool = False,
) -> QuerySet[BlogPage]:
    if tag_slug:
        posts = posts.filter(
            pk__in=BlogPageTag.objects.filter(tag__slug=tag_slug).values("content_object_id")
        )
    if unknown_category:
        return posts.none()
    if category is not None:
        posts = posts.filter(
            pk__in=BlogPage.categories.through.objects.filter(
                blogcategory__translation_key=category.translation_key
            ).values("blogpage_id")
        )
    return posts


NEWEST_FIRST = ("-date", "-first_published_at", "-pk")


def blog_post_list(
    *,
    index: BlogIndexPage,
    tag_slug: str | None = None,
    category: BlogCategory | None = None,
    unknown_category: bool = False,
) -> QuerySet[BlogPage]:
    """The index's live posts, newest first, optionally only those with a tag (by slug) or in a
    category (in any language: a post may point at the category's translation)."""
    posts = _filtered(
        _live_posts(index=index),
        tag_slug=tag_slug,
        category=category,
        unknown_category=unknown_category,
    )
    return _with_listing_data(posts).order_by(*NEWEST_FIRST)


def blog_feed_post_list(*, index: BlogIndexPage, tag: Tag | None = None) -> list[BlogPage]:
    """The newest live posts of the index (and tag) for its feeds: with authors and tags, without
    the images and categories a feed does not show."""
    posts = _filtered(_live_posts(index=index), tag_slug=tag.slug if tag else None)
    posts = posts.select_related("author").prefetch_related(
        Prefetch("tagged_items", queryset=BlogPageTag.objects.select_related("tag"))
    )
    return list(posts.order_by(*NEWEST_FIRST)[:FEED_ITEMS])


def blog_post_related(*, post: BlogPage, limit: int = RELATED_POSTS) -> list[BlogPage]:
    """Live posts of the same locale sharing the most tags and categories with `post`, newest first
    among equals; never `post` itself. One query for the posts (plus the listing's prefetches)."""
    if post.pk is None:
        return []
    through = BlogPage.categories.through
    own_tags = BlogPageTag.objects.filter(content_object_id=post.pk).values("tag_id")
    own_category_keys = through.objects.filter(blogpage_id=post.pk).values(
        "blogcategory__translation_key"
    )
    shared_tags = (
        BlogPageTag.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=own_tags)
        .order_by()
        .values("content_object_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    shared_categories = (
        through.objects.filter(
            blogpage_id=OuterRef("pk"), blogcategory__translation_key__in=own_category_keys
        )
        .order_by()
        .values("blogpage_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    posts = (
        BlogPage.objects.live()
        .public()
        .filter(locale_id=post.locale_id)
        .exclude(pk=post.pk)
        .annotate(
            shared=Coalesce(Subquery(shared_tags, output_field=IntegerField()), 0)
            + Coalesce(Subquery(shared_categories, output_field=IntegerField()), 0)
        )
        .filter(shared__gt=0)
    )
    posts = _with_listing_data(posts).order_by("-shared", *NEWEST_FIRST)
    return blog_attach_categories(posts=list(posts[:limit]), locale_id=post.locale_id)


def blog_tag_get(*, slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


def blog_category_get(*, slug: str, locale_id: int) -> BlogCategory | None:
    """The category with this slug, preferring the given locale's (a slug of another language
    still finds its category)."""
    return (
        BlogCategory.objects.filter(slug=slug, live=True)
        .order_by(Case(When(locale_id=locale_id, then=0), default=1), "pk")
        .first()
    )


def blog_tag_list_for_index(*, index: BlogIndexPage) -> list[Tag]:
    """Tags used by the index's live posts, by name. One query."""
    return list(
        Tag.objects.filter(
            pk__in=BlogPageTag.objects.filter(
                content_object__in=_live_posts(index=index).values("pk")
            ).values("tag_id")
        ).order_by("name")
    )


def blog_category_list_for_index(*, index: BlogIndexPage) -> list[BlogCategory]:
    """The index locale's live categories that have at least one live post in the index. One
    query."""
    keys = BlogPage.categories.through.objects.filter(
        blogpage_id__in=_live_posts(index=index).values("pk")
    ).values("blogcategory__translation_key")
    return list(
        BlogCategory.objects.filter(locale_id=index.locale_id, translation_key__in=keys, live=True)
    )


def blog_categories_in_locale(
    *, categories: Iterable[BlogCategory], locale_id: int
) -> list[BlogCategory]:
    """The given live categories in `locale_id`'s language where a live translation exists (a
    translated post still points at the source page's categories). At most one query."""
    categories = [c for c in categories if c.live]
    foreign = {c.translation_key for c in categories if c.locale_id != locale_id}
    translated = {}
    if foreign:
        translated = {
            c.translation_key: c
            for c in BlogCategory.objects.filter(
                locale_id=locale_id, translation_key__in=foreign, live=True
            )
        }
    seen, result = set(), []
    for category in categories:
        shown = translated.get(category.translation_key, category)
        if shown.translation_key not in seen:
            seen.add(shown.translation_key)
            result.append(shown)
    return sorted(result, key=lambda c: c.name.casefold())


def blog_attach_categories(*, posts: list[BlogPage], locale_id: int) -> list[BlogPage]:
    """Set `display_categories` on each post (prefetched `categories`, in the locale's language),
    with one query for all the posts together."""
    linked = {post.pk: list(post.categories.all()) for post in posts}
    localized = {
        c.translation_key: c
        for c in blog_categories_in_locale(
            categories=[c for cats in linked.values() for c in cats], locale_id=locale_id
        )
    }
    for post in posts:
        keys = dict.fromkeys(c.translation_key for c in linked[post.pk])
        post.display_categories = [localized[k] for k in keys if k in localized]
    return posts
