"""The notifications' django-q2 schedules: held emails every 5 minutes, daily digests hourly (each
person's digest goes at 07:00 of their own zone). No model class of the inbox is used."""

from django.db import migrations
from django.utils import timezone

SCHEDULES = {
    "Notifications: send emails held by quiet hours": {
        "func": "inbox.notifications.tasks.send_held_emails",
        "schedule_type": "I",  # every `minutes`
        "minutes": 5,
        "repeats": -1,
    },
    "Notifications: send daily digests": {
        "func": "inbox.notifications.tasks.send_daily_digests",
        "schedule_type": "H",  # hourly
        "repeats": -1,
    },
}


def schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q.Schedule")
    for name, fields in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name, defaults=fields, create_defaults={**fields, "next_run": timezone.now()}
        )


def unschedule(apps, schema_editor):
    apps.get_model("django_q.Schedule").objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0002_rooms_data"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
