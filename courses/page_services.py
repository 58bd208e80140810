"""Writes for course pages: the catalog page, a course's draft page when a teacher creates the course,
and publishing (directly, or through the course section's moderation workflow).

A course is published when one of its pages is published (Wagtail's `page_published` signal, so a
moderator's approval in the admin publishes the course too), and its pages are unpublished when
the course leaves the published status."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from authentication.models import User
from cplatform.exceptions import Conflict, NotFound

from .choices import CourseStatus
from .models import Course
from .pages import CATALOG_SLUG, CourseIndexPage, CoursePage
from .selectors import can_manage_course, course_index_get, course_page_get, default_locale_id
from .teacher_access import grant_teacher_permissions

PUBLISHED = "published"
SUBMITTED = "submitted"


def _home_page() -> Page | None:
    """The default site's root page (the home page) in the default language, or None."""
    site = Site.objects.select_related("root_page").order_by("-is_default_site", "pk").first()
    if site is None:
        return None
    home = site.root_page
    if home.locale_id != default_locale_id():
        home = Page.objects.filter(
            translation_key=home.translation_key, locale_id=default_locale_id()
        ).first()
    return home


def course_index_ensure() -> CourseIndexPage | None:
    """The default language's catalog page, made (live, under the home page) when missing, with the
    Teacher group's permission to add course pages under it. None on a site without a home page."""
    index = course_index_get()
    if index is None:
        home = _home_page()
        if home is None:
            return None
        index = CourseIndexPage(title=_("Courses"), slug=CATALOG_SLUG)
        home.add_child(instance=index)
        index.save_revision().publish()
        grant_teacher_permissions(global_apps, index.pk)
    return index


def course_page_create(*, course: Course, owner: User | None = None) -> CoursePage | None:
    """A draft page for a new course, owned by its teacher (who may then edit it in the admin), under
    the default language's catalog. None when the site has no catalog to put it in."""
    existing = course_page_get(course=course)
    if existing is not None:
        return existing
    index = course_index_ensure()
    if index is None:
        return None
    owner = owner or course.owner
    page = CoursePage(
        title=course.title,
        slug=course.slug,
        course=course,
        owner=owner,
        search_description=(course.summary or "")[:255],
        live=False,
    )
    Page.objects.get(pk=index.pk).add_child(instance=page)
    page.save_revision(user=owner, log_action=True)
    return page


def course_page_publish(*, actor: User, course: Course) -> str:
    """The teacher area's "Publish": publish the course's page (and with it the course), or, when
    the course section has a moderation workflow, submit the page to it. Returns PUBLISHED or
    SUBMITTED."""
    if not can_manage_course(user=actor, course=course):
        raise NotFound()
    with transaction.atomic():
        page = course_page_create(course=course, owner=course.owner)
        if page is None:
            raise Conflict(
                _("The site has no course catalog page yet."), code="catalog_page_missing"
            )
        page = CoursePage.objects.select_for_update().get(pk=page.pk)
        workflow = page.get_workflow()
        if workflow is not None:
            if page.workflow_in_progress:
                raise Conflict(
                    _("The course is already waiting for a moderator."),
                    code="moderation_in_progress",
                )
            if page.live and not page.has_unpublished_changes:
                return PUBLISHED
            page.save_revision(user=actor, log_action=True)
            workflow.start(page, actor)
            return SUBMITTED
        revision = page.latest_revision or page.save_revision(user=actor)
        # The teacher area decides (a teacher of the course, no workflow); Wagtail's page permissions
        # only govern the admin, where teachers may not publish.
        revision.publish(user=actor, skip_permission_checks=True)
    return PUBLISHED


def course_pages_unpublish(*, course: Course) -> None:
    """Take down the course's live pages (the course is no longer published)."""
    for page in CoursePage.objects.live().filter(course=course):
        page.unpublish()


# Signals (connected in CoursesConfig.ready) ---------------------------------------------------------


def on_page_published(sender, instance, **kwargs) -> None:
    if isinstance(instance, CoursePage):
        Course.objects.filter(pk=instance.course_id).exclude(status=CourseStatus.PUBLISHED).update(
            status=CourseStatus.PUBLISHED
        )


def on_page_unpublished(sender, instance, **kwargs) -> None:
    """The last live page of a published course taken down: the course goes back to draft."""
    if not isinstance(instance, CoursePage):
        return
    if not CoursePage.objects.live().filter(course_id=instance.course_id).exists():
        Course.objects.filter(pk=instance.course_id, status=CourseStatus.PUBLISHED).update(
            status=CourseStatus.DRAFT
        )


def course_publish_through_page(*, actor: User, course: Course) -> None:
    """A course saved as published (the teacher's form, the API) goes live through its page, so a
    moderation workflow cannot be skipped: until a moderator approves, the course stays a draft.
    On a site without a catalog page the status is kept as given."""
    if not can_manage_course(user=actor, course=course):
        raise NotFound()  # before the draft page is made, not only when publishing it
    page = course_page_create(course=course, owner=course.owner)
    if page is None:
        return
    if course_page_publish(actor=actor, course=course) == SUBMITTED:
        Course.objects.filter(pk=course.pk).update(status=CourseStatus.DRAFT)
        course.status = CourseStatus.DRAFT
