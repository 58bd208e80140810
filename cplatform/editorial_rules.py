"""Who runs the public site from the Wagtail admin, as data: the Editors and Moderators groups and
exactly what each may do, the "Marketing review" workflow and the django-q2 schedule that publishes
scheduled pages. `install(apps)` writes them (idempotent): the data migration
`cplatform/migrations/0001_editorial_workflow.py` runs it, and so does
`cplatform.editorial.ensure_editorial_setup` (the test suite, after a flush). An ordinary module, so
runtime code never imports a migration.
"""

from django.utils import timezone

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW = "Marketing review"
TASK = "Moderators approve"
SCHEDULE = "Publish scheduled pages"
SCHEDULE_FUNC = "cplatform.tasks.publish_scheduled_pages"

# (app_label, model, codename, name)
ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
SUBMIT_TRANSLATION = (
    "wagtail_localize",
    "translation",
    "submit_translation",
    "Can submit translations",
)


def _model_perms(model, *actions, app_label="wagtailcore"):
    return [(app_label, model, f"{a}_{model}", f"Can {a} {model}") for a in actions]


MODEL_PERMISSIONS = {
    EDITORS: [ACCESS_ADMIN, SUBMIT_TRANSLATION],
    MODERATORS: [
        ACCESS_ADMIN,
        SUBMIT_TRANSLATION,
        *_model_perms("redirect", "add", "change", "delete", app_label="wagtailredirects"),
    ],
}
# Granted on the root page, so they hold for every page of every locale.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
PAGE_PERMISSION_NAMES = {
    "add_page": "Can add page",
    "change_page": "Can change page",
    "publish_page": "Publish any page",
    "lock_page": "Lock/unlock pages you've locked",
    "unlock_page": "Unlock any page",
}
# Snippets the public site shows: their drafts go through the same review (Wagtail's
# WorkflowContentType), by (app_label, model) so that cplatform names no feature app's classes.
SNIPPET_WORKFLOW_MODELS = (
    ("home", "menu"),
    ("home", "testimonial"),
    ("blog", "blogauthor"),
    ("blog", "blogcategory"),
)
# Granted on the root collection.
COLLECTION_PERMISSIONS = {
    EDITORS: [
        *_model_perms("image", "add", "change", "choose", app_label="wagtailimages"),
        *_model_perms("document", "add", "change", "choose", app_label="wagtaildocs"),
    ],
    MODERATORS: [
        *_model_perms("image", "add", "change", "choose", "delete", app_label="wagtailimages"),
        *_model_perms("document", "add", "change", "choose", "delete", app_label="wagtaildocs"),
    ],
}


def permission_row(apps, app_label, model, codename, name):
    """The Permission (and its ContentType) with these names, made when missing; `apps` may be a
    migration's historical registry. Data migrations of other apps use it too."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def install(apps, schema_editor=None):
    """Idempotent: also used by the test suite to restore these rows after a flush."""
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes.ContentType")

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (EDITORS, MODERATORS)}

    for name, group in groups.items():
        group.permissions.set([permission_row(apps, *spec) for spec in MODEL_PERMISSIONS[name]])

        if root_page is not None:
            wanted = [
                permission_row(
                    apps, "wagtailcore", "page", codename, PAGE_PERMISSION_NAMES[codename]
                )
                for codename in PAGE_PERMISSIONS[name]
            ]
            GroupPagePermission.objects.filter(group=group, page=root_page).exclude(
                permission__in=wanted
            ).delete()
            for permission in wanted:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )

        if root_collection is not None:
            wanted = [permission_row(apps, *spec) for spec in COLLECTION_PERMISSIONS[name]]
            GroupCollectionPermission.objects.filter(
                group=group, collection=root_collection
            ).exclude(permission__in=wanted).delete()
            for permission in wanted:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )

    # The review: one task, approved by Moderators.
    Task = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = Task.objects.get_or_create(
        name=TASK, defaults={"content_type": task_type, "active": True}
    )
    task.groups.set([groups[MODERATORS]])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    # On the root (so a new locale's home page inherits it) and on every home page.
    for page in Page.objects.filter(depth__lte=2):
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    for app_label, model in SNIPPET_WORKFLOW_MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )
    # Wagtail's default "Moderators approval" workflow is superseded: retire it if nothing uses it.
    for old in Workflow.objects.exclude(pk=workflow.pk).filter(name="Moderators approval"):
        if not WorkflowPage.objects.filter(workflow=old).exists():
            old.active = False
            old.save(update_fields=["active"])

    Schedule = apps.get_model("django_q.Schedule")
    Schedule.objects.update_or_create(
        name=SCHEDULE,
        defaults={
            "func": SCHEDULE_FUNC,
            "schedule_type": "I",  # every `minutes` minutes
            "minutes": 1,
            "repeats": -1,
        },
        create_defaults={
            "func": SCHEDULE_FUNC,
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    )


def _raw(obj) -> dict:
    """A row as a revision stores it (modelcluster's serializable data, field by field)."""
    from django.core.serializers.json import DjangoJSONEncoder

    data = {"pk": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.serialize:
            value = field.value_from_object(obj)
            encode = value is not None and not isinstance(
                value, (str, int, float, bool, list, dict)
            )
            data[field.name] = DjangoJSONEncoder().default(value) if encode else value
    return data


def publish_existing_snippets(apps, app_label, model_name, *, object_str, children=None):
    """For a data migration that gives a snippet drafts: each existing row without a revision gets
    a first one (what the row holds, on raw fields, so the admin history is not empty and later
    drafts have something to compare with), marked live and published; and the "Marketing review"
    workflow is assigned to the model, so nothing an Editor saves goes live without a Moderator.

    `object_str(obj)` names a row as the admin's history does; `children` maps a child relation's
    name to a function giving a row's children (a ClusterableModel's inline rows) in order."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Revision = apps.get_model("wagtailcore.Revision")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    model = apps.get_model(app_label, model_name)
    now = timezone.now()

    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
    for obj in model.objects.filter(latest_revision__isnull=True):
        content = _raw(obj)
        content.update(live=True, has_unpublished_changes=False)
        content["first_published_at"] = content["last_published_at"] = now.isoformat()
        for name, rows in (children or {}).items():
            content[name] = [_raw(row) for row in rows(obj)]
        revision = Revision.objects.create(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(obj.pk),
            created_at=now,
            object_str=object_str(obj),
            content=content,
        )
        model.objects.filter(pk=obj.pk).update(
            live=True,
            has_unpublished_changes=False,
            latest_revision=revision,
            live_revision=revision,
            first_published_at=now,
            last_published_at=now,
        )
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is not None:
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )
