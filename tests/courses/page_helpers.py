"""Course pages for tests: a course with its live page, its Spanish translation, and thousands of
pages at once (bulk rows, for query budgets)."""

from __future__ import annotations

import json
import uuid

from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from wagtail.models import Locale, Page

from courses.models import Course
from courses.page_services import course_index_ensure, course_page_create
from courses.pages import CourseIndexPage, CoursePage, catalog_listing_changed
from tests.courses.factories import CourseFactory


def catalog() -> CourseIndexPage:
    return course_index_ensure()


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def live_course(**kwargs) -> Course:
    """A course (CourseFactory, published unless told) with its live English page as `course.page`.
    Publishing a page publishes its course, so another status is put back afterwards."""
    status = kwargs.get("status")
    course = CourseFactory(**kwargs)
    course.page = publish(course_page_create(course=course))
    if status is not None:
        Course.objects.filter(pk=course.pk).update(status=status)
        course.status = status
    return course


def spanish() -> Locale:
    return Locale.objects.get(language_code="es")


def translate_page(page: Page, title: str | None = None) -> Page:
    """The Spanish copy of `page` (its parents copied first when missing), live."""
    locale = spanish()
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    for ancestor in page.get_ancestors().filter(depth__gte=2).specific():
        if ancestor.get_translation_or_none(locale) is None:
            publish(ancestor.copy_for_translation(locale))
    copy = page.specific.copy_for_translation(locale)
    if title:
        copy.title = title
    return publish(copy)


def json_ld(html: str) -> list[dict]:
    soup = BeautifulSoup(html, "html.parser")
    return [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]


def bulk_live_course_pages(courses: list[Course], index: CourseIndexPage) -> None:
    """Live English pages for many courses in three statements (Page rows, CoursePage rows, the
    index's child count): treebeard paths computed as Wagtail's `add_child` would."""
    index = CourseIndexPage.objects.get(pk=index.pk)
    content_type = ContentType.objects.get_for_model(CoursePage)
    last = (
        Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    start = Page._str2int(last[-Page.steplen :]) if last else 0
    now = timezone.now()
    rows = [
        Page(
            title=course.title,
            draft_title=course.title,
            slug=course.slug,
            content_type=content_type,
            path=index.path + Page._int2str(start + n + 1).rjust(Page.steplen, "0"),
            depth=index.depth + 1,
            numchild=0,
            url_path=f"{index.url_path}{course.slug}/",
            locale_id=index.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
        )
        for n, course in enumerate(courses)
    ]
    Page.objects.bulk_create(rows, batch_size=500)
    created = dict(
        Page.objects.filter(
            path__startswith=index.path, depth=index.depth + 1, content_type=content_type
        )
        .exclude(coursepage__isnull=False)
        .values_list("slug", "pk")
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {CoursePage._meta.db_table} "  # noqa: S608 - our own table name
            "(page_ptr_id, course_id, description, faq) VALUES (%s, %s, %s, %s)",
            [(created[c.slug], c.pk, "[]", "[]") for c in courses],
        )
    Page.objects.filter(pk=index.pk).update(numchild=index.numchild + len(courses))
    # Raw rows send no signal: the catalog's cached results learn of them as of a publish.
    catalog_listing_changed()
