"""Indexes for the dashboards' messages per day: room messages by creation, and django-postman's
direct messages by `sent_at` (postman's own migrations have none; it is created here, by name, and
dropped on the way back)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0009_issue13_leftovers"),
        ("postman", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="roommessage",
            index=models.Index(fields=["created_at"], name="inbox_roommsg_created"),
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS inbox_postman_message_sent_at ON postman_message (sent_at)",
            "DROP INDEX IF EXISTS inbox_postman_message_sent_at",
        ),
    ]
