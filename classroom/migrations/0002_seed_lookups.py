from django.db import migrations

from catalog.seed import seed as seed_vocabulary


def seed(apps, schema_editor):
    seed_vocabulary(
        level_model=apps.get_model("classroom", "Level"),
        language_model=apps.get_model("classroom", "TeachingLanguage"),
        subject_model=apps.get_model("classroom", "Subject"),
    )


class Migration(migrations.Migration):
    dependencies = [("classroom", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
