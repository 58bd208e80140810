"""Existing menus and testimonials keep showing: each gets a first revision (what the row holds, on
raw fields, so the admin history is not empty and later drafts have something to compare with),
marked live and published; and the "Marketing review" workflow is assigned to both models, so
nothing an Editor saves goes live without a Moderator's approval."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations
from django.utils import timezone

WORKFLOW = "Marketing review"  # cplatform.editorial_rules.WORKFLOW (a migration keeps its own copy)


def _raw(obj) -> dict:
    """The row as a revision stores it (modelcluster's serializable data, field by field)."""
    data = {"pk": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.serialize:
            value = field.value_from_object(obj)
            data[field.name] = DjangoJSONEncoder().default(value) if _needs_encoding(value) else value
    return data


def _needs_encoding(value) -> bool:
    return value is not None and not isinstance(value, (str, int, float, bool, list, dict))


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Revision = apps.get_model("wagtailcore.Revision")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    Menu = apps.get_model("home.Menu")
    MenuItem = apps.get_model("home.MenuItem")
    Testimonial = apps.get_model("home.Testimonial")
    now = timezone.now()

    for model, name in ((Menu, "menu"), (Testimonial, "testimonial")):
        content_type, _ = ContentType.objects.get_or_create(app_label="home", model=name)
        for obj in model.objects.filter(latest_revision__isnull=True):
            content = _raw(obj)
            content.update(live=True, has_unpublished_changes=False)
            content["first_published_at"] = content["last_published_at"] = now.isoformat()
            if model is Menu:
                content["items"] = [
                    _raw(item) for item in MenuItem.objects.filter(menu=obj).order_by("sort_order")
                ]
                object_str = f"{obj.get_slot_display()}"
            else:
                object_str = f"{obj.name} — {obj.role}" if obj.role else obj.name
            revision = Revision.objects.create(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(obj.pk),
                created_at=now,
                object_str=object_str,
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


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0007_snippets_drafts"),
        ("cplatform", "0001_editorial_workflow"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
