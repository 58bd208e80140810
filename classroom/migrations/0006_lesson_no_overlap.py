"""No double booking, held by PostgreSQL: exclusion constraints over tstzrange(start, end, '[)') for the
teacher and for the student, ignoring cancelled lessons. Runs only on PostgreSQL; SQLite (dev) knows no
EXCLUDE, and there the booking service's check inside an IMMEDIATE transaction holds the rule."""

from django.db import migrations

CONSTRAINTS = {
    "lesson_teacher_no_overlap": "teacher_id",
    "lesson_student_no_overlap": "student_id",
}


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE classroom_lesson ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
            "WHERE (status <> 'cancelled')"
        )


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE classroom_lesson DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("classroom", "0005_scheduling")]

    operations = [migrations.RunPython(add_constraints, drop_constraints)]
