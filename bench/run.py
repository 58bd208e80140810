#!/usr/bin/env python
"""`make bench`: seed PostgreSQL, serve with gunicorn, load three URLs and report req/s, p50 and p95.

The bare view (`/bench/ok/`: every middleware, no database, no template) is the baseline; the teacher
directory (`/teachers/`) and the API list (`/api/v1/teachers`) are reported with their ratio to it.
Results are printed and written to bench/results/latest.json. Loopback only; every load is bounded in
time (and, for the Python load generator, in count).

Environment (defaults in brackets):
  DATABASE_URL        PostgreSQL database to use, created and migrated when needed (required;
                      `make bench` points it at `cplatform_bench` in scripts/test-db's cluster)
  BENCH_USERS [300]   seeded accounts in all, of which BENCH_TEACHERS [100] are listed teachers
                      (approved, public, with subjects, levels and languages) and the rest students
  BENCH_DURATION [8]  seconds of measured load per URL, after BENCH_WARMUP [2] seconds of warm-up
  BENCH_CONNECTIONS [4]  concurrent connections;  BENCH_WORKERS [2]  gunicorn worker processes
  BENCH_TOOL [wrk when installed, else python];  BENCH_MAX_REQUESTS [50000] per URL (python tool)
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
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SETTINGS_MODULE = "cplatform.settings.bench"
EMAIL_DOMAIN = "bench.example.com"
URLS = [
    ("bare view", "/bench/ok/"),
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
    ]


def seed_public_site() -> None:
    """The demo page tree in both languages (home, landing pages, blog, FAQ); idempotent."""
    from cplatform.demo.site import build_site

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
    from classroom.models import Level, Subject, TeachingLanguage
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
    if missing:
        log(f"seeded {len(missing)} accounts in {time.perf_counter() - started:.1f} s")
    return {
        "bench_users": User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).count(),
        "listed_teachers": teacher_list_public().count(),
    }


# --- server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_gunicorn(
    *, port: int, workers: int, env: dict[str, str], log_file: Path
) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "cplatform.wsgi:application",
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


def load_wrk(url: str, *, seconds: int, connections: int) -> dict:
    script = ROOT / "bench" / "wrk_report.lua"
    command = [
        "wrk",
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


def load_python(port: int, path: str, *, seconds: int, connections: int, max_requests: int) -> dict:
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
                conn.request("GET", path)
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


# --- report -----------------------------------------------------------------------------------


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return None
    return out.stdout.strip() or None


def print_table(report: dict) -> None:
    header = (
        f"{'endpoint':<34}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'req/s vs bare':>15}{'p50 vs bare':>13}{'p95 vs bare':>13}{'errors':>8}"
    )
    print()
    print(
        f"cplatform bench · {report['seed']['bench_users']} users, {report['seed']['listed_teachers']} listed "
        f"teachers · gunicorn {report['workers']} sync workers · {report['tool']}, "
        f"{report['connections']} connections, {report['duration_s']} s per URL after "
        f"{report['warmup_s']} s warm-up · {report['cpu_count']} CPUs, load {report['load_average_before']}"
    )
    print(header)
    print("-" * len(header))
    for row in report["results"]:
        print(
            f"{row['name'] + ' ' + row['path']:<34}{row['rps']:>9.1f}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}"
            f"{row['rps_vs_bare']:>14.2f}x{row['p50_vs_bare']:>12.2f}x{row['p95_vs_bare']:>12.2f}x"
            f"{row['errors']:>8}"
        )
    print()


def main() -> int:
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        sys.exit("bench: set DATABASE_URL to a PostgreSQL database (make bench does it for you).")
    users = env_int("BENCH_USERS", 300)
    teachers = env_int("BENCH_TEACHERS", 100)
    if not 0 <= teachers <= users:
        sys.exit("bench: BENCH_TEACHERS must be between 0 and BENCH_USERS.")
    duration = env_int("BENCH_DURATION", 8)
    warmup = env_int("BENCH_WARMUP", 2)
    connections = env_int("BENCH_CONNECTIONS", 4)
    workers = env_int("BENCH_WORKERS", 2)
    max_requests = env_int("BENCH_MAX_REQUESTS", 50_000)
    tool = os.environ.get("BENCH_TOOL") or ("wrk" if shutil.which("wrk") else "python")
    if tool not in {"wrk", "python"}:
        sys.exit("bench: BENCH_TOOL is wrk or python.")

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
    seed_public_site()
    urls = URLS + public_site_urls()
    db_connections.close_all()

    port = free_port()
    log(f"gunicorn with {workers} workers on 127.0.0.1:{port}")
    server = start_gunicorn(port=port, workers=workers, env=env, log_file=RESULTS / "gunicorn.log")
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    results = []
    try:
        for name, path in urls:
            status, body = get(port, path)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
            url = f"http://127.0.0.1:{port}{path}"
            log(f"loading {path} ({len(body)} bytes)")
            if tool == "wrk":
                if warmup:
                    load_wrk(url, seconds=warmup, connections=connections)
                measured = load_wrk(url, seconds=duration, connections=connections)
            else:
                if warmup:
                    load_python(
                        port,
                        path,
                        seconds=warmup,
                        connections=connections,
                        max_requests=max_requests,
                    )
                measured = load_python(
                    port, path, seconds=duration, connections=connections, max_requests=max_requests
                )
            results.append({"name": name, "path": path, "bytes": len(body), **measured})
    finally:
        stop_gunicorn(server)
        log("gunicorn stopped")

    bare = results[0]
    for row in results:
        row["rps_vs_bare"] = row["rps"] / bare["rps"]
        row["p50_vs_bare"] = row["p50_ms"] / bare["p50_ms"]
        row["p95_vs_bare"] = row["p95_ms"] / bare["p95_ms"]
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "settings": SETTINGS_MODULE,
        "database": database,
        "seed": seeded,
        "tool": tool,
        "connections": connections,
        "duration_s": duration,
        "warmup_s": warmup,
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_before": load_before,
        "results": results,
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    log(f"written to {(RESULTS / 'latest.json').relative_to(ROOT)}")
    failed = [row["path"] for row in results if row["errors"]]
    if failed:
        log(f"errors while loading {', '.join(failed)}: see {RESULTS / 'gunicorn.log'}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
