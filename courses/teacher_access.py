"""What teachers may do in the Wagtail admin: enter it, add course pages under the catalog (Wagtail's
"add" permission also lets them edit the pages they own, and only those; they publish nothing there),
and add and choose images in the root collection.

`grant_teacher_permissions(apps, index_id)` writes it (idempotent): the data migration
`courses/migrations/0004_course_catalog_page.py` runs it with the historical models, and
`courses.page_services.course_index_ensure` with the live ones when the catalog page is made again
(a flushed test database, a site whose editor deleted it). An ordinary module, so runtime code never
imports a migration.
"""

from cplatform.editorial_rules import permission_row

TEACHER = "Teacher"


def grant_teacher_permissions(apps, index_id) -> None:
    """Idempotent; also called at run time when the catalog page is made again (a flushed test
    database, a site whose editor deleted it)."""
    Group = apps.get_model("auth.Group")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore.Collection")
    teachers, _ = Group.objects.get_or_create(name=TEACHER)
    teachers.permissions.add(
        permission_row(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    )
    if index_id is not None:
        add_page = permission_row(apps, "wagtailcore", "page", "add_page", "Can add page")
        GroupPagePermission.objects.get_or_create(
            group=teachers, page_id=index_id, permission=add_page
        )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for action in ("add", "choose"):
            GroupCollectionPermission.objects.get_or_create(
                group=teachers,
                collection=root_collection,
                permission=permission_row(
                    apps, "wagtailimages", "image", f"{action}_image", f"Can {action} image"
                ),
            )
