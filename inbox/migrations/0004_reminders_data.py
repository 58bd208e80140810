"""The django-q2 schedule of the lesson reminders (every 5 minutes). Uses no model of the inbox: after a
regeneration of the inbox's migrations it only needs to follow the new last one."""

from django.db import migrations

from inbox.reminders.schedule import reminder_schedule_ensure, reminder_schedule_remove


def schedule_reminders(apps, schema_editor):
    reminder_schedule_ensure(apps.get_model("django_q.Schedule"))


def unschedule_reminders(apps, schema_editor):
    reminder_schedule_remove(apps.get_model("django_q.Schedule"))


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0003_notify_data"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule_reminders, unschedule_reminders)]
