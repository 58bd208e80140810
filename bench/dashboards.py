#!/usr/bin/env python
"""Issue 15's bench rows: the admin dashboard, the revenue report (and its CSV export), a teacher's
home and the analytics API, timed against the bare view, on a database seeded by
`bench/large_seed.py` (the large seed, or a small one with BENCH_LARGE_SCALE=0.01).

Each URL is requested in this process through Django's test client (the whole middleware stack,
sessions, the real PostgreSQL; no network, no gunicorn), signed in as the seed's first admin or its
first teacher: a few warm-up requests, then BENCH_DASH_REQUESTS [30] timed ones in a row. The table
gives p50 and p95 in milliseconds, each p50 as a multiple of the bare view's (`/bench/ok/`, timed
the same way), and the SQL queries of one request. The admin dashboard's p95 must stay under
BENCH_DASH_P95_MS [500] ms: the run exits 1 when it does not.

    DATABASE_URL=postgres://…/cplatform_bench_large .venv/bin/python bench/dashboards.py [label]

Before timing, the figures the schedules keep in production are brought up to date, as they would
be on a running school: the past days' rollups of the last two years (the 365-day range and the one
before it; `backfill_analytics` does the same) and today's students-at-risk snapshot (the schedule
takes it every ANALYTICS_SNAPSHOT_MINUTES). Their time is printed, not counted in the rows.

The process tunes its garbage collector as the WSGI and ASGI entry points do
(cplatform/runtime.py) right after Django is set up, before any request.

Results go to bench/results/dashboards-<label>.json (label: the database name unless given).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cplatform.settings.bench")

REQUESTS = int(os.environ.get("BENCH_DASH_REQUESTS", "30") or 30)
WARMUP = 3
P95_MAX_MS = float(os.environ.get("BENCH_DASH_P95_MS", "500") or 500)
EMAIL_DOMAIN = "large.bench.example.com"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(client, url: str) -> dict:
    from django.db import connections

    def get():
        response = client.get(url, HTTP_HOST="127.0.0.1")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        if response.status_code != 200:
            sys.exit(f"bench-dashboards: {url} answered {response.status_code}")
        return response

    for _ in range(WARMUP):
        get()
    executed = []

    def counter(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    from contextlib import ExitStack

    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(counter))
        get()
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": len(executed),
    }


def prepare() -> None:
    """The rollups and the snapshot the schedules keep in production (see the module's docstring)."""
    from datetime import timedelta

    from dashboards.analytics.periods import school_today
    from dashboards.analytics.rollups import rollup_range
    from dashboards.analytics.snapshots import at_risk_snapshot_take

    today = school_today()
    started = time.perf_counter()
    rows = rollup_range(start=today - timedelta(days=2 * 366), end=today - timedelta(days=1))
    rolled = time.perf_counter() - started
    started = time.perf_counter()
    at_risk = at_risk_snapshot_take(today=today)
    print(
        f"[bench-dashboards] rollups of 732 past days: {rows} rows in {rolled:.1f} s; "
        f"today's students at risk: {at_risk} in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def main() -> int:
    import django

    django.setup()
    # As the served process does once its application is loaded (cplatform/wsgi.py, asgi.py).
    from cplatform.runtime import tune_garbage_collector

    tune_garbage_collector()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from authentication.models import User

    label = sys.argv[1] if len(sys.argv) > 1 else connection.settings_dict["NAME"]
    admin = (
        User.objects.filter(email__startswith="admin", email__endswith=EMAIL_DOMAIN)
        .order_by("pk")
        .first()
    )
    teacher = (
        User.objects.filter(email__startswith="teacher", email__endswith=EMAIL_DOMAIN)
        .order_by("pk")
        .first()
    )
    if not admin or not teacher:
        sys.exit("bench-dashboards: seed the database with bench/large_seed.py first")
    people = User.objects.count()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    prepare()
    index = reverse("school_dashboard:index")
    report = reverse("school_dashboard:report")
    export = reverse("school_dashboard:export")
    rows = [
        ("bare view", None, "/bench/ok/"),
        ("admin dashboard (last 30 days)", admin, index),
        ("admin dashboard (last 365 days)", admin, f"{index}?preset=365"),
        ("revenue report by day", admin, f"{report}?report=revenue-day"),
        ("revenue report by teacher", admin, f"{report}?report=revenue-teacher"),
        ("revenue by course, CSV", admin, f"{export}?report=revenue-course&format=csv"),
        ("teacher's home", teacher, "/dashboard/"),
        ("analytics API: KPIs (admin)", admin, "/api/v1/analytics/kpis"),
        ("analytics API: revenue by day (admin)", admin, "/api/v1/analytics/tables/revenue_by_day"),
        ("analytics API: KPIs (teacher)", teacher, "/api/v1/analytics/kpis"),
    ]
    results = []
    clients: dict[int | None, Client] = {}
    for name, user, url in rows:
        key = user.pk if user else None
        if key not in clients:
            clients[key] = Client()
            if user:
                clients[key].force_login(user)
        row = {"name": name, "url": url, **measure(clients[key], url)}
        results.append(row)
        print(
            f"[bench-dashboards] {name}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, {row['queries']} queries",
            flush=True,
        )
    bare = results[0]["p50_ms"] or 0.1
    lines = [
        f"Seed `{label}` ({people:,} people), {REQUESTS} timed requests per row after {WARMUP} warm-up:",
        "",
        "| page | p50 ms | p95 ms | p50 × bare view | SQL queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in results:
        row["vs_bare"] = round(row["p50_ms"] / bare, 1)
        lines.append(
            f"| {row['name']} | {row['p50_ms']} | {row['p95_ms']} | {row['vs_bare']} | {row['queries']} |"
        )
    print("\n".join(lines))
    out = ROOT / "bench" / "results" / f"dashboards-{label}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"label": label, "people": people, "rows": results}, indent=2))
    dashboard = results[1]
    if dashboard["p95_ms"] >= P95_MAX_MS:
        print(
            f"[bench-dashboards] FAIL: admin dashboard p95 {dashboard['p95_ms']} ms ≥ {P95_MAX_MS} ms"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
