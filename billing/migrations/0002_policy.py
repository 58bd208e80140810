"""The django-q2 schedule of manual subscription renewals (billing.plans.schedule). Uses no model of
billing: after a regeneration of billing's migrations it only needs to follow the new last one."""

from django.db import migrations

from billing.plans.schedule import renewal_schedule_ensure, renewal_schedule_remove


def schedule_renewals(apps, schema_editor):
    renewal_schedule_ensure(apps.get_model("django_q.Schedule"))


def unschedule_renewals(apps, schema_editor):
    renewal_schedule_remove(apps.get_model("django_q.Schedule"))


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule_renewals, unschedule_renewals)]
