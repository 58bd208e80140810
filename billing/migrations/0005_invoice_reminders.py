"""Payment reminders of open manual invoices: one row per (invoice, stage), and their hourly
django-q2 schedule (billing.papers.schedule)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from billing.papers.schedule import (
    invoice_reminder_schedule_ensure,
    invoice_reminder_schedule_remove,
)


def schedule_reminders(apps, schema_editor):
    invoice_reminder_schedule_ensure(apps.get_model("django_q.Schedule"))


def unschedule_reminders(apps, schema_editor):
    invoice_reminder_schedule_remove(apps.get_model("django_q.Schedule"))


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0004_dashboard_indexes'),
        ('django_q', '0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more'),
    ]

    operations = [
        migrations.CreateModel(
            name='InvoiceReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('before_due', 'Before the due date'), ('overdue', 'Overdue')], max_length=12)),
                ('due_at', models.DateTimeField(help_text='The due date the reminder named.')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('invoice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='billing.invoice')),
            ],
            options={
                'ordering': ['-sent_at', '-pk'],
                'constraints': [models.UniqueConstraint(fields=('invoice', 'stage'), name='billing_invoice_reminder_once')],
            },
        ),
        migrations.RunPython(schedule_reminders, unschedule_reminders),
    ]
