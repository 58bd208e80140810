"""`make run` is one command that serves the site and runs the django-q2 worker beside it (so the
sign-up email is printed and scheduled pages go live), on PORT, with links on that port. The
schedule the worker runs is tested in tests/editorial/test_workflow.py."""

import subprocess
from pathlib import Path

from honcho.environ import expand_processes, parse_procfile

ROOT = Path(__file__).resolve().parent.parent


def procfile():
    return parse_procfile((ROOT / "Procfile").read_text()).processes


def test_the_procfile_runs_the_web_server_and_the_worker():
    processes = procfile()

    assert list(processes) == ["web", "worker"]
    assert "manage.py runserver 127.0.0.1:$PORT" in processes["web"]
    assert processes["worker"].endswith("manage.py qcluster")


def test_honcho_gives_the_web_server_the_port_make_run_was_given():
    web, worker = expand_processes(procfile(), port=8001)

    assert (web.name, web.env["PORT"]) == ("web.1", "8001")
    assert worker.name == "worker.1"


def test_make_run_starts_both_on_port_and_links_on_it():
    dry_run = subprocess.run(  # noqa: S603 — a fixed command: make, printing without running
        ["/usr/bin/make", "-n", "run", "PORT=8001"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "TEST_NOW": "real"},
    )
    start = [line for line in dry_run.stdout.splitlines() if "honcho start" in line]

    assert len(start) == 1, dry_run.stdout
    assert "-f Procfile -p 8001" in start[0]


def test_make_run_sets_site_url_on_its_port_for_the_demo_and_both_processes():
    printed = subprocess.run(  # noqa: S603 — a fixed command: make, printing a variable
        ["/usr/bin/make", "-n", "-p", "run", "PORT=8001"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "TEST_NOW": "real"},
    ).stdout

    # make -p prints the target-specific variable (`export`ed to the recipe and the prerequisites).
    assert "run: SITE_URL = http://127.0.0.1:$(PORT)" in printed
