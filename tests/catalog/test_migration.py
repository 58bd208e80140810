"""The lookups' move from classroom to catalog (catalog 0001, courses 0008, classroom 0010) keeps a
database that was migrated before it: every row, every foreign key, and the ContentType rows that
permissions and admin log entries point at. The test walks a real PostgreSQL database back to the
migrations before the move, writes there with the historical models, and migrates forward again."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from catalog.models import Level, Subject, TeachingLanguage
from classroom.models import StudentProfile, TeacherProfile
from courses.models import Course
from tests.classroom.factories import StudentProfileFactory, TeacherProfileFactory
from tests.courses.factories import CourseFactory

BEFORE = [
    ("classroom", "0009_text_control_characters"),
    ("courses", "0007_text_control_characters"),
    ("home", "0005_text_control_characters"),
    ("catalog", None),
]
LOOKUPS = ("subject", "level", "teachinglanguage")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    nodes = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.migrations  # ~3 min: make test-migrations, not make test
@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_before_the_move_keeps_its_rows_foreign_keys_and_content_types(
    django_user_model,
):
    course = CourseFactory()
    teacher = TeacherProfileFactory()
    teacher.subjects.set(Subject.objects.filter(slug__in=["physics", "piano"]))
    student = StudentProfileFactory(level=Level.objects.get(code="advanced"))
    counts = {m: m.objects.count() for m in (Subject, Level, TeachingLanguage)}
    type_ids = {
        name: ContentType.objects.get(app_label="catalog", model=name).pk for name in LOOKUPS
    }
    admin = django_user_model.objects.create_user(email="mover@example.com", password="x")

    try:
        old = _migrate(BEFORE)
        # Back before the move: the same ContentType rows are classroom's again.
        for name in LOOKUPS:
            assert ContentType.objects.get(pk=type_ids[name]).app_label == "classroom"
        OldSubject = old.get_model("classroom", "Subject")
        OldCourse = old.get_model("courses", "Course")
        assert OldSubject.objects.count() == counts[Subject]
        # Written as the old code would have: a subject, a course pointing at it, a group with
        # the permission to change subjects, an admin log entry about the subject.
        made = OldSubject.objects.create(slug="astronomy", name="Astronomy")
        OldCourse.objects.filter(pk=course.pk).update(subject_id=made.pk)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM auth_permission WHERE content_type_id = %s AND codename = %s",
                [type_ids["subject"], "change_subject"],
            )
            permission_id = cursor.fetchone()[0]
        group = Group.objects.create(name="Vocabulary keepers")
        group.permissions.add(permission_id)
        LogEntry.objects.create(
            user_id=admin.pk,
            content_type_id=type_ids["subject"],
            object_id=str(made.pk),
            object_repr="Astronomy",
            action_flag=CHANGE,
        )
    finally:
        _migrate(_latest())

    assert {m: m.objects.count() for m in (Subject, Level, TeachingLanguage)} == {
        **counts,
        Subject: counts[Subject] + 1,
    }
    course = Course.objects.select_related("subject", "level", "language").get(pk=course.pk)
    assert (course.subject.slug, course.level.code, course.language.code) == (
        "astronomy",
        "beginner",
        "en",
    )
    assert sorted(
        TeacherProfile.objects.get(pk=teacher.pk).subjects.values_list("slug", flat=True)
    ) == ["physics", "piano"]
    assert StudentProfile.objects.get(pk=student.pk).level.code == "advanced"

    # The ContentType rows followed the models: same ids, nothing left under classroom.
    for name in LOOKUPS:
        content_type = ContentType.objects.get(pk=type_ids[name])
        assert (content_type.app_label, content_type.model) == ("catalog", name)
        assert content_type.model_class() is {"subject": Subject, "level": Level}.get(
            name, TeachingLanguage
        )
    assert not ContentType.objects.filter(app_label="classroom", model__in=LOOKUPS).exists()
    keeper = django_user_model.objects.create_user(email="keeper@example.com", password="x")
    keeper.groups.add(Group.objects.get(name="Vocabulary keepers"))
    assert keeper.has_perm("catalog.change_subject")
    assert Permission.objects.get(codename="change_subject").content_type_id == type_ids["subject"]
    entry = LogEntry.objects.get(object_repr="Astronomy")
    assert entry.get_edited_object() == Subject.objects.get(slug="astronomy")

    # The database still enforces the foreign keys into the kept tables.
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(subject_id=10**9)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeacherProfile.subjects.through.objects.create(
            teacherprofile_id=teacher.pk, subject_id=10**9
        )
