"""Course rooms for the courses that already have active enrolments (schools that ran before chat
rooms): each course's teachers (owner and co-teachers, role teacher) and actively enrolled students
(role student). From then on the courses signals keep rooms in step (inbox/rooms/receivers.py).
Raw models only; the lead renumbers this after regenerating inbox's 0001."""

from django.db import migrations


def create_course_rooms(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    Enrollment = apps.get_model("courses", "Enrollment")
    Room = apps.get_model("inbox", "Room")
    RoomMember = apps.get_model("inbox", "RoomMember")
    with_students = (
        Enrollment.objects.filter(status="active").values_list("course_id", flat=True).distinct()
    )
    for course in Course.objects.filter(pk__in=with_students, room__isnull=True):
        room = Room.objects.create(kind="course", course=course)
        people = {
            pk: "student"
            for pk in Enrollment.objects.filter(course=course, status="active").values_list(
                "student_id", flat=True
            )
        }
        for pk in [course.owner_id, *course.teachers.values_list("pk", flat=True)]:
            if pk:
                people[pk] = "teacher"
        RoomMember.objects.bulk_create(
            [RoomMember(room=room, user_id=pk, role=role) for pk, role in people.items()],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0001_initial"),
        ("courses", "0011_page_blocks"),
    ]

    operations = [migrations.RunPython(create_course_rooms, migrations.RunPython.noop)]
