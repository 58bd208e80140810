"""The lookups leave classroom's state for catalog's (catalog 0001): the teacher and student profiles
point at the catalog models, whose tables are the ones they already reference; the ContentType rows
follow the models. No table or row is created, dropped or copied."""

import django.db.models.deletion
from django.db import migrations, models


LOOKUPS = ("subject", "level", "teachinglanguage")


def move_content_types(apps, schema_editor, source="classroom", target="catalog"):
    """The lookups' ContentType rows follow them, so permissions, admin log entries and Wagtail's
    references keep pointing at the right model. A row for the target made in between (a post_migrate
    run while both apps were installed) has nothing pointing at it yet and gives way."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in LOOKUPS:
        old = ContentType.objects.using(db).filter(app_label=source, model=model).first()
        if old is None:
            continue
        ContentType.objects.using(db).filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="catalog", target="classroom")


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0001_lookups_from_classroom'),
        ('classroom', '0009_text_control_characters'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('courses', '0008_catalog_lookups'),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='studentprofile',
                    name='level',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='catalog.level'),
                ),
                migrations.DeleteModel(
                    name='Subject',
                ),
                migrations.DeleteModel(
                    name='TeachingLanguage',
                ),
                migrations.AlterField(
                    model_name='teacherprofile',
                    name='languages',
                    field=models.ManyToManyField(blank=True, related_name='teachers', to='catalog.teachinglanguage'),
                ),
                migrations.AlterField(
                    model_name='teacherprofile',
                    name='levels',
                    field=models.ManyToManyField(blank=True, related_name='teachers', to='catalog.level'),
                ),
                migrations.AlterField(
                    model_name='teacherprofile',
                    name='subjects',
                    field=models.ManyToManyField(blank=True, related_name='teachers', to='catalog.subject'),
                ),
                migrations.DeleteModel(
                    name='Level',
                ),
            ],
        ),
    ]
