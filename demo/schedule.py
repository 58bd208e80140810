"""Demo schedule for `manage.py load_demo_data`, through the services (idempotent: each part is made
once, for whoever does not have it yet).

- Every demo teacher gets weekday hours in their own zone (`availability_replace`).
- Each published group course of a demo teacher gets weekly sessions (`group_session_create`): the ones
  already past (the course is under way) with attendance, notes, homework and a shared material, and up
  to four upcoming ones; the actively enrolled students hold seats.
- Each demo student gets 1:1 lessons (`lesson_book`; a parent books for their child): two past ones,
  taught, with attendance, notes and homework, and one upcoming; none for a student still waiting for
  a guardian's consent (Noah). A past lesson is booked with the
  services' own `now` set before it (the booking rules are those of that day); a 1:1 course's student
  books within the course.
- Each active enrolment in a course with modules gets progress: the first module(s) marked done and a
  progress note from the teacher.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from authentication.choices import Role
from authentication.models import User
from authentication.selectors import guardian_consent_problem
from classroom.choices import AttendanceStatus, LessonKind
from classroom.models import AvailabilityRule, Lesson, TeacherProfile
from classroom.progress.services import module_complete, progress_note_add
from classroom.scheduling.selectors import SlotQuery, slots_for_teacher
from classroom.scheduling.services import availability_replace, lesson_book
from classroom.scheduling.wallclock import zone
from classroom.teaching.services import (
    attendance_record,
    group_session_create,
    lesson_material_attach,
    lesson_update,
)
from courses.choices import CourseFormat, CourseStatus, EnrollmentStatus
from courses.models import Course, Enrollment
from cplatform.exceptions import DomainError

WEEKDAY_HOURS = [
    {"weekday": day, "start_time": start, "end_time": end}
    for day in range(5)
    for start, end in ((time(9), time(13)), (time(16), time(20)))
]
SETTINGS = {
    "lesson_lengths": [30, 45, 60],
    "buffer_minutes": 10,
    "min_notice_minutes": 12 * 60,
    "horizon_days": 60,
    "cancellation_cutoff_hours": 24,
}

# The demo students' 1:1 teacher, who books (a parent for a child) and the 1:1 course it belongs to.
# Students not listed here (tests' own) take turns among the teachers and book for themselves.
ONE_TO_ONE = {
    "lucas.lopez@example.com": ("ana.garcia@example.com", "maria.lopez@example.com", None),
    "sofia.ruiz@example.com": ("ana.garcia@example.com", None, None),
    "noah.brown@example.com": ("ana.garcia@example.com", None, None),
    "liam.johnson@example.com": ("ben.carter@example.com", None, None),
    "olivia.davis@example.com": ("ben.carter@example.com", None, "business-english-one-to-one"),
    "emma.wilson@example.com": ("chloe.martin@example.com", None, None),
    "mia.lopez@example.com": ("chloe.martin@example.com", "maria.lopez@example.com", None),
    "hugo.moreau@example.com": ("chloe.martin@example.com", None, None),
}
PAST_DAYS_AGO = (15, 8)  # two past lessons, about two and one week ago
UPCOMING_SESSIONS = 4
SESSION_TIME = time(18)  # group sessions: weekly, 18:00 in the teacher's zone, 60 minutes

LESSON_NOTES = [
    ("Worked through the warm-up quickly; the second exercise needs more practice.",
     "Finish the exercises on the worksheet and write down one question for next time."),
    ("Good progress: fewer mistakes than last week and clearer explanations.",
     "Review today's notes and prepare the next three exercises."),
]  # fmt: skip


def load_demo_schedule() -> None:
    teachers = list(
        TeacherProfile.objects.filter(
            user__email__endswith="@example.com", user__groups__name=Role.TEACHER
        )
        .select_related("user")
        .order_by("user__email")
    )
    for teacher in teachers:
        if not AvailabilityRule.objects.filter(teacher=teacher).exists():
            availability_replace(teacher=teacher, rules=WEEKDAY_HOURS, settings=SETTINGS)
    now = timezone.now()
    _group_sessions(now=now)
    students = list(
        User.objects.filter(email__endswith="@example.com", groups__name=Role.STUDENT)
        .exclude(groups__name=Role.TEACHER)
        .order_by("email")
    )
    by_email = {teacher.user.email: teacher for teacher in teachers}
    for n, learner in enumerate(students):
        if not teachers or Lesson.objects.filter(student=learner).exists():
            continue
        if guardian_consent_problem(user=learner):
            continue  # waits for a guardian's consent (or a date of birth): nothing is booked
        teacher_email, booker_email, course_slug = ONE_TO_ONE.get(learner.email, (None,) * 3)
        teacher = by_email.get(teacher_email) or teachers[n % len(teachers)]
        booker = User.objects.get(email=booker_email) if booker_email else learner
        course = Course.objects.filter(slug=course_slug).first() if course_slug else None
        _one_to_one(n, teacher=teacher, learner=learner, booker=booker, course=course, now=now)
    _progress()


def _book_first_free(*, teacher, learner, booker, course, window_start, days, skip, now):
    """Book the first free 60-minute slot from the `skip`-th on (spreads the students out)."""
    _length, slots = slots_for_teacher(
        teacher=teacher,
        query=SlotQuery(start=window_start, end=window_start + timedelta(days=days), length=60),
        now=now,
    )
    for start, _end in slots[skip:] + slots[:skip]:
        try:
            return lesson_book(
                actor=booker,
                teacher=teacher,
                student=learner,
                start=start,
                length=60,
                now=now,
                course_id=course.pk if course else None,
            )
        except DomainError:
            continue
    return None


def _one_to_one(n, *, teacher, learner, booker, course, now) -> None:
    for k, days_ago in enumerate(PAST_DAYS_AGO):
        window_start = now - timedelta(days=days_ago)
        lesson = _book_first_free(
            teacher=teacher,
            learner=learner,
            booker=booker,
            course=course,
            window_start=window_start,
            days=3,
            skip=n * 2,
            now=window_start - timedelta(days=1),  # booked the day before
        )
        if lesson is None:
            continue
        late = k == 1 and n % 3 == 0
        attendance_record(
            actor=teacher.user,
            lesson=lesson,
            marks=[
                {
                    "student_id": learner.pk,
                    "status": AttendanceStatus.LATE if late else AttendanceStatus.PRESENT,
                    "note": "Ten minutes late." if late else "",
                }
            ],
            now=now,
        )
        notes, homework = LESSON_NOTES[k]
        lesson_update(
            actor=teacher.user,
            lesson=lesson,
            data={
                "notes": notes,
                "homework": homework,
                "homework_due": lesson.start + timedelta(days=6),
            },
        )
    _book_first_free(
        teacher=teacher,
        learner=learner,
        booker=booker,
        course=course,
        window_start=now + timedelta(days=1),
        days=14,
        skip=n * 2,
        now=now,
    )


def _session_starts(course: Course, teacher: TeacherProfile, now: datetime) -> list[datetime]:
    """Weekly from the course's first day (or next week) at SESSION_TIME in the teacher's zone, until
    its last day: those already past and up to UPCOMING_SESSIONS to come."""
    tz = zone(teacher.user.timezone)
    first_day = course.starts_on or (timezone.localdate() + timedelta(days=7))
    last_day = course.ends_on or (first_day + timedelta(weeks=UPCOMING_SESSIONS))
    starts, upcoming, day = [], 0, first_day
    while day <= last_day and upcoming < UPCOMING_SESSIONS:
        start = datetime.combine(day, SESSION_TIME, tzinfo=tz)
        upcoming += start > now
        starts.append(start)
        day += timedelta(weeks=1)
    return starts


def _group_sessions(*, now: datetime) -> None:
    courses = Course.objects.filter(
        format=CourseFormat.GROUP,
        status=CourseStatus.PUBLISHED,
        owner__email__endswith="@example.com",
    ).select_related("owner")
    for course in courses:
        if Lesson.objects.filter(course=course, kind=LessonKind.GROUP).exists():
            continue
        teacher = TeacherProfile.objects.select_related("user").get(user=course.owner)
        material = course.materials.filter(module__isnull=False).order_by("position", "pk").first()
        for number, start in enumerate(_session_starts(course, teacher, now), start=1):
            past = start < now
            try:
                session = group_session_create(
                    actor=course.owner,
                    course=course,
                    start=start,
                    length=60,
                    title=f"{course.title} · {number}",
                    video_call_url="https://meet.example.com/" + course.slug,
                    now=start - timedelta(days=2) if past else now,
                )
            except DomainError:
                continue  # the teacher is busy then: no session that week
            if material is not None:
                lesson_material_attach(actor=course.owner, lesson=session, material=material)
            if not past:
                continue
            seated = list(
                session.seats.filter(cancelled_at__isnull=True)
                .order_by("created_at", "pk")
                .values_list("student_id", flat=True)
            )
            if seated:
                attendance_record(
                    actor=course.owner,
                    lesson=session,
                    marks=[
                        {
                            "student_id": student_id,
                            "status": AttendanceStatus.ABSENT
                            if (i + number) % 5 == 4
                            else AttendanceStatus.PRESENT,
                        }
                        for i, student_id in enumerate(seated)
                    ],
                    now=now,
                )
            lesson_update(
                actor=course.owner,
                lesson=session,
                data={
                    "notes": f"Session {number}: explanation, worked examples and questions.",
                    "homework": "The exercises at the end of the module's notes.",
                    "homework_due": start + timedelta(days=6),
                },
            )


def load_demo_progress() -> None:
    """Progress for active enrolments that have none yet: run again after the billing demo, whose
    payments activate enrolments that were pending when the schedule ran (so a second load adds
    nothing)."""
    _progress()


def _progress() -> None:
    """The first module done (two for every other student) and a teacher's note, per active enrolment
    in a demo course with modules that has no progress yet."""
    enrollments = (
        Enrollment.objects.filter(
            status=EnrollmentStatus.ACTIVE,
            course__owner__email__endswith="@example.com",
            course__modules__isnull=False,
            module_completions__isnull=True,
            progress_notes__isnull=True,
        )
        .select_related("course__owner", "student")
        .distinct()
        .order_by("pk")
    )
    for i, enrollment in enumerate(enrollments):
        course = enrollment.course
        modules = list(course.modules.order_by("position", "pk")[: 1 + i % 2])
        for module in modules:
            try:
                module_complete(actor=course.owner, enrollment=enrollment, module=module)
            except DomainError:
                break  # not released yet
        progress_note_add(
            actor=course.owner,
            enrollment=enrollment,
            body=f"{enrollment.student.first_name} keeps up well; "
            f"{len(modules)} module(s) done, keep practising between sessions.",
        )
