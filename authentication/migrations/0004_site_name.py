"""allauth's emails say "Hello from <site name>" and prefix subjects with it: name the Django site
after the platform instead of the default "example.com"."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(getattr(settings, "SITE_URL", "")).netloc or "localhost"
    Site.objects.update_or_create(
        pk=getattr(settings, "SITE_ID", 1),
        defaults={"domain": domain[:100], "name": getattr(settings, "WAGTAIL_SITE_NAME", "cplatform")},
    )


class Migration(migrations.Migration):
    dependencies = [("authentication", "0003_user_validators_link_not_self"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
