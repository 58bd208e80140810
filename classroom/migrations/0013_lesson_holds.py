"""Lessons awaiting payment (held) and expired unpaid ones (issue 14).

- `hold_expires_at` and the statuses "held" / "expired".
- The no-overlap exclusion constraints of 0006 are replaced: a held lesson blocks its slot like a
  scheduled one, a cancelled or expired one does not (`WHERE status NOT IN ('cancelled',
  'expired')`). PostgreSQL only, as 0006.
- The django-q2 schedule of the hold sweep (every minute; classroom/schedule.py).
"""

from django.conf import settings
from django.db import migrations, models

from classroom.schedule import hold_sweep_schedule_ensure, hold_sweep_schedule_remove

CONSTRAINTS = {
    "lesson_teacher_no_overlap": "teacher_id",
    "lesson_student_no_overlap": "student_id",
}


def _replace_constraints(schema_editor, freed: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(f"ALTER TABLE classroom_lesson DROP CONSTRAINT IF EXISTS {name}")
        schema_editor.execute(
            f"ALTER TABLE classroom_lesson ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
            f"WHERE (status NOT IN ({freed}))"
        )


def held_blocks(apps, schema_editor):
    _replace_constraints(schema_editor, "'cancelled', 'expired'")


def only_cancelled_frees(apps, schema_editor):
    _replace_constraints(schema_editor, "'cancelled'")


def schedule_sweep(apps, schema_editor):
    hold_sweep_schedule_ensure(apps.get_model("django_q.Schedule"))


def unschedule_sweep(apps, schema_editor):
    hold_sweep_schedule_remove(apps.get_model("django_q.Schedule"))


class Migration(migrations.Migration):

    dependencies = [
        ('classroom', '0012_teacher_how_i_teach_translatable'),
        ('courses', '0011_page_blocks'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name='lesson',
            name='hold_expires_at',
            field=models.DateTimeField(blank=True, help_text='Until when a booking awaiting payment (held) keeps its slot; empty unless held.', null=True),
        ),
        migrations.AlterField(
            model_name='lesson',
            name='status',
            field=models.CharField(choices=[('scheduled', 'Scheduled'), ('completed', 'Completed'), ('cancelled', 'Cancelled'), ('no_show', 'No-show'), ('held', 'Awaiting payment'), ('expired', 'Expired — not paid in time')], default='scheduled', max_length=12),
        ),
        migrations.AddIndex(
            model_name='lesson',
            index=models.Index(condition=models.Q(('status', 'held')), fields=['hold_expires_at'], name='lesson_held_expiry_idx'),
        ),
        migrations.AddConstraint(
            model_name='lesson',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('hold_expires_at__isnull', False), ('status', 'held')), models.Q(models.Q(('status', 'held'), _negated=True), ('hold_expires_at__isnull', True)), _connector='OR'), name='lesson_hold_expiry_iff_held'),
        ),
        migrations.RunPython(held_blocks, only_cancelled_frees),
        migrations.RunPython(schedule_sweep, unschedule_sweep),
    ]
