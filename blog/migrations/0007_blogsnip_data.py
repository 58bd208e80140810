"""Existing blog authors and categories keep showing: each gets a first revision, marked live and
published (raw fields, cplatform.editorial_rules.publish_existing_snippets, as home's menus and
testimonials), and the "Marketing review" workflow is assigned to both models."""

from django.db import migrations

from cplatform.editorial_rules import publish_existing_snippets


def forwards(apps, schema_editor):
    for model_name in ("blogauthor", "blogcategory"):
        publish_existing_snippets(apps, "blog", model_name, object_str=lambda obj: obj.name)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0006_blogsnip_drafts"),
        ("cplatform", "0001_editorial_workflow"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
