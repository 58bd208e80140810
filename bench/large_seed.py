#!/usr/bin/env python
"""`make bench-large`: the large seed of issue 15 on PostgreSQL, in bulk with COPY, in minutes.

50,000 people (teachers, students, a few admins), 5,000 courses (each with a room), 500,000 lessons
with their attendance, 2,000,000 messages (half postman direct messages, half course-room
messages), 200,000 payments (each with its order and invoice, in EUR and USD, some refunded) and
enrolments. Rows go in with psycopg 3's `cursor.copy()` (no ORM save, no signals), with a progress
bar per table; every constraint holds, the exclusion constraints on lessons included: lesson j of
teacher t starts at slot j (17 hours apart, so a teacher's lessons never overlap) and its student is
student (t + j) mod S, so at one slot no two teachers share a student.

Idempotent: the database (BENCH_LARGE_DB, default `cplatform_bench_large` on DATABASE_URL's cluster)
is dropped, recreated and migrated on every run. Never in CI (it takes minutes and gigabytes).

Environment: DATABASE_URL (the cluster; `make bench-large` uses scripts/test-db's), BENCH_LARGE_DB,
BENCH_LARGE_SCALE [1.0] (multiplies every count: 0.01 makes a 1 % seed to try the script quickly),
BENCH_LARGE_KEEP=1 (do not drop: reuse the database when it is already seeded).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALE = float(os.environ.get("BENCH_LARGE_SCALE", "1") or 1)
PEOPLE = int(50_000 * SCALE)
TEACHERS = max(int(1_000 * SCALE), 2)
ADMINS = 10
COURSES = int(5_000 * SCALE)
LESSONS = int(500_000 * SCALE)
MESSAGES = int(2_000_000 * SCALE)
PAYMENTS = int(200_000 * SCALE)
ENROLMENTS_PER_COURSE = 20
SLOT = timedelta(hours=17)  # a teacher's lesson j starts at BASE + j * SLOT (one hour long)
EMAIL_DOMAIN = "large.bench.example.com"
PASSWORD = "bench-large-pass-1234"  # noqa: S105 (throwaway accounts of a throwaway database)


def log(message: str) -> None:
    print(f"[bench-large] {message}", flush=True)


class Progress:
    """A one-line progress bar on stderr (no dependency)."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started = time.perf_counter()
        self.step = max(self.total // 200, 1)

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.done % self.step < n or self.done >= self.total:
            self.draw()

    def draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed else 0
        sys.stderr.write(
            f"\r  {self.label:<22} [{bar:<30}] {share:6.1%} {self.done:>10,} rows {rate:>9,.0f}/s"
        )
        sys.stderr.flush()

    def close(self) -> float:
        self.draw()
        sys.stderr.write("\n")
        return time.perf_counter() - self.started


# --- database ---------------------------------------------------------------------------------


def database_urls() -> tuple[str, str]:
    import dj_database_url

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("bench-large: DATABASE_URL must point at a PostgreSQL cluster (postgres://…).")
    name = os.environ.get("BENCH_LARGE_DB", "cplatform_bench_large")
    db = dj_database_url.parse(base)
    auth = db["USER"] or "postgres"
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    server = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{server}/postgres", f"postgres://{auth}@{server}/{name}"


def recreate(admin_url: str, url: str) -> None:
    """Drop and recreate the database as a copy of `<name>_template`, an empty migrated database
    kept beside it (migrated here when it is missing or behind: migrations take a minute or two)."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    template = "cplatform_bench_large_template"  # one migrated template for every size
    template_url = f"{url.rsplit('/', 1)[0]}/{template}"
    env = {
        **os.environ,
        "DATABASE_URL": template_url,
        "DJANGO_SETTINGS_MODULE": "cplatform.settings.bench",
    }
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
    check = [sys.executable, "manage.py", "migrate", "--check", "-v0"]
    if subprocess.run(check, cwd=ROOT, env=env, capture_output=True).returncode != 0:
        log(f"migrating {template} (a minute or two)")
        migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
        subprocess.run(migrate, cwd=ROOT, env=env, check=True)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    log(f"database {name} recreated from {template}")


# --- COPY with the models' own defaults ---------------------------------------------------------


class Copier:
    """COPY rows of a model: each row is a dict of the fields given; every other concrete field takes
    its model default (callable defaults called per row), `now` for auto_now(_add), NULL when
    nullable, "" when blank text. Values go through the field's own `get_db_prep_save`."""

    def __init__(self, raw_connection, now: datetime):
        self.raw, self.now = raw_connection, now

    def copy(self, model, rows, *, total: int, label: str | None = None) -> int:
        from django.db import connection

        fields = list(model._meta.concrete_fields)
        fixed, dynamic = {}, {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                fixed[f.attname] = self.now
            elif f.has_default():
                if callable(f.default):
                    dynamic[f.attname] = f.default
                else:
                    fixed[f.attname] = f.default
            elif f.null:
                fixed[f.attname] = None
            elif f.blank and f.get_internal_type() in (
                "CharField",
                "TextField",
                "EmailField",
                "URLField",
                "SlugField",
                "FileField",
                "ImageField",
            ):
                fixed[f.attname] = ""
        columns = ", ".join(f'"{f.column}"' for f in fields)
        progress = Progress(label or model._meta.db_table, total)
        count = 0
        statement = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
        # Only JSON needs the field's own preparation; psycopg adapts the rest (str, int, bool,
        # Decimal, date, datetime, UUID) itself, which keeps the loop cheap.
        prepared = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
        plan = []
        for f in fields:
            name = f.attname
            if name not in fixed and name not in dynamic:
                plan.append((name, None, None, f))  # must be in every row
            elif name in dynamic:
                plan.append((name, dynamic[name], None, f))
            else:
                value = fixed[name]
                if name in prepared:
                    value = f.get_db_prep_save(value, connection)
                plan.append((name, None, value, f))
        with self.raw.cursor() as cur, cur.copy(statement) as out:
            for row in rows:
                values = []
                for name, make, default, f in plan:
                    if name in row:
                        value = row[name]
                        if name in prepared:
                            value = f.get_db_prep_save(value, connection)
                    elif make is not None:
                        value = f.get_db_prep_save(make(), connection)
                    elif default is not None or name in fixed:
                        value = default
                    else:
                        raise SystemExit(
                            f"bench-large: {model.__name__}.{name} has no value and no default"
                        )
                    values.append(value)
                out.write_row(values)
                count += 1
                progress.tick()
        seconds = progress.close()
        log(f"{model._meta.db_table}: {count:,} rows in {seconds:.1f} s")
        return count


def reset_sequences(raw, models) -> None:
    with raw.cursor() as cur:
        for model in models:
            table = model._meta.db_table
            pk = model._meta.pk.column
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "  # noqa: S608
                f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 1))'
            )


# --- the seed -------------------------------------------------------------------------------------


def seed() -> dict[str, int]:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from postman.models import STATUS_ACCEPTED
    from postman.models import Message as DirectMessage

    from authentication.choices import Role
    from authentication.models import User
    from billing.models import Invoice, Order, OrderLine, Payment, Refund
    from catalog.models import Level, Subject, TeachingLanguage
    from classroom.models import Attendance, Lesson, StudentProfile, TeacherProfile
    from courses.models import Course, Enrollment
    from inbox.models import Room, RoomMember, RoomMessage

    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    base = now - timedelta(days=300)  # lessons run from 300 days ago to ~54 days ahead
    counts: dict[str, int] = {}
    connection.ensure_connection()
    raw = connection.connection
    copier = Copier(raw, now)
    password = make_password(PASSWORD)
    subjects = list(Subject.objects.values_list("pk", flat=True))
    levels = list(Level.objects.values_list("pk", flat=True))
    languages = list(TeachingLanguage.objects.values_list("pk", flat=True))
    groups = {role: Group.objects.get_or_create(name=str(role))[0].pk for role in Role}

    students = PEOPLE - TEACHERS - ADMINS
    # ids: teachers 1..T, admins T+1..T+A, students after them
    teacher_ids = range(1, TEACHERS + 1)
    admin_ids = range(TEACHERS + 1, TEACHERS + ADMINS + 1)
    student_ids = range(TEACHERS + ADMINS + 1, PEOPLE + 1)

    def person(uid):
        if uid in teacher_ids:
            return f"teacher{uid:06d}@{EMAIL_DOMAIN}", False
        if uid in admin_ids:
            return f"admin{uid:06d}@{EMAIL_DOMAIN}", True
        return f"student{uid:06d}@{EMAIL_DOMAIN}", False

    with transaction.atomic():
        counts["people"] = copier.copy(
            User,
            (
                {
                    "id": uid,
                    "email": person(uid)[0],
                    "password": password,
                    "first_name": f"P{uid}",
                    "last_name": "Bench",
                    "is_staff": person(uid)[1],
                    "date_joined": base + timedelta(minutes=uid * 7 % (400 * 24 * 60)),
                    "last_login": now - timedelta(hours=uid % (60 * 24)),
                    "timezone": "Europe/Madrid",
                }
                for uid in range(1, PEOPLE + 1)
            ),
            total=PEOPLE,
            label="people",
        )
        roles = [(uid, groups[Role.TEACHER]) for uid in teacher_ids]
        roles += [(uid, groups[Role.ADMIN]) for uid in admin_ids]
        roles += [(uid, groups[Role.STUDENT]) for uid in student_ids]
        copier.copy(
            User.groups.through,
            ({"id": i + 1, "user_id": uid, "group_id": gid} for i, (uid, gid) in enumerate(roles)),
            total=len(roles),
            label="roles",
        )
        copier.copy(
            TeacherProfile,
            (
                {
                    "id": uid,
                    "user_id": uid,
                    "slug": f"large-bench-teacher-{uid}",
                    "headline": f"Teacher {uid}",
                    "hourly_rate": Decimal(20 + uid % 50),
                    "currency": "EUR",
                    "is_public": True,
                    "is_approved": True,
                    "approved_at": now,
                }
                for uid in teacher_ids
            ),
            total=TEACHERS,
            label="teacher profiles",
        )
        copier.copy(
            StudentProfile,
            (
                {"id": i + 1, "user_id": uid, "date_of_birth": datetime(1995, 1, 1).date()}
                for i, uid in enumerate(student_ids)
            ),
            total=students,
            label="student profiles",
        )

        formats = ["group", "one_to_one", "self_paced"]
        counts["courses"] = copier.copy(
            Course,
            (
                {
                    "id": c,
                    "title": f"Large bench course {c}",
                    "slug": f"large-bench-course-{c}",
                    "owner_id": teacher_ids[c % TEACHERS],
                    "format": formats[c % 3],
                    "capacity": 30 if formats[c % 3] == "group" else None,
                    "price": Decimal([0, 40, 120, 300][c % 4]),
                    "currency": "EUR" if c % 5 else "USD",
                    "subject_id": subjects[c % len(subjects)],
                    "level_id": levels[c % len(levels)] if levels else None,
                    "language_id": languages[c % len(languages)] if languages else None,
                    "status": "published",
                }
                for c in range(1, COURSES + 1)
            ),
            total=COURSES,
            label="courses",
        )
        copier.copy(
            Course.teachers.through,
            (
                {"id": c, "course_id": c, "user_id": teacher_ids[c % TEACHERS]}
                for c in range(1, COURSES + 1)
            ),
            total=COURSES,
            label="course teachers",
        )

        def enrolment_rows():
            i = 0
            for c in range(1, COURSES + 1):
                for k in range(ENROLMENTS_PER_COURSE):
                    i += 1
                    sid = student_ids[(c * 37 + k * 1009) % students]
                    created = base + timedelta(hours=(c * 13 + k * 7) % (300 * 24))
                    yield {
                        "id": i,
                        "course_id": c,
                        "student_id": sid,
                        "status": "active" if k % 10 else "withdrawn",
                        "enrolled_by_id": sid,
                        "created_at": created,
                        "activated_at": created,
                        "ended_at": created + timedelta(days=5) if k % 10 == 0 else None,
                    }

        counts["enrolments"] = copier.copy(
            Enrollment, enrolment_rows(), total=COURSES * ENROLMENTS_PER_COURSE, label="enrolments"
        )

        per_teacher = LESSONS // TEACHERS

        def lesson_rows():
            i = 0
            for j in range(per_teacher):
                start = base + j * SLOT
                past = start + timedelta(hours=1) <= now
                for t in range(TEACHERS):
                    i += 1
                    sid = student_ids[(t + j) % students]
                    cancelled = i % 23 == 0
                    status = (
                        "cancelled"
                        if cancelled
                        else (
                            "no_show"
                            if past and i % 41 == 0
                            else ("completed" if past else "scheduled")
                        )
                    )
                    yield {
                        "id": i,
                        "teacher_id": teacher_ids[t],
                        "kind": "private",
                        "course_id": None,
                        "student_id": sid,
                        "booked_by_id": sid,
                        "start": start,
                        "end": start + timedelta(hours=1),
                        "status": status,
                        "cancelled_at": start - timedelta(hours=2 if i % 2 else 48)
                        if cancelled
                        else None,
                        "cancelled_late": cancelled and i % 2 == 1,
                        "price": Decimal(20 + t % 50),
                        "currency": "EUR" if t % 5 else "USD",
                        "homework": "Read chapter 3." if j % 4 == 0 else "",
                    }

        counts["lessons"] = copier.copy(
            Lesson, lesson_rows(), total=per_teacher * TEACHERS, label="lessons"
        )

        def attendance_rows():
            i = 0
            for j in range(per_teacher):
                start = base + j * SLOT
                if start + timedelta(hours=1) > now:
                    return
                for t in range(TEACHERS):
                    lesson_id = j * TEACHERS + t + 1
                    if lesson_id % 23 == 0:
                        continue
                    i += 1
                    yield {
                        "id": i,
                        "lesson_id": lesson_id,
                        "student_id": student_ids[(t + j) % students],
                        "status": "absent"
                        if lesson_id % 41 == 0
                        else ("late" if lesson_id % 9 == 0 else "present"),
                        "recorded_by_id": teacher_ids[t],
                    }

        past_slots = sum(
            1 for j in range(per_teacher) if base + j * SLOT + timedelta(hours=1) <= now
        )
        counts["attendance"] = copier.copy(
            Attendance, attendance_rows(), total=past_slots * TEACHERS, label="attendance"
        )

        counts["rooms"] = copier.copy(
            Room,
            (
                {
                    "id": c,
                    "kind": "course",
                    "course_id": c,
                    "name": f"Large bench course {c}",
                    "created_by_id": teacher_ids[c % TEACHERS],
                    "created_at": base,
                }
                for c in range(1, COURSES + 1)
            ),
            total=COURSES,
            label="rooms",
        )

        def member_rows():
            i = 0
            for c in range(1, COURSES + 1):
                i += 1
                yield {"id": i, "room_id": c, "user_id": teacher_ids[c % TEACHERS], "role": "owner"}
                seen = set()
                for k in range(ENROLMENTS_PER_COURSE):
                    sid = student_ids[(c * 37 + k * 1009) % students]
                    if k % 10 == 0 or sid in seen:
                        continue
                    seen.add(sid)
                    i += 1
                    yield {"id": i, "room_id": c, "user_id": sid}

        copier.copy(
            RoomMember, member_rows(), total=COURSES * ENROLMENTS_PER_COURSE, label="room members"
        )

        room_messages = MESSAGES // 2
        span = int((now - base).total_seconds())
        counts["room messages"] = copier.copy(
            RoomMessage,
            (
                {
                    "id": m,
                    "room_id": m % COURSES + 1,
                    "author_id": teacher_ids[(m % COURSES + 1) % TEACHERS],
                    "body": f"Room message {m}",
                    "created_at": base + timedelta(seconds=m * span // room_messages),
                }
                for m in range(1, room_messages + 1)
            ),
            total=room_messages,
            label="room messages",
        )

        direct = MESSAGES - room_messages

        def direct_rows():
            for m in range(1, direct + 1):
                t = teacher_ids[m % TEACHERS]
                s = student_ids[(m * 7) % students]
                sent = base + timedelta(seconds=m * span // direct)
                sender, recipient = (t, s) if m % 2 else (s, t)
                yield {
                    "id": m,
                    "subject": f"Lesson question {m // 5}",
                    "body": f"Direct message {m}",
                    "sender_id": sender,
                    "recipient_id": recipient,
                    "sent_at": sent,
                    "read_at": sent + timedelta(hours=1) if m % 3 else None,
                    "moderation_status": STATUS_ACCEPTED,
                    "moderation_date": sent,
                }

        counts["direct messages"] = copier.copy(
            DirectMessage, direct_rows(), total=direct, label="direct messages"
        )

        def order_rows():
            for p in range(1, PAYMENTS + 1):
                sid = student_ids[(p * 13) % students]
                t = p % TEACHERS
                created = base + timedelta(seconds=p * span // PAYMENTS)
                total = Decimal(20 + t % 50) * (1 + p % 4)
                refunded = total if p % 50 == 0 else (total / 2 if p % 37 == 0 else Decimal(0))
                status = (
                    "refunded" if p % 50 == 0 else ("partially_refunded" if p % 37 == 0 else "paid")
                )
                yield {
                    "id": p,
                    "kind": ["lesson", "course", "package", "lesson"][p % 4],
                    "status": status,
                    "method": "stripe" if p % 3 else "manual",
                    "payer_id": sid,
                    "student_id": sid,
                    "teacher_id": teacher_ids[t],
                    "course_id": (p % COURSES) + 1 if p % 4 == 1 else None,
                    "currency": "EUR" if t % 5 else "USD",
                    "subtotal": total,
                    "total": total,
                    "refunded": refunded,
                    "created_at": created,
                    "paid_at": created + timedelta(minutes=5),
                }

        copier.copy(Order, order_rows(), total=PAYMENTS, label="orders")
        copier.copy(
            OrderLine,
            (
                {
                    "id": o["id"],
                    "order_id": o["id"],
                    "description": f"Order {o['id']}",
                    "unit_price": o["total"],
                    "amount": o["total"],
                }
                for o in order_rows()
            ),
            total=PAYMENTS,
            label="order lines",
        )
        counts["payments"] = copier.copy(
            Payment,
            (
                {
                    "id": o["id"],
                    "order_id": o["id"],
                    "method": o["method"],
                    "status": "succeeded" if o["status"] == "paid" else o["status"],
                    "amount": o["total"],
                    "currency": o["currency"],
                    "received_at": o["paid_at"],
                    "stripe_payment_intent_id": f"pi_large_{o['id']}"
                    if o["method"] == "stripe"
                    else "",
                }
                for o in order_rows()
            ),
            total=PAYMENTS,
            label="payments",
        )
        refunds = [o for o in order_rows() if o["refunded"]]
        copier.copy(
            Refund,
            (
                {
                    "id": i + 1,
                    "payment_id": o["id"],
                    "amount": o["refunded"],
                    "currency": o["currency"],
                    "reason": "admin",
                    "cause": f"large-bench-{o['id']}",
                    "status": "succeeded",
                    "created_at": o["paid_at"] + timedelta(days=2),
                }
                for i, o in enumerate(refunds)
            ),
            total=len(refunds),
            label="refunds",
        )

        def invoice_rows():
            seq: dict[int, int] = {}
            for o in order_rows():
                year = o["paid_at"].year
                seq[year] = seq.get(year, 0) + 1
                outstanding = o["id"] % 97 == 0
                yield {
                    "id": o["id"],
                    "kind": "invoice",
                    "number": f"LB{year}-{seq[year]:07d}",
                    "year": year,
                    "sequence": seq[year],
                    "status": "open" if outstanding else "paid",
                    "order_id": o["id"],
                    "payer_id": o["payer_id"],
                    "payer_name": f"P{o['payer_id']} Bench",
                    "payer_email": person(o["payer_id"])[0],
                    "currency": o["currency"],
                    "total": o["total"],
                    "issued_at": o["created_at"],
                    "due_at": o["created_at"] + timedelta(days=14),
                    "paid_at": None if outstanding else o["paid_at"],
                }

        counts["invoices"] = copier.copy(Invoice, invoice_rows(), total=PAYMENTS, label="invoices")

        reset_sequences(
            raw,
            [
                User,
                User.groups.through,
                TeacherProfile,
                StudentProfile,
                Course,
                Course.teachers.through,
                Enrollment,
                Lesson,
                Attendance,
                Room,
                RoomMember,
                RoomMessage,
                DirectMessage,
                Order,
                OrderLine,
                Payment,
                Refund,
                Invoice,
            ],
        )
    log("ANALYZE")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return counts


def main() -> None:
    admin_url, url = database_urls()
    started = time.perf_counter()
    if os.environ.get("BENCH_LARGE_KEEP") == "1" and already_seeded(url):
        log("BENCH_LARGE_KEEP=1 and the database is seeded: nothing to do")
        return
    recreate(admin_url, url)
    migrated = time.perf_counter()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cplatform.settings.bench"
    counts = seed()
    done = time.perf_counter()
    log(
        f"seeded in {done - migrated:.0f} s (migrations {migrated - started:.0f} s, "
        f"total {done - started:.0f} s): " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )


def already_seeded(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM authentication_user WHERE email LIKE %s",
                [f"%@{EMAIL_DOMAIN}"],
            ).fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0] >= PEOPLE)


if __name__ == "__main__":
    main()
