"""The django-q2 schedule of the lesson reminders (every 5 minutes). Depends on no model of the inbox:
after a regeneration of the inbox's migrations it only needs to follow the new last one."""

from django.db import migrations
from django.utils import timezone

SCHEDULE = "Send lesson reminders"
FUNC = "inbox.reminders.tasks.send_lesson_reminders"


def schedule_reminders(apps, schema_editor):
    fields = {"func": FUNC, "schedule_type": "I", "minutes": 5, "repeats": -1}  # I: every N minutes
    apps.get_model("django_q.Schedule").objects.update_or_create(
        name=SCHEDULE, defaults=fields, create_defaults={**fields, "next_run": timezone.now()}
    )


def unschedule_reminders(apps, schema_editor):
    apps.get_model("django_q.Schedule").objects.filter(name=SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0003_lesson_reminder"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule_reminders, unschedule_reminders)]
