"""The course catalog page (/courses/, under the default language's home page) and what teachers may
do in the Wagtail admin: enter it, and add course pages under the catalog. Wagtail's "add"
permission also lets a user edit the pages they own, and only those: a teacher edits their own
course pages, never another teacher's, and publishes nothing there (no "change" / "publish").
Their course images: add and choose images in the root collection.
"""

import uuid

from django.db import migrations
from django.utils import timezone

from courses.teacher_access import grant_teacher_permissions

CATALOG_SLUG = "courses"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, as Wagtail configures it
STEPLEN = 4


def _next_child_path(Page, parent) -> str:
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    if last is None:
        step = 1
    else:
        step = int(last[-STEPLEN:], len(ALPHABET)) + 1
    digits = ""
    while step:
        step, rest = divmod(step, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return parent.path + digits.rjust(STEPLEN, "0")


def create_catalog(apps, schema_editor):
    from django.conf import settings

    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    CourseIndexPage = apps.get_model("courses.CourseIndexPage")
    HomePage = apps.get_model("home.HomePage")

    index = CourseIndexPage.objects.order_by("path").first()
    if index is None:
        home = (
            HomePage.objects.filter(depth=2, locale__language_code=settings.LANGUAGE_CODE)
            .order_by("path")
            .first()
        )
        if home is None or Page.objects.filter(
            path__startswith=home.path, depth=3, slug=CATALOG_SLUG
        ).exists():
            grant_teacher_permissions(apps, None)
            return
        content_type, _ = ContentType.objects.get_or_create(
            app_label="courses", model="courseindexpage"
        )
        now = timezone.now()
        index = CourseIndexPage.objects.create(
            title="Courses",
            draft_title="Courses",
            slug=CATALOG_SLUG,
            content_type=content_type,
            path=_next_child_path(Page, home),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{CATALOG_SLUG}/",
            locale_id=home.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            intro="",
        )
        Page.objects.filter(pk=home.pk).update(
            numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
        )
    grant_teacher_permissions(apps, index.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_course_pages"),
        ("home", "0002_initial_site"),
        ("authentication", "0002_role_groups"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_catalog, migrations.RunPython.noop)]
