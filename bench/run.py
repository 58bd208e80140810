#!/usr/bin/env python
"""`make bench`: seed PostgreSQL, serve with gunicorn, load pages and API calls and report req/s, p50, p95.

The bare view (`/bench/ok/`: every middleware, no database, no template) is the baseline; the teacher
directory (`/teachers/`), the API list (`/api/v1/teachers`), the public site, the course catalog, a
course page (its URL asked of `Course.get_absolute_url` at run time) and the slots of a busy teacher
(`/api/v1/slots?teacher_id=…`: weekly availability and hundreds of booked lessons) are reported with
their ratio to it, and so is site search (`/search/?q=teacher`: nine results of six page types).
These are GETs, loaded with wrk (or Python threads) over several connections, in BENCH_ROUNDS
interleaved rounds (every URL once per round, in turn): each ratio is taken within a round, and the
table shows the median of the rounds, so a neighbour's load that comes and goes moves the bare view
and the pages alike. The table also gives each page's SQL queries (one warm request).

The bare view is also served by a second gunicorn (bench/default_middleware_wsgi.py: the same
project, the same view, but Django's default `startproject` middleware only), loaded right after
ours in every round, to see what our middleware stack costs. The run checks issue 9's ratios (ours
at least 85 % of that reference; every public page at least 3.5 % of the bare view) and exits 1
when one is missed.

Booking is measured apart, because every request must book a different free slot (wrk repeats one
body): one keep-alive connection sends BENCH_BOOKINGS sequential `POST /api/v1/lessons`, each for the
next free, non-overlapping slot of a bench teacher (logged-in bench students, session tokens, taking
turns), and each must answer 201. The baseline for it is the bare view loaded the same way (one
connection, sequential, the same number of requests). The booking teacher's lessons are deleted at
the start of each run, so every run books into the same empty calendar.

The inbox (issue 13) is read signed in, as one teacher with BENCH_INBOX_MESSAGES direct messages
(postman threads of five with 30 students), a course room of BENCH_ROOM_MESSAGES messages and
BENCH_NOTIFICATIONS notifications, all bulk-inserted: the inbox page and `GET /api/v1/messages`, the
room page and `GET /api/v1/rooms/<id>/messages`, the notification feed and `GET /api/v1/notifications`
(pages with a session cookie, the API with the session token of a real login). Each answer is
checked before the load (200, its page of rows, the API's count of the whole list) and each row has
bars (INBOX_MIN, INBOX_MAX_QUERIES): the run exits 1 when one is missed.

Results are printed and written to bench/results/latest.json. Loopback only; every load is bounded in
time (and, for the Python load generator, in count).

Environment (defaults in brackets):
  DATABASE_URL        PostgreSQL database to use, created and migrated when needed (required;
                      `make bench` points it at `cplatform_bench` in scripts/test-db's cluster)
  BENCH_USERS [300]   seeded accounts in all, of which BENCH_TEACHERS [100] are listed teachers
                      (approved, public, with subjects, levels and languages) and the rest students
  BENCH_DURATION [8]  seconds of measured load per URL, after BENCH_WARMUP [2] seconds of warm-up
  BENCH_ROUNDS [3]    interleaved rounds (the table shows their median)
  BENCH_CONNECTIONS [4]  concurrent connections;  BENCH_WORKERS [2]  gunicorn worker processes
  BENCH_TOOL [wrk when installed, else python];  BENCH_MAX_REQUESTS [50000] per URL (python tool)
  BENCH_COURSES [60]  published courses (group, 1:1 and self-paced in turn), through the services
  BENCH_BUSY_LESSONS [300]  upcoming 30-minute lessons of the busy teacher (every other free slot)
  BENCH_BOOKINGS [300]  sequential bookings measured (after 10 warm-up bookings); 0 skips booking
  BENCH_INBOX_MESSAGES [10000], BENCH_ROOM_MESSAGES [10000], BENCH_NOTIFICATIONS [10000]  the inbox
                      teacher's direct messages, course-room messages and notifications (topped up)
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SETTINGS_MODULE = "cplatform.settings.bench"
EMAIL_DOMAIN = "bench.example.com"
BOOKER_PASSWORD = "bench-booker-pass-1234"  # noqa: S105 (throwaway accounts of the bench database)
BOOKERS = 8
BOOKING_WARMUP = 10
BARE = ("bare view", "/bench/ok/")
# The same view served by bench/default_middleware_wsgi.py: Django's default middleware only.
BARE_DEFAULT_MW = ("bare view, Django's default middleware", "/bench/ok/")
DEFAULT_MW_APP = "bench.default_middleware_wsgi:application"
# Ours must serve at least this share of the default-middleware bare view's req/s (issue 9).
BARE_VS_DEFAULT_MIN = 0.85
# Every public page must serve at least this share of the bare view's req/s (issue 9).
PUBLIC_PAGE_MIN = 0.035
PUBLIC_PAGES = {"home page", "blog index", "blog post", "search", "course catalog", "course page"}
# Issue 13's signed-in rows (a teacher with 10,000 direct messages, a 10,000-message room and 10,000
# notifications). Req/s bars: about half of what two runs measured on the shared 2-core machine
# (pages 1.6-2.5 % of the bare view, API lists 2.7-5.4 %), so a neighbour's load does not trip them,
# while the room rows before the unread-count fix (0.7 % each: a query that read the whole history)
# would have. Query bars: what one request makes today (pages 10, 14, 11; API 5, 6, 5) plus two, the
# inbox page and list at the budgets of tests/inbox/test_messages_budget.py: a query per row (20-30
# more) trips them.
INBOX_MIN = {
    "inbox page": 0.01,
    "room page": 0.01,
    "notification feed": 0.01,
    "inbox API": 0.02,
    "room history API": 0.02,
    "notifications API": 0.02,
}  # name → least req/s as a share of the bare view
INBOX_MAX_QUERIES = {
    "inbox page": 12,
    "room page": 16,
    "notification feed": 13,
    "inbox API": 8,
    "room history API": 8,
    "notifications API": 7,
}  # name → most SQL queries of one request (Django's test client, after a warm-up request)
# A word of the demo site's text: 9 results of six page types (blog posts and index, FAQ, home,
# landing pages), so the results' specific pages come from several tables.
SEARCH_QUERY = "teacher"
URLS = [
    ("teacher directory", "/teachers/"),
    ("teacher API", "/api/v1/teachers"),
]


def public_site_urls() -> list[tuple[str, str]]:
    """The demo site's home page, blog index and newest blog post (built by `seed_public_site`)."""
    from wagtail.models import Locale

    from blog.models import BlogIndexPage, BlogPage

    english = Locale.objects.get(language_code="en")
    index = BlogIndexPage.objects.live().filter(locale=english).first()
    post = BlogPage.objects.live().filter(locale=english).order_by("-date", "-pk").first()
    return [
        ("home page", "/"),
        ("blog index", index.get_url()),
        ("blog post", post.get_url()),
        ("search", f"/search/?q={SEARCH_QUERY}"),
    ]


def seed_public_site() -> None:
    """The demo page tree in both languages (home, landing pages, blog, FAQ); idempotent."""
    from demo.site import build_site

    started = time.perf_counter()
    build_site()
    log(f"public site ready in {time.perf_counter() - started:.1f} s")


FIRST_NAMES = [
    "Ana", "Ben", "Carla", "David", "Elena", "Farid", "Greta", "Hugo", "Irene", "Jonas",
    "Kira", "Luis", "Marta", "Nico", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Teresa",
]  # fmt: skip
LAST_NAMES = [
    "Alonso", "Brooks", "Castro", "Dubois", "Evans", "Fischer", "García", "Hughes", "Ibáñez", "Jensen",
    "Klein", "López", "Moreau", "Novak", "Ortiz", "Pérez", "Quist", "Rossi", "Sato", "Torres",
]  # fmt: skip


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- database ---------------------------------------------------------------------------------


def ensure_database(database_url: str) -> str:
    """Create the database named in DATABASE_URL if it does not exist yet; return its name."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(database_url)
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("bench: DATABASE_URL must point at PostgreSQL (postgres://…).")
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if not exists:
            log(f"creating database {db['NAME']}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    return db["NAME"]


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=check)


def migrate(env: dict[str, str]) -> None:
    pending = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"], cwd=ROOT, env=env, capture_output=True
    )
    if pending.returncode == 0:
        log("database is migrated")
        return
    log("migrating (about a minute on an empty database: dj-stripe's migrations are slow to plan)")
    manage("migrate", "--noinput", "-v0", env=env)


def seed(*, users: int, teachers: int) -> dict[str, int]:
    """Bench accounts through the services; idempotent (existing bench accounts are kept)."""
    from django.db import transaction

    from authentication.choices import Role
    from authentication.models import User
    from authentication.services import user_create
    from catalog.models import Level, Subject, TeachingLanguage
    from classroom.selectors import teacher_list_public
    from classroom.services import teacher_profile_approve, teacher_profile_update

    students = users - teachers
    wanted = [(f"teacher{i:05d}@{EMAIL_DOMAIN}", Role.TEACHER, i) for i in range(teachers)]
    wanted += [(f"student{i:05d}@{EMAIL_DOMAIN}", Role.STUDENT, i) for i in range(students)]
    existing = set(
        User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).values_list("email", flat=True)
    )
    missing = [row for row in wanted if row[0] not in existing]
    subjects = list(Subject.objects.values_list("slug", flat=True))
    levels = list(Level.objects.values_list("code", flat=True))
    languages = list(TeachingLanguage.objects.values_list("code", flat=True))
    started = time.perf_counter()
    with transaction.atomic():
        for email, role, i in missing:
            rng = random.Random(f"{role}-{i}")  # the same person on every machine  # noqa: S311
            first = FIRST_NAMES[i % len(FIRST_NAMES)]
            last = LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)]
            user = user_create(
                email=email,
                roles=[role.value],
                email_verified=True,
                first_name=first,
                last_name=last,
                timezone="Europe/Madrid",
            )
            if role != Role.TEACHER:
                continue
            taught = rng.sample(subjects, k=rng.randint(1, 3))
            profile = teacher_profile_update(
                user=user,
                actor=user,
                data={
                    "headline": f"{first} teaches {', '.join(taught)}",
                    "bio": "Experienced, patient and well organised. " * rng.randint(2, 6),
                    "translations": {"es": {"headline": f"{first} enseña {', '.join(taught)}"}},
                    "subjects": taught,
                    "levels": rng.sample(levels, k=rng.randint(1, 3)),
                    "languages": rng.sample(languages, k=rng.randint(1, 2)),
                    "hourly_rate": Decimal(rng.randrange(15, 90)),
                    "currency": "EUR",
                    "teaches_online": True,
                    "is_public": True,
                },
            )
            teacher_profile_approve(profile=profile)
        _bench_students_adult()
    if missing:
        log(f"seeded {len(missing)} accounts in {time.perf_counter() - started:.1f} s")
    return {
        "bench_users": User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).count(),
        "listed_teachers": teacher_list_public().count(),
    }


def _bench_students_adult() -> None:
    """Bench students are adults with a date of birth (booking and paid or taught enrolment need one;
    see the guardian-consent gate). One update for every bench student still without it."""
    from datetime import date

    from classroom.models import StudentProfile

    StudentProfile.objects.filter(
        user__email__endswith="@" + EMAIL_DOMAIN, date_of_birth__isnull=True
    ).update(date_of_birth=date(1995, 1, 1))


def seed_courses(*, count: int) -> dict[str, int]:
    """Published courses of the bench teachers through `course_create` (so each gets whatever the
    service gives a course: its page included), with modules, a text material and a few enrolments;
    idempotent (tops up to `count`)."""
    from django.db import transaction

    from authentication.models import User
    from courses.choices import CourseFormat, CourseStatus, MaterialKind
    from courses.models import Course
    from courses.services import course_create, enrollment_create, material_create, module_create

    bench = Course.objects.filter(owner__email__endswith="@" + EMAIL_DOMAIN)
    have = bench.count()
    teachers = list(
        User.objects.filter(email__startswith="teacher", email__endswith="@" + EMAIL_DOMAIN)
        .exclude(email__in=[busy_teacher_email(), booking_teacher_email()])
        .order_by("email")[:20]
    )
    students = list(
        User.objects.filter(
            email__startswith="student", email__endswith="@" + EMAIL_DOMAIN
        ).order_by("email")[:200]
    )
    if have < count and not teachers:
        sys.exit("bench: BENCH_COURSES needs at least three bench teachers.")
    formats = [CourseFormat.GROUP, CourseFormat.ONE_TO_ONE, CourseFormat.SELF_PACED]
    subjects = ["mathematics", "english", "physics", "piano"]
    today = datetime.now(UTC).date()
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(have, count):
            rng = random.Random(f"course-{i}")  # noqa: S311
            teacher = teachers[i % len(teachers)]
            kind = formats[i % len(formats)]
            course = course_create(
                actor=teacher,
                data={
                    "title": f"Bench course {i:04d}: {subjects[i % len(subjects)]} "
                    f"with {teacher.first_name}",
                    "summary": "A course seeded for the benchmark. " * 3,
                    "format": kind,
                    "capacity": 12 if kind == CourseFormat.GROUP else None,
                    "price": Decimal(rng.choice([0, 0, 40, 120])),
                    "currency": "EUR",
                    "subject": subjects[i % len(subjects)],
                    "level": "beginner",
                    "language": "en",
                    "starts_on": today + timedelta(days=7 + i % 30)
                    if kind == CourseFormat.GROUP
                    else None,
                    "status": CourseStatus.PUBLISHED,
                },
            )
            for position in range(3):
                module = module_create(
                    actor=teacher,
                    course=course,
                    data={"title": f"Module {position + 1}", "position": position},
                )
                material_create(
                    actor=teacher,
                    course=course,
                    module=module,
                    title=f"Notes {position + 1}",
                    kind=MaterialKind.TEXT,
                    body="Read this before the session. " * 10,
                )
            if course.is_free and students:
                for learner in rng.sample(students, k=min(4, len(students))):
                    enrollment_create(actor=learner, course=course)
    if count > have:
        log(f"seeded {count - have} courses in {time.perf_counter() - started:.1f} s")
    return {
        "bench_courses": bench.count(),
        "published_courses": Course.objects.filter(status=CourseStatus.PUBLISHED).count(),
    }


def busy_teacher_email() -> str:
    return f"teacher00000@{EMAIL_DOMAIN}"


def booking_teacher_email() -> str:
    return f"teacher00001@{EMAIL_DOMAIN}"


SCHEDULE_SETTINGS = {
    "lesson_lengths": [30, 60],
    "buffer_minutes": 0,
    "min_notice_minutes": 60,
    "horizon_days": 120,
    "cancellation_cutoff_hours": 24,
}


def _bench_teacher_profile(email: str, rules: list[dict]):
    from classroom.models import AvailabilityRule, TeacherProfile
    from classroom.scheduling.services import availability_replace

    profile = TeacherProfile.objects.select_related("user").get(user__email=email)
    if not AvailabilityRule.objects.filter(teacher=profile).exists():
        availability_replace(teacher=profile, rules=rules, settings=SCHEDULE_SETTINGS)
        profile.refresh_from_db()
    return profile


def _free_slots(teacher, *, start: datetime, days: int, length: int = 30) -> list[datetime]:
    """Free slot starts in [start, start + days) that do not overlap one another."""
    from classroom.scheduling.selectors import SlotQuery, slots_for_teacher

    starts: list[datetime] = []
    window_start = start
    while window_start < start + timedelta(days=days):
        window_end = min(window_start + timedelta(days=28), start + timedelta(days=days))
        _length, slots = slots_for_teacher(
            teacher=teacher, query=SlotQuery(start=window_start, end=window_end, length=length)
        )
        for slot_start, _slot_end in slots:
            if not starts or slot_start >= starts[-1] + timedelta(minutes=length):
                starts.append(slot_start)
        window_start = window_end
    return starts


def seed_schedule(*, busy_lessons: int) -> dict:
    """The busy teacher (weekday and weekend hours, `busy_lessons` upcoming lessons booked through
    `lesson_book` on every other free slot) and the booking teacher (open all day, its calendar
    emptied so each run books the same slots); bench students with a password who log in to book."""
    from django.db import transaction

    from authentication.choices import Role
    from authentication.models import User
    from authentication.services import user_create
    from classroom.choices import LessonStatus
    from classroom.models import Lesson
    from classroom.scheduling.services import lesson_book

    hours = [{"weekday": day, "start_time": dtime(8), "end_time": dtime(20)} for day in range(7)]
    all_day = [{"weekday": day, "start_time": dtime(0), "end_time": dtime(0)} for day in range(7)]
    started = time.perf_counter()
    with transaction.atomic():
        busy = _bench_teacher_profile(busy_teacher_email(), hours)
        booking = _bench_teacher_profile(booking_teacher_email(), all_day)
        deleted, _ = Lesson.objects.filter(teacher=booking).delete()
        bookers = []
        for i in range(BOOKERS):
            email = f"booker{i:02d}@{EMAIL_DOMAIN}"
            user = User.objects.filter(email=email).first() or user_create(
                email=email,
                password=BOOKER_PASSWORD,
                roles=[Role.STUDENT.value],
                email_verified=True,
                first_name="Booker",
                last_name=f"{i:02d}",
                timezone="Europe/Madrid",
            )
            bookers.append(user)
        _bench_students_adult()
        now = datetime.now(UTC)
        upcoming = Lesson.objects.filter(
            teacher=busy, start__gte=now, status=LessonStatus.SCHEDULED
        )
        missing = busy_lessons - upcoming.count()
        if missing > 0:
            learners = (
                list(
                    User.objects.filter(
                        email__startswith="student", email__endswith="@" + EMAIL_DOMAIN
                    ).order_by("email")[:100]
                )
                or bookers
            )
            free = _free_slots(busy, start=now + timedelta(hours=2), days=60)[::2]
            for n, slot in enumerate(free[:missing]):
                learner = learners[n % len(learners)]
                lesson_book(actor=learner, teacher=busy, student=learner, start=slot, length=30)
    if missing > 0 or deleted:
        log(
            f"schedule ready in {time.perf_counter() - started:.1f} s "
            f"(busy teacher +{max(missing, 0)} lessons; booking teacher emptied)"
        )
    return {
        "busy_teacher_id": busy.pk,
        "busy_teacher_upcoming_lessons": upcoming.count(),
        "busy_teacher_lessons": Lesson.objects.filter(teacher=busy).count(),
        "booking_teacher_id": booking.pk,
        "bookers": [u.email for u in bookers],
    }


# --- inbox: direct messages, a course room and the notification feed (issue 13) ---------------

INBOX_DOMAIN = (
    "inbox.bench.example.com"  # apart from the bench accounts, whose counts other rows report
)
INBOX_PASSWORD = "bench-inbox-pass-1234"  # noqa: S105 (throwaway accounts of the bench database)
INBOX_STUDENTS = 30  # enrolled in the inbox teacher's course; each writes to the teacher
THREAD_LENGTH = 5  # messages per direct-message thread: student, teacher, student, teacher, student


def inbox_teacher_email() -> str:
    return f"teacher@{INBOX_DOMAIN}"


def inbox_student_email() -> str:
    return f"student00@{INBOX_DOMAIN}"


def _inbox_people():
    """The signed-in teacher (and a student who can sign in too), with their students enrolled in
    one published course of the teacher's (so its room has them, and each pair may write)."""
    from authentication.choices import Role
    from authentication.models import User
    from authentication.services import user_create
    from classroom.models import StudentProfile
    from classroom.services import teacher_profile_approve, teacher_profile_update
    from courses.choices import CourseFormat, CourseStatus
    from courses.models import Course, Enrollment
    from courses.services import course_create, enrollment_create

    def person(email: str, role: Role, first: str, last: str, password: str | None):
        return User.objects.filter(email=email).first() or user_create(
            email=email,
            password=password,
            roles=[role.value],
            email_verified=True,
            first_name=first,
            last_name=last,
            timezone="Europe/Madrid",
        )

    teacher = person(inbox_teacher_email(), Role.TEACHER, "Irene", "Inbox", INBOX_PASSWORD)
    if not teacher.teacher_profile.is_approved:
        profile = teacher_profile_update(
            user=teacher,
            actor=teacher,
            data={
                "headline": "Irene teaches English",
                "bio": "Patient and well organised. " * 3,
                "subjects": ["english"],
                "levels": ["beginner"],
                "languages": ["en"],
                "hourly_rate": Decimal(30),
                "currency": "EUR",
                "teaches_online": True,
                "is_public": False,  # not listed: the teacher directory's rows stay as they were
            },
        )
        teacher_profile_approve(profile=profile)
    students = [
        person(
            f"student{i:02d}@{INBOX_DOMAIN}",
            Role.STUDENT,
            FIRST_NAMES[i % len(FIRST_NAMES)],
            "Inbox",
            INBOX_PASSWORD if i == 0 else None,
        )
        for i in range(INBOX_STUDENTS)
    ]
    StudentProfile.objects.filter(
        user__email__endswith="@" + INBOX_DOMAIN, date_of_birth__isnull=True
    ).update(date_of_birth=datetime(1995, 1, 1).date())
    # afresh: user_create's instances hold their profile as it was, without the date of birth
    students = list(
        User.objects.filter(email__startswith="student", email__endswith="@" + INBOX_DOMAIN)
        .order_by("email")
        .select_related("student_profile")
    )
    course = Course.objects.filter(owner=teacher).first() or course_create(
        actor=teacher,
        data={
            "title": "Inbox bench course: English conversation",
            "summary": "The course whose room the bench reads.",
            "format": CourseFormat.GROUP,
            "capacity": INBOX_STUDENTS + 10,
            "price": Decimal(0),
            "currency": "EUR",
            "subject": "english",
            "level": "beginner",
            "language": "en",
            "starts_on": datetime.now(UTC).date() + timedelta(days=7),
            "status": CourseStatus.PUBLISHED,
        },
    )
    enrolled = set(Enrollment.objects.filter(course=course).values_list("student_id", flat=True))
    for student in students:
        if student.pk not in enrolled:
            enrollment_create(actor=student, course=course)
    return teacher, students, course


def seed_inbox(*, messages: int, room_messages: int, notifications: int) -> dict:
    """For one teacher: `messages` direct messages (postman `Message` rows, threads of
    THREAD_LENGTH with their students), a course room with `room_messages` messages and
    `notifications` notifications. People and the course through the services; the bulk through
    bulk_create (seconds, not minutes); idempotent (tops up to the numbers)."""
    from django.db import transaction
    from django.db.models import F, Q
    from postman.models import STATUS_ACCEPTED, Message

    from inbox.models import Notification, NotificationKind, RoomMessage
    from inbox.rooms.services import course_room_sync

    started = time.perf_counter()
    with transaction.atomic():
        teacher, students, course = _inbox_people()
        room = course_room_sync(course=course)
        now = datetime.now(UTC)
        added = {"messages": 0, "room": 0, "notifications": 0}

        # Direct messages: whole threads (a student writes, the teacher answers, and so on), the
        # newest 20 threads unread by the teacher.
        mine = Message.objects.filter(Q(sender=teacher) | Q(recipient=teacher))
        threads = max(0, messages - mine.count()) // THREAD_LENGTH
        if threads:
            first = mine.count() // THREAD_LENGTH
            start = now - timedelta(minutes=THREAD_LENGTH * (first + threads))

            def at(t: int, k: int) -> datetime:
                return start + timedelta(minutes=THREAD_LENGTH * t + k)

            def unread(t: int) -> bool:
                return t >= threads - 20

            previous = Message.objects.bulk_create(
                [
                    Message(
                        sender=students[(first + t) % len(students)],
                        recipient=teacher,
                        subject=f"Question {first + t} about the homework",
                        body="Could you explain the second exercise again? " * 3,
                        sent_at=at(t, 0),
                        read_at=None if unread(t) else at(t, 1),
                        moderation_status=STATUS_ACCEPTED,
                    )
                    for t in range(threads)
                ],
                batch_size=2000,
            )
            roots = [m.pk for m in previous]
            Message.objects.filter(pk__in=roots).update(thread=F("pk"))
            for k in range(1, THREAD_LENGTH):
                from_teacher = k % 2 == 1
                previous = Message.objects.bulk_create(
                    [
                        Message(
                            sender=teacher if from_teacher else parent.sender,
                            recipient=parent.sender if from_teacher else teacher,
                            subject=f"Re: Question {first + t} about the homework",
                            body="Thank you, that helps. " * 4,
                            sent_at=at(t, k),
                            read_at=None if unread(t) and not from_teacher else at(t, k),
                            thread_id=roots[t],
                            parent_id=parent.pk,
                            moderation_status=STATUS_ACCEPTED,
                        )
                        for t, parent in enumerate(previous)
                    ],
                    batch_size=2000,
                )
            added["messages"] = threads * THREAD_LENGTH

        # The course room's history: the teacher and the students in turn, one a minute.
        have = RoomMessage.objects.filter(room=room).count()
        if room_messages > have:
            authors = [teacher, *students]
            n = room_messages - have
            RoomMessage.objects.bulk_create(
                [
                    RoomMessage(
                        room=room,
                        author=authors[(have + i) % len(authors)],
                        body=f"Message {have + i}: who has the notes from Tuesday?",
                        created_at=now - timedelta(minutes=n - i),
                    )
                    for i in range(n)
                ],
                batch_size=2000,
            )
            added["room"] = n

        # Notifications of four kinds, the newest 50 unread.
        have = Notification.objects.filter(recipient=teacher).count()
        if notifications > have:
            n = notifications - have
            kinds = [
                (
                    NotificationKind.DIRECT_MESSAGE,
                    f"/messages/threads/{roots[0] if threads else 0}/",
                    {"subject": "Question about the homework"},
                ),
                (
                    NotificationKind.MENTION,
                    f"/rooms/{room.pk}/",
                    {"room_name": course.title, "room_id": room.pk, "excerpt": "@Irene see this"},
                ),
                (
                    NotificationKind.MATERIAL_SHARED,
                    "/lessons/",
                    {"material_title": "Verb table", "start": now.isoformat()},
                ),
                (
                    NotificationKind.ENROLLMENT_CONFIRMED,
                    course.get_absolute_url(),
                    {"course_title": course.title},
                ),
            ]
            rows = []
            for i in range(n):
                kind, url, data = kinds[(have + i) % len(kinds)]
                created = now - timedelta(minutes=n - i)
                rows.append(
                    Notification(
                        recipient=teacher,
                        kind=kind,
                        actor=students[(have + i) % len(students)],
                        url=url,
                        data=data,
                        created_at=created,
                        read_at=None if i >= n - 50 else created,
                    )
                )
            Notification.objects.bulk_create(rows, batch_size=2000)
            added["notifications"] = n
    if any(added.values()):
        log(
            f"inbox ready in {time.perf_counter() - started:.1f} s (+{added['messages']} direct "
            f"messages, +{added['room']} room messages, +{added['notifications']} notifications)"
        )
    from inbox.messaging.selectors import message_list_for

    received = message_list_for(user=teacher)  # what the inbox page and API list
    return {
        "inbox_teacher_id": teacher.pk,
        "inbox_room_id": room.pk,
        "inbox_direct_messages": Message.objects.filter(
            Q(sender=teacher) | Q(recipient=teacher)
        ).count(),
        "inbox_received": received.count(),
        "inbox_room_messages": RoomMessage.objects.filter(room=room).count(),
        "inbox_room_members": room.memberships.count(),
        "inbox_notifications": Notification.objects.filter(recipient=teacher).count(),
    }


def course_urls() -> list[tuple[str, str]]:
    """The catalog and a published group course with modules, as the site links them."""
    from django.urls import reverse

    from courses.choices import CourseFormat, CourseStatus
    from courses.models import Course

    course = (
        Course.objects.filter(
            status=CourseStatus.PUBLISHED,
            format=CourseFormat.GROUP,
            owner__email__endswith="@" + EMAIL_DOMAIN,
        )
        .order_by("pk")
        .first()
    )
    if course is None:
        sys.exit("bench: no published bench group course (BENCH_COURSES must be at least 1).")
    return [
        ("course catalog", reverse("course-catalog")),
        ("course page", course.get_absolute_url()),
    ]


def inbox_urls(seeded: dict) -> list[tuple[str, str]]:
    """The inbox teacher's pages and API calls, each read signed in (inbox_headers)."""
    room = seeded["inbox_room_id"]
    return [
        ("inbox page", "/messages/"),
        ("inbox API", "/api/v1/messages"),
        ("room page", f"/rooms/{room}/"),
        ("room history API", f"/api/v1/rooms/{room}/messages"),
        ("notification feed", "/notifications/"),
        ("notifications API", "/api/v1/notifications"),
    ]


INBOX_PAGES = {"inbox page", "room page", "notification feed"}
INBOX_APIS = {"inbox API", "room history API", "notifications API"}


def inbox_headers(port: int) -> dict[str, dict[str, str]]:
    """How each inbox row signs in: pages with the session cookie of a signed-in browser (a
    session made by Django's test client `force_login`, kept in the database like any other), API
    calls with the session token of a real login (`POST /_allauth/app/v1/auth/login`)."""
    from django.conf import settings
    from django.test import Client

    from authentication.models import User

    browser = Client(HTTP_HOST="127.0.0.1")
    browser.force_login(User.objects.get(email=inbox_teacher_email()))
    cookie = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    }
    token = {"X-Session-Token": login_token(port, inbox_teacher_email(), INBOX_PASSWORD)}
    return dict.fromkeys(INBOX_PAGES, cookie) | dict.fromkeys(INBOX_APIS, token)


def inbox_answer_error(name: str, body: bytes, seeded: dict) -> str | None:
    """Whether a signed-in row answered what it must (the caller has checked the 200): the page's
    first page of rows, the API's page of items and its count of the whole list. None when right."""
    from inbox.messaging.views import PAGE_SIZE as INBOX_PAGE_SIZE
    from inbox.notifications.views import FEED_PAGE_SIZE
    from inbox.rooms.selectors import HISTORY_PAGE_SIZE

    text = body.decode()
    if name in INBOX_PAGES:
        marker, wanted = {
            "inbox page": ('<li class="dm-row', INBOX_PAGE_SIZE),
            "room page": ("data-message-id=", HISTORY_PAGE_SIZE),
            "notification feed": ('data-testid="notification"', FEED_PAGE_SIZE),
        }[name]
        found = text.count(marker)
        return None if found == wanted else f"{found} rows ({marker}), not {wanted}"
    answer = json.loads(text)
    items = len(answer["items"])
    if name == "room history API":
        wanted = HISTORY_PAGE_SIZE
        ok = items == wanted and answer["has_older"] is True
        return None if ok else f"{items} items (has_older {answer['has_older']}), not {wanted}"
    count = {
        "inbox API": seeded["inbox_received"],
        "notifications API": seeded["inbox_notifications"],
    }[name]
    if items == 20 and answer["count"] == count:  # LimitOffset's default page
        return None
    return f"{items} items of {answer['count']}, not 20 of {count}"


# --- server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(
    port: int, path: str, timeout: float = 10, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_gunicorn(
    *,
    port: int,
    workers: int,
    env: dict[str, str],
    log_file: Path,
    app: str = "cplatform.wsgi:application",
) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning", "--error-logfile", str(log_file), "--timeout", "30",
    ]  # fmt: skip
    # A session of its own: stopping it stops its workers and nothing else.
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log_file}")
        try:
            if get(port, "/bench/ok/", timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_gunicorn(server)
    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_file}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


# --- load -------------------------------------------------------------------------------------


def load_wrk(
    url: str, *, seconds: int, connections: int, headers: dict[str, str] | None = None
) -> dict:
    script = ROOT / "bench" / "wrk_report.lua"
    command = [
        "wrk",
        *(f"-H{name}: {value}" for name, value in (headers or {}).items()),
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH_JSON (.*)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk printed no report:\n{output}")
    result = json.loads(match.group(1))
    result["errors"] = sum(result.pop("errors").values())
    return result


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[rank]


def load_python(
    port: int,
    path: str,
    *,
    seconds: int,
    connections: int,
    max_requests: int,
    headers: dict[str, str] | None = None,
) -> dict:
    """Threads with http.client (keep-alive where the server allows it), bounded in time and count."""
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    errors: Counter[str] = Counter()

    def worker() -> None:
        nonlocal issued
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        while time.perf_counter() < deadline:
            with lock:
                if issued >= max_requests:
                    break
                issued += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors["status"] += 1
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors["socket"] += 1
                conn.close()
                continue
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 3),
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "max_ms": (latencies[-1] if latencies else float("nan")) * 1000,
        "errors": sum(errors.values()),
    }


def load_sequence(
    port: int, requests: list[tuple[str, str, bytes | None, dict]], *, expect: int, seconds: int
) -> dict:
    """Send `requests` one after another on one keep-alive connection (each request is different:
    a booking per free slot), bounded in time; a status other than `expect` counts as an error."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    started = time.perf_counter()
    for method, path, body, headers in requests:
        if time.perf_counter() >= deadline:
            break
        sent = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            statuses[response.status] += 1
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            statuses[0] += 1
            conn.close()
            continue
        latencies.append(time.perf_counter() - sent)
    elapsed = time.perf_counter() - started
    conn.close()
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 3),
        "rps": len(latencies) / elapsed if elapsed else float("nan"),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "max_ms": (latencies[-1] if latencies else float("nan")) * 1000,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": sum(v for k, v in statuses.items() if k != expect),
    }


def login_token(port: int, email: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(
            "POST",
            "/_allauth/app/v1/auth/login",
            body=json.dumps({"email": email, "password": password}),
            headers={"Content-Type": "application/json"},
        )
        response = conn.getresponse()
        payload = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"bench login of {email} answered {response.status}: {payload[:300]!r}")
    return json.loads(payload)["meta"]["session_token"]


def measure_booking(port: int, schedule: dict, *, bookings: int, seconds: int) -> list[dict]:
    """The bare view, then `bookings` real bookings, each sequential on one connection."""
    from classroom.models import TeacherProfile

    booking = TeacherProfile.objects.get(pk=schedule["booking_teacher_id"])
    slots = _free_slots(booking, start=datetime.now(UTC) + timedelta(days=1), days=60)
    needed = BOOKING_WARMUP + bookings
    if len(slots) < needed:
        raise RuntimeError(f"only {len(slots)} free slots for {needed} bookings")
    tokens = [login_token(port, email, BOOKER_PASSWORD) for email in schedule["bookers"]]
    requests = [
        (
            "POST",
            "/api/v1/lessons",
            json.dumps(
                {"teacher_id": booking.pk, "start": start.isoformat(), "length": 30}
            ).encode(),
            {"Content-Type": "application/json", "X-Session-Token": tokens[n % len(tokens)]},
        )
        for n, start in enumerate(slots[:needed])
    ]
    bare = [("GET", "/bench/ok/", None, {})] * needed
    log(
        f"sequential: {needed} GET /bench/ok/, then {needed} bookings (first {BOOKING_WARMUP} warm-up)"
    )
    load_sequence(port, bare[:BOOKING_WARMUP], expect=200, seconds=seconds)
    bare_row = load_sequence(port, bare[BOOKING_WARMUP:], expect=200, seconds=seconds)
    load_sequence(port, requests[:BOOKING_WARMUP], expect=201, seconds=seconds)
    booking_row = load_sequence(port, requests[BOOKING_WARMUP:], expect=201, seconds=seconds)
    return [
        {"name": "bare view", "path": "/bench/ok/", "method": "GET", **bare_row},
        {
            "name": "booking",
            "path": "/api/v1/lessons",
            "method": "POST",
            "distinct_slots": len({r[2] for r in requests}),
            **booking_row,
        },
    ]


# --- report -----------------------------------------------------------------------------------


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return None
    return out.stdout.strip() or None


def _label(row: dict) -> str:
    method = f"{row['method']} " if "method" in row else ""
    return f"{row['name']} {method}{row['path']}"


def _pct(value: float) -> str:
    return f"{value * 100:.1f} %"


def _print_rows(rows: list[dict], *, width: int, ratio: str) -> None:
    header = (
        f"{'endpoint':<{width}}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{ratio:>12}{'p50 vs bare':>13}{'p95 vs bare':>13}{'queries':>9}{'errors':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        queries = row.get("queries")
        print(
            f"{_label(row):<{width}}{row['rps']:>9.1f}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}"
            f"{_pct(row['rps_vs_bare']):>12}{row['p50_vs_bare']:>12.2f}x{row['p95_vs_bare']:>12.2f}x"
            f"{'' if queries is None else queries:>9}{row['errors']:>8}"
        )


def print_table(report: dict) -> None:
    rows = report["results"] + report.get("sequential", {}).get("results", [])
    width = max(34, *(len(_label(row)) + 2 for row in rows))
    print()
    print(
        f"cplatform bench · {report['seed']['bench_users']} users, {report['seed']['listed_teachers']} listed "
        f"teachers · gunicorn {report['workers']} sync workers · {report['tool']}, "
        f"{report['connections']} connections, {report['duration_s']} s per URL after "
        f"{report['warmup_s']} s warm-up · {report['cpu_count']} CPUs, load {report['load_average_before']} "
        f"before, {report['load_average_after']} after"
    )
    seed = report["seed"]
    if "bench_courses" in seed:
        print(
            f"{seed['bench_courses']} bench courses ({seed['published_courses']} published in all) · "
            f"busy teacher {seed['busy_teacher_id']}: {seed['busy_teacher_upcoming_lessons']} upcoming "
            f"lessons ({seed['busy_teacher_lessons']} in all), slots asked for the next 7 days"
        )
    print(
        f"median of {report['rounds']} interleaved rounds (every URL once per round, in turn); "
        "'of bare' is req/s as a share of the bare view measured in the same round (median of the "
        "rounds); queries: SQL queries of one request after a warm-up one (Django's test client)"
    )
    _print_rows(report["results"], width=width, ratio="of bare")
    sequential = report.get("sequential")
    if sequential:
        print()
        print(
            f"booking · one keep-alive connection, requests one after another; each POST books a "
            f"different free 30-minute slot ({sequential['bookers']} logged-in students in turn) and "
            f"must answer 201; baseline: the bare view loaded the same way"
        )
        _print_rows(sequential["results"], width=width, ratio="of bare")
    print()
    print("checks (issue 9; the inbox rows: issue 13):")
    for check in report["checks"]:
        mark = "ok  " if check["ok"] else "FAIL"
        if "max" in check:
            print(f"  {mark} {check['what']}: {check['value']} (at most {check['max']})")
        else:
            print(
                f"  {mark} {check['what']}: {_pct(check['value'])} (at least {_pct(check['min'])})"
            )
    print()


def count_page_queries(
    urls: list[tuple[str, str]], headers: dict[str, dict[str, str]] | None = None
) -> dict[str, int | None]:
    """SQL queries of one request to each URL, made with Django's test client in this process on the
    bench database, after a first request that fills per-process caches (as a warm gunicorn worker
    has them). None when the page does not answer 200. `headers`: a row's own (a signed-in row's
    session cookie or token), by name."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts: dict[str, int | None] = {}
    for name, path in urls:
        extra = (headers or {}).get(name) or {}
        client.get(path, headers=extra)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, headers=extra)
        counts[name] = len(captured) if response.status_code == 200 else None
    connection.close()
    return counts


def load_url(
    port: int,
    path: str,
    *,
    tool: str,
    seconds: int,
    warmup: int,
    connections: int,
    max_requests: int,
    headers: dict[str, str] | None = None,
) -> dict:
    if tool == "wrk":
        url = f"http://127.0.0.1:{port}{path}"
        if warmup:
            load_wrk(url, seconds=warmup, connections=connections, headers=headers)
        return load_wrk(url, seconds=seconds, connections=connections, headers=headers)
    options = {"connections": connections, "max_requests": max_requests, "headers": headers}
    if warmup:
        load_python(port, path, seconds=warmup, **options)
    return load_python(port, path, seconds=seconds, **options)


def median_row(rows: list[dict]) -> dict:
    """One URL's rounds as one row: the median of each measure, errors and requests summed."""
    from statistics import median

    row = {k: v for k, v in rows[0].items() if not isinstance(v, int | float) or k == "bytes"}
    for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "max_ms", "seconds"):
        row[key] = median(r[key] for r in rows)
    for key in ("rps_vs_bare", "p50_vs_bare", "p95_vs_bare"):
        row[key] = median(r[key] for r in rows)
    row["requests"] = sum(r["requests"] for r in rows)
    row["errors"] = sum(r["errors"] for r in rows)
    row["rounds_rps"] = [round(r["rps"], 1) for r in rows]
    row["rounds_vs_bare"] = [round(r["rps_vs_bare"], 4) for r in rows]
    return row


def with_ratios(rows: list[dict]) -> list[dict]:
    bare = rows[0]
    for row in rows:
        row["rps_vs_bare"] = row["rps"] / bare["rps"]
        row["p50_vs_bare"] = row["p50_ms"] / bare["p50_ms"]
        row["p95_vs_bare"] = row["p95_ms"] / bare["p95_ms"]
    return rows


def checks(results: list[dict], rounds: list[list[dict]]) -> list[dict]:
    from statistics import median

    found = []
    # Ours against the default-middleware bare view, both measured in the same round.
    ours_vs_default = median(r[0]["rps"] / r[1]["rps"] for r in rounds)
    found.append(
        {
            "what": "bare view as a share of the default-middleware bare view",
            "value": ours_vs_default,
            "min": BARE_VS_DEFAULT_MIN,
            "ok": ours_vs_default >= BARE_VS_DEFAULT_MIN,
        }
    )
    for row in results:
        if row["name"] in INBOX_MIN:
            found.append(
                {
                    "what": f"{row['name']} req/s as a share of the bare view",
                    "value": row["rps_vs_bare"],
                    "min": INBOX_MIN[row["name"]],
                    "ok": row["rps_vs_bare"] >= INBOX_MIN[row["name"]],
                }
            )
        if row["name"] in INBOX_MAX_QUERIES:
            queries = row.get("queries")
            found.append(
                {
                    "what": f"{row['name']} SQL queries of one request",
                    "value": queries,
                    "max": INBOX_MAX_QUERIES[row["name"]],
                    "ok": queries is not None and queries <= INBOX_MAX_QUERIES[row["name"]],
                }
            )
        if row["name"] in PUBLIC_PAGES:
            found.append(
                {
                    "what": f"{row['name']} req/s as a share of the bare view",
                    "value": row["rps_vs_bare"],
                    "min": PUBLIC_PAGE_MIN,
                    "ok": row["rps_vs_bare"] >= PUBLIC_PAGE_MIN,
                }
            )
    return found


def main() -> int:
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        sys.exit("bench: set DATABASE_URL to a PostgreSQL database (make bench does it for you).")
    users = env_int("BENCH_USERS", 300)
    teachers = env_int("BENCH_TEACHERS", 100)
    if not 0 <= teachers <= users:
        sys.exit("bench: BENCH_TEACHERS must be between 0 and BENCH_USERS.")
    if teachers < 5:
        sys.exit(
            "bench: BENCH_TEACHERS must be at least 5 (a busy one, a booking one, course owners)."
        )
    course_count = env_int("BENCH_COURSES", 60)
    busy_lessons = env_int("BENCH_BUSY_LESSONS", 300)
    bookings = env_int("BENCH_BOOKINGS", 300)
    duration = env_int("BENCH_DURATION", 8)
    warmup = env_int("BENCH_WARMUP", 2)
    rounds = env_int("BENCH_ROUNDS", 3)
    connections = env_int("BENCH_CONNECTIONS", 4)
    workers = env_int("BENCH_WORKERS", 2)
    max_requests = env_int("BENCH_MAX_REQUESTS", 50_000)
    tool = os.environ.get("BENCH_TOOL") or ("wrk" if shutil.which("wrk") else "python")
    if tool not in {"wrk", "python"}:
        sys.exit("bench: BENCH_TOOL is wrk or python.")
    if rounds < 1:
        sys.exit("bench: BENCH_ROUNDS must be at least 1.")

    RESULTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE, "DATABASE_URL": database_url}
    env.pop("DEBUG", None)
    database = ensure_database(database_url)
    migrate(env)

    os.environ.update({"DJANGO_SETTINGS_MODULE": SETTINGS_MODULE})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections as db_connections

    seeded = seed(users=users, teachers=teachers)
    seed_public_site()  # first: the site's page tree, which course pages may hang under
    seeded.update(seed_courses(count=course_count))
    schedule = seed_schedule(busy_lessons=busy_lessons)
    seeded.update({k: v for k, v in schedule.items() if k != "bookers"})
    seeded.update(
        seed_inbox(
            messages=env_int("BENCH_INBOX_MESSAGES", 10_000),
            room_messages=env_int("BENCH_ROOM_MESSAGES", 10_000),
            notifications=env_int("BENCH_NOTIFICATIONS", 10_000),
        )
    )
    urls = (
        URLS
        + public_site_urls()
        + course_urls()
        + [("busy teacher's slots", f"/api/v1/slots?teacher_id={schedule['busy_teacher_id']}")]
    )
    queries = count_page_queries([BARE, *urls])
    signed_in = inbox_urls(seeded)
    db_connections.close_all()

    port, default_port = free_port(), free_port()
    log(
        f"gunicorn with {workers} workers on 127.0.0.1:{port}, and on :{default_port} the reference"
    )
    server = start_gunicorn(port=port, workers=workers, env=env, log_file=RESULTS / "gunicorn.log")
    reference = None
    # (name, path, port): the bare view, its reference right after it, then the pages.
    plan = [(*BARE, port), (*BARE_DEFAULT_MW, default_port), *((n, p, port) for n, p in urls)]
    plan += [(n, p, port) for n, p in signed_in]
    headers: dict[str, dict[str, str]] = {}
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    per_round: list[list[dict]] = []
    sequential: list[dict] = []
    try:
        reference = start_gunicorn(
            port=default_port,
            workers=workers,
            env=env,
            log_file=RESULTS / "gunicorn-default-middleware.log",
            app=DEFAULT_MW_APP,
        )
        headers = inbox_headers(port)
        queries.update(count_page_queries(signed_in, headers))
        db_connections.close_all()
        for name, path, at in plan:
            status, body = get(at, path, headers=headers.get(name))
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
            if name == "search" and body.count(b'<li class="search-result') < 8:
                raise RuntimeError(f"GET {path} found fewer than 8 results")
            if name in headers and (wrong := inbox_answer_error(name, body, seeded)):
                raise RuntimeError(f"GET {path} (signed in) answered {wrong}")
        for number in range(1, rounds + 1):
            rows = []
            for name, path, at in plan:
                log(f"round {number}/{rounds}: loading {path} on :{at} ({name})")
                measured = load_url(
                    at,
                    path,
                    tool=tool,
                    seconds=duration,
                    warmup=warmup,
                    connections=connections,
                    max_requests=max_requests,
                    headers=headers.get(name),
                )
                status, body = get(at, path, headers=headers.get(name))
                if status != 200:  # a signed-in row must still be signed in after its load
                    raise RuntimeError(f"GET {path} answered {status} after its load")
                rows.append({"name": name, "path": path, "bytes": len(body), **measured})
            per_round.append(with_ratios(rows))
        if bookings:
            sequential = with_ratios(
                measure_booking(port, schedule, bookings=bookings, seconds=duration * 8)
            )
    finally:
        stop_gunicorn(server)
        if reference is not None:
            stop_gunicorn(reference)
        log("gunicorn stopped")

    results = [median_row([r[i] for r in per_round]) for i in range(len(plan))]
    for row in results:
        row["queries"] = queries.get(row["name"])
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "settings": SETTINGS_MODULE,
        "reference_app": DEFAULT_MW_APP,
        "database": database,
        "seed": seeded,
        "tool": tool,
        "rounds": rounds,
        "connections": connections,
        "duration_s": duration,
        "warmup_s": warmup,
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_before": load_before,
        "load_average_after": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "results": results,
        "checks": checks(results, per_round),
        "per_round": per_round,
    }
    if sequential:
        report["sequential"] = {
            "method": (
                "one keep-alive connection, requests one after another (python http.client); "
                f"{BOOKING_WARMUP} warm-up requests each, then the measured ones; every booking POSTs "
                "a different free, non-overlapping 30-minute slot of the booking teacher, by "
                f"{BOOKERS} logged-in bench students in turn (X-Session-Token), and must answer 201"
            ),
            "bookers": BOOKERS,
            "results": sequential,
        }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    log(f"written to {(RESULTS / 'latest.json').relative_to(ROOT)}")
    failed = [row["path"] for row in results + sequential if row["errors"]]
    if failed:
        log(f"errors while loading {', '.join(failed)}: see {RESULTS / 'gunicorn.log'}")
        return 1
    missed = [check["what"] for check in report["checks"] if not check["ok"]]
    if missed:
        log(f"below the bars: {'; '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
