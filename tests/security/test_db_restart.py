"""Finding 11 of issue 8: a PostgreSQL restart gave a burst of 500s, one per server worker, from
persistent connections the server had closed. The suite's own settings keep no connections
(CONN_MAX_AGE=0), so this runs the site as deployed: gunicorn workers on the deployment settings
(`bench`: base.py's DATABASES from DATABASE_URL, CONN_MAX_AGE from the environment) against the
test database. The database side then ends every connection of those workers, as a restart does."""

import http.client
import os
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
PAGE = "/api/v1/teachers"  # reads the database; needs no rows


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def database_url(application_name: str) -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        f"?application_name={application_name}"
    )


def backends(application_name: str) -> list[int]:
    with connection.cursor() as cursor:
        # The test runs in a transaction, and statistics views keep one snapshot per transaction.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application_name]
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def deployed_site(tmp_path):
    """gunicorn with WORKERS sync workers keeping their connections: (port, application_name)."""
    application_name = f"cplatform-restart-{uuid.uuid4().hex[:12]}"
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cplatform.settings.bench",
        "DATABASE_URL": database_url(application_name),
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
    }
    log = tmp_path / "gunicorn.log"
    command = [
        sys.executable, "-m", "gunicorn", "cplatform.wsgi:application",
        "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--timeout", "60",
        "--error-logfile", str(log), "--log-level", "warning",
    ]  # fmt: skip
    # A session of its own: stopping it stops its workers and nothing else.
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if get(port, "/bench/ok/") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer: " + log.read_text()
            time.sleep(0.3)
        yield port, application_name
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.mark.django_db
def test_the_first_request_after_the_database_drops_every_connection_succeeds(deployed_site):
    port, application_name = deployed_site
    # Warm up until every worker holds a connection (concurrent requests reach both workers).
    deadline = time.monotonic() + 60
    with ThreadPoolExecutor(max_workers=WORKERS * 2) as pool:
        while len(backends(application_name)) < WORKERS and time.monotonic() < deadline:
            statuses = list(pool.map(lambda _: get(port, PAGE), range(WORKERS * 4)))
            assert set(statuses) == {200}, statuses
    held = backends(application_name)
    assert len(held) == WORKERS, "every worker keeps its connection between requests"
    assert get(port, PAGE) == 200
    assert sorted(backends(application_name)) == sorted(held), "the connections are reused"

    with connection.cursor() as cursor:  # what a restart does to every connection
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [held])
    deadline = time.monotonic() + 10
    while set(backends(application_name)) & set(held) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not set(backends(application_name)) & set(held)

    # Sequentially, and then concurrently so both workers surely answer again.
    statuses = [get(port, PAGE) for _ in range(WORKERS * 3)]
    with ThreadPoolExecutor(max_workers=WORKERS * 2) as pool:
        statuses += list(pool.map(lambda _: get(port, PAGE), range(WORKERS * 4)))
    assert statuses == [200] * len(statuses)
    assert len(backends(application_name)) == WORKERS, "each worker connected afresh"
