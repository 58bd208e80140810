"""Today's snapshots (students at risk) every ANALYTICS_SNAPSHOT_MINUTES: the schedule beside the
others (schedule.py)."""

from django.db import migrations

from dashboards.analytics.schedule import SNAPSHOT_SCHEDULE, analytics_schedule_ensure


def schedule(apps, schema_editor):
    analytics_schedule_ensure(apps.get_model("django_q.Schedule"))


def unschedule(apps, schema_editor):
    apps.get_model("django_q.Schedule").objects.filter(name=SNAPSHOT_SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0002_admindash")]

    operations = [migrations.RunPython(schedule, unschedule)]
