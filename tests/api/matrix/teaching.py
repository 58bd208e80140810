"""Matrix rows: group sessions, seats, attendance, lesson notes / homework / materials."""

from datetime import timedelta

from tests.api.matrix.base import SIGNED_IN, Call, expect

ANON = {"anonymous": 401}
NOT_FOUND = {**ANON, **dict.fromkeys(SIGNED_IN, 404)}  # nobody reaches it …

# The lesson's teacher and admins run it; its student and parent see it but may not (403); others 404.
RUN_LESSON = expect(
    NOT_FOUND,
    student_a=403,
    parent_of_a=403,
    teacher=200,
    admin=200,
    superuser=200,
)
SEATS = {
    **ANON,
    **dict.fromkeys(SIGNED_IN, 403),  # only students and parents take seats
    "student_a": 201,  # actively enrolled in the course
    "student_b": 404,  # names student A, who is not theirs
    "parent_of_a": 201,  # for the linked child
    "second_parent": 404,  # names student A: a pending invitation makes nobody a guardian
}

ROWS: dict[str, Call] = {
    "POST /api/v1/courses/{course_id}/sessions": Call(
        {
            **ANON,
            **dict.fromkeys(SIGNED_IN, 403),  # teachers and admins schedule sessions
            "teacher": 201,
            "other_teacher": 404,
            "admin": 201,
            "superuser": 201,
        },
        path_params={"course_id": "course_id"},
        json=lambda w: {"start": w.session_times["new"].isoformat(), "length": 60},
    ),
    "GET /api/v1/courses/{course_id}/sessions": Call(
        expect(
            NOT_FOUND,
            student_a=200,  # actively enrolled
            parent_of_a=200,
            teacher=200,
            admin=200,
            superuser=200,
        ),
        path_params={"course_id": "course_id"},
    ),
    "POST /api/v1/lessons/{lesson_id}/seat": Call(
        SEATS,
        path_params={"lesson_id": "open_session_id"},
        json=lambda w: {"student_id": w.student_a_id},
    ),
    "DELETE /api/v1/lessons/{lesson_id}/seat": Call(
        {
            **SEATS,
            "student_a": 204,
            "student_b": 404,  # holds no seat and may not see the session
            "parent_of_a": 422,  # must name the child (?student_id=)
            "second_parent": 422,  # the same, before any lesson is looked at
        },
        path_params={"lesson_id": "session_id"},
    ),
    "PUT /api/v1/lessons/{lesson_id}/attendance": Call(
        RUN_LESSON,
        path_params={"lesson_id": "started_lesson_id"},
        json=lambda w: [{"student_id": w.student_a_id, "status": "present", "note": "On time"}],
    ),
    "PATCH /api/v1/lessons/{lesson_id}": Call(
        RUN_LESSON,
        path_params={"lesson_id": "lesson_id"},
        json={
            "notes": "Fractions",
            "homework": "Page 12",
            "video_call_url": "https://meet.example",
        },
    ),
    "POST /api/v1/lessons/{lesson_id}/materials": Call(
        RUN_LESSON,
        path_params={"lesson_id": "session_id"},
        json=lambda w: {"material_id": w.material_id},
    ),
    "DELETE /api/v1/lessons/{lesson_id}/materials/{material_id}": Call(
        expect(RUN_LESSON, teacher=204, admin=204, superuser=204),
        path_params={"lesson_id": "session_id", "material_id": "material_id"},
    ),
}

# Homework marked done (issue 15): only students call it; the lesson's student A, on their started
# 1:1 lesson that has homework; student B may not see that lesson.
HOMEWORK_DONE = {
    **ANON,
    **dict.fromkeys(SIGNED_IN, 403),
    "student_a": 200,
    "student_b": 404,
}
ROWS["POST /api/v1/lessons/{lesson_id}/homework/done"] = Call(
    HOMEWORK_DONE, path_params={"lesson_id": "started_lesson_id"}
)
ROWS["DELETE /api/v1/lessons/{lesson_id}/homework/done"] = Call(
    expect(HOMEWORK_DONE, student_a=204), path_params={"lesson_id": "started_lesson_id"}
)


def build(world) -> None:
    """Two upcoming sessions of the World's group course (student A is actively enrolled in it):
    `session_id`, where student A holds a seat and the course's material is shared, and
    `open_session_id`, where student A gave their seat up; and a 1:1 lesson of student A that has
    started, with homework (`started_lesson_id`)."""
    from django.utils import timezone

    from classroom.models import Lesson
    from classroom.teaching.services import (
        group_session_create,
        lesson_material_attach,
        seat_release,
    )
    from courses.models import Course
    from tests.booking.factories import days_ahead

    teacher = world.users["teacher"]
    course = Course.objects.get(pk=world.course_id)
    world.session_times = {
        "seated": days_ahead(9, hour=7),
        "open": days_ahead(10, hour=7),
        "new": days_ahead(11, hour=7),
    }
    session = world.make(
        "session_id",
        "lesson",
        lambda: group_session_create(
            actor=teacher, course=course, start=world.session_times["seated"], length=60
        ),
    )
    lesson_material_attach(actor=teacher, lesson=session, material_id=world.material_id)
    open_session = world.make(
        "open_session_id",
        "lesson",
        lambda: group_session_create(
            actor=teacher, course=course, start=world.session_times["open"], length=60
        ),
    )
    child = world.users["student_a"]
    seat_release(actor=child, lesson=open_session, student=child)
    start = timezone.now() - timedelta(days=2, hours=5, minutes=17)
    world.make(
        "started_lesson_id",
        "lesson",
        lambda: Lesson.objects.create(
            teacher=teacher.teacher_profile,
            student=child,
            booked_by=child,
            start=start,
            end=start + timedelta(hours=1),
            homework="Page 12",
        ),
    )
