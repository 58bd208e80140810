from django.conf import settings
"""Pending enrolments of paid courses are paid by a time (issue 14): `payment_due_by`, the status
"expired", pending enrolments already waiting given ENROLLMENT_PAYMENT_HOURS from now, and the
django-q2 schedule of the sweep that releases unpaid ones (courses/schedule.py)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from courses.schedule import release_schedule_ensure, release_schedule_remove


def give_pending_a_deadline(apps, schema_editor):
    Enrollment = apps.get_model("courses", "Enrollment")
    hours = int(getattr(settings, "ENROLLMENT_PAYMENT_HOURS", 48))
    Enrollment.objects.filter(status="pending", payment_due_by__isnull=True).update(
        payment_due_by=timezone.now() + timedelta(hours=hours)
    )


def schedule_sweep(apps, schema_editor):
    release_schedule_ensure(apps.get_model("django_q.Schedule"))


def unschedule_sweep(apps, schema_editor):
    release_schedule_remove(apps.get_model("django_q.Schedule"))


class Migration(migrations.Migration):

    dependencies = [
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ('courses', '0011_page_blocks'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='enrollment',
            name='payment_due_by',
            field=models.DateTimeField(blank=True, help_text='A pending enrolment of a paid course: when it is released unpaid (its seat returns).', null=True),
        ),
        migrations.AlterField(
            model_name='enrollment',
            name='status',
            field=models.CharField(choices=[('pending', 'Pending payment'), ('active', 'Active'), ('waitlisted', 'On the waitlist'), ('withdrawn', 'Withdrawn'), ('removed', 'Removed'), ('expired', 'Expired — not paid in time')], max_length=16),
        ),
        migrations.AddIndex(
            model_name='enrollment',
            index=models.Index(condition=models.Q(('status', 'pending')), fields=['payment_due_by'], name='enrollment_pending_due_idx'),
        ),
        migrations.RunPython(give_pending_a_deadline, migrations.RunPython.noop),
        migrations.RunPython(schedule_sweep, unschedule_sweep),
    ]
