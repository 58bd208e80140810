"""Cache invalidation: what the cached chrome and page bodies show has changed, so the version of
that cache moves on (see home/cache.py for what is cached under which version).

Each handler bumps at once and again when the transaction commits: the first makes the change
visible to this request, the second stops a request that ran in between from caching what was
there before the commit."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from . import cache as site_cache
from .models import Menu, MenuItem, SiteSettings, Testimonial

# What a teacher card shows of the user (name, avatar) and who is listed (active).
USER_FIELDS_SHOWN = frozenset({"first_name", "last_name", "display_name", "avatar", "is_active"})


def _bump(*scopes: str) -> None:
    site_cache.bump(*scopes)
    transaction.on_commit(partial(site_cache.bump, *scopes))


def invalidate_all(**kwargs) -> None:
    _bump(site_cache.CHROME, site_cache.CONTENT)


def invalidate_content(**kwargs) -> None:
    _bump(site_cache.CONTENT)


page_published.connect(invalidate_all, dispatch_uid="home-cache-page-published")
page_unpublished.connect(invalidate_all, dispatch_uid="home-cache-page-unpublished")
post_page_move.connect(invalidate_all, dispatch_uid="home-cache-page-moved")
post_delete.connect(invalidate_all, sender=Page, dispatch_uid="home-cache-page-deleted")

for _model in (Site, get_image_model()):
    post_save.connect(
        invalidate_all, sender=_model, dispatch_uid=f"home-cache-save-{_model.__name__}"
    )
    post_delete.connect(
        invalidate_all, sender=_model, dispatch_uid=f"home-cache-delete-{_model.__name__}"
    )


@receiver(post_save, sender=SiteSettings, dispatch_uid="home-cache-settings-saved")
def site_settings_saved(sender, instance, created=False, **kwargs):
    # The first read of the settings creates an empty row: nothing shown changes.
    if not created:
        invalidate_all()


post_delete.connect(invalidate_all, sender=SiteSettings, dispatch_uid="home-cache-settings-deleted")

# Menus and testimonials have drafts: the site shows their live row, which changes when a revision
# is published (the row is saved whole), unpublished or deleted. Saving a draft of a live one only
# records the revision (the row's bookkeeping fields), locking only the lock: nothing shown moves.
REVISION_BOOKKEEPING = frozenset(
    {
        "latest_revision",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "go_live_at",
        "expire_at",
    }
)


def _shown_change(instance, update_fields) -> bool:
    if update_fields is not None and set(update_fields) <= REVISION_BOOKKEEPING:
        return False
    return bool(instance.live)


@receiver(post_save, sender=Menu, dispatch_uid="home-cache-save-Menu")
def menu_saved(sender, instance, update_fields=None, **kwargs):
    if _shown_change(instance, update_fields):
        invalidate_all()


@receiver(post_save, sender=MenuItem, dispatch_uid="home-cache-save-MenuItem")
def menu_item_saved(sender, instance, **kwargs):
    # Items are saved with their menu (a draft of a live menu saves none of them).
    if instance.menu.live:
        invalidate_all()


@receiver(post_save, sender=Testimonial, dispatch_uid="home-cache-testimonial")
def testimonial_saved(sender, instance, update_fields=None, **kwargs):
    if _shown_change(instance, update_fields):
        invalidate_content()


for _model in (Menu, MenuItem):
    post_delete.connect(
        invalidate_all, sender=_model, dispatch_uid=f"home-cache-delete-{_model.__name__}"
    )
post_delete.connect(
    invalidate_content, sender=Testimonial, dispatch_uid="home-cache-testimonial-del"
)
# Unpublishing saves the row with live=False: the save handlers above let it pass, these catch it.
published.connect(invalidate_all, sender=Menu, dispatch_uid="home-cache-menu-published")
unpublished.connect(invalidate_all, sender=Menu, dispatch_uid="home-cache-menu-unpublished")
published.connect(
    invalidate_content, sender=Testimonial, dispatch_uid="home-cache-testimonial-published"
)
unpublished.connect(
    invalidate_content, sender=Testimonial, dispatch_uid="home-cache-testimonial-unpublished"
)


# What cached page heads (site_tags._page_head: a post's JSON-LD names its author and tags) and the
# blog's cached post and listing fragments show of the blog's snippets. Named by label, so that
# home does not import the blog. Authors and categories have drafts, like menus: a draft of a live
# one or a new one never published changes nothing shown; publishing, unpublishing or deleting does.
BLOG_SNIPPETS = frozenset({"blog.BlogAuthor", "blog.BlogCategory"})


def blog_snippet_saved(sender, instance, update_fields=None, **kwargs):
    if _shown_change(instance, update_fields):
        invalidate_content()


def blog_snippet_published(sender, **kwargs):
    # Wagtail's published / unpublished are plain signals: the sender is the model.
    if getattr(getattr(sender, "_meta", None), "label", None) in BLOG_SNIPPETS:
        invalidate_content()


for _label in BLOG_SNIPPETS:
    post_save.connect(blog_snippet_saved, sender=_label, dispatch_uid=f"home-cache-save-{_label}")
    post_delete.connect(
        invalidate_content, sender=_label, dispatch_uid=f"home-cache-delete-{_label}"
    )
published.connect(blog_snippet_published, dispatch_uid="home-cache-blog-snippet-published")
unpublished.connect(blog_snippet_published, dispatch_uid="home-cache-blog-snippet-unpublished")
post_save.connect(
    invalidate_content, sender="taggit.Tag", dispatch_uid="home-cache-save-taggit.Tag"
)
post_delete.connect(
    invalidate_content, sender="taggit.Tag", dispatch_uid="home-cache-delete-taggit.Tag"
)


def _connect_teachers() -> None:
    """Teacher list blocks show listed teachers live from classroom: follow what decides the list."""
    from django.contrib.auth import get_user_model

    from classroom.models import TeacherProfile

    post_save.connect(invalidate_content, sender=TeacherProfile, dispatch_uid="home-cache-teacher")
    post_delete.connect(
        invalidate_content, sender=TeacherProfile, dispatch_uid="home-cache-teacher-deleted"
    )
    for relation in (TeacherProfile.subjects, TeacherProfile.levels, TeacherProfile.languages):
        m2m_changed.connect(
            invalidate_content,
            sender=relation.through,
            dispatch_uid=f"home-cache-teacher-{relation.field.name}",
        )
    # Only holders of the Teacher role are listed.
    m2m_changed.connect(
        invalidate_content,
        sender=get_user_model().groups.through,
        dispatch_uid="home-cache-user-groups",
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="home-cache-user-saved")
def user_saved(sender, instance, update_fields=None, **kwargs):
    # Logins save last_login only: that changes nothing shown.
    if update_fields is None or USER_FIELDS_SHOWN & set(update_fields):
        invalidate_content()


_connect_teachers()
