"""Existing menus and testimonials keep showing: each gets a first revision (what the row holds, on
raw fields, so the admin history is not empty and later drafts have something to compare with),
marked live and published; and the "Marketing review" workflow is assigned to both models, so
nothing an Editor saves goes live without a Moderator's approval
(cplatform.editorial_rules.publish_existing_snippets, shared with the blog's snippets)."""

from django.db import migrations

from cplatform.editorial_rules import publish_existing_snippets


def forwards(apps, schema_editor):
    MenuItem = apps.get_model("home.MenuItem")
    publish_existing_snippets(
        apps,
        "home",
        "menu",
        object_str=lambda menu: f"{menu.get_slot_display()}",
        children={"items": lambda menu: MenuItem.objects.filter(menu=menu).order_by("sort_order")},
    )
    publish_existing_snippets(
        apps,
        "home",
        "testimonial",
        object_str=lambda t: f"{t.name} — {t.role}" if t.role else t.name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0007_snippets_drafts"),
        ("cplatform", "0001_editorial_workflow"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
