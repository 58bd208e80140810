"""The django-q2 schedule that retries failed Stripe webhook processing (billing.stripe.schedule).
Uses no model of billing: after a regeneration of billing's migrations it only needs to follow the
new last one."""

from django.db import migrations

from billing.stripe.schedule import retry_schedule_ensure, retry_schedule_remove


def schedule_retries(apps, schema_editor):
    retry_schedule_ensure(apps.get_model("django_q.Schedule"))


def unschedule_retries(apps, schema_editor):
    retry_schedule_remove(apps.get_model("django_q.Schedule"))


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_policy"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule_retries, unschedule_retries)]
