"""Editors and Moderators of the public site, the "Marketing review" workflow every page goes
through, and the django-q2 schedule that publishes scheduled pages every minute.

Wagtail's own migrations already made groups called Editors and Moderators with loose defaults;
this one states exactly what each may do. Snippet and setting permissions of the public-site apps
are granted by `cplatform.editorial.grant_content_permissions` after every migrate, because those
models arrive in later migrations of other apps.
"""

from django.db import migrations

from cplatform.editorial_rules import install


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ("home", "0002_initial_site"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
