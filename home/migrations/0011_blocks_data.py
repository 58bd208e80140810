"""Hero and image-text pictures stored without alt text get the alt text the site printed before
(the image's description, else its title), in the pages and their latest and live revisions: the
blocks now refuse a picture with neither alt text nor "decorative". Plain JSON (cplatform.alt_text_data)."""

from django.db import migrations

from cplatform.alt_text_data import fill_alt_text


def forwards(apps, schema_editor):
    fill_alt_text(apps, {"home.HomePage": ["hero", "body"], "home.LandingPage": ["body"]})


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0010_links_data"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
