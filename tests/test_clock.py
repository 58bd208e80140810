"""The suite's clock (tests/clock.py): it runs at TEST_NOW, and CI's instant comes from the commit."""

import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.clock import CLOCK_FREE, is_time_dependent, suite_instant

ROOT = Path(__file__).resolve().parent.parent


def test_the_process_clock_starts_at_test_now_and_ticks_on():
    instant = suite_instant()
    if instant is None:
        pytest.skip("TEST_NOW=real: the suite runs on the real clock")
    now = timezone.now()
    assert instant <= now < instant + timedelta(hours=6)  # a whole run takes minutes, not hours
    assert datetime.now(UTC) - now < timedelta(seconds=5)  # every clock function agrees
    later = timezone.now()
    assert later >= now


def test_the_instant_is_derived_from_the_commit_and_printed_the_same_every_time():
    run = lambda: subprocess.run(  # noqa: E731
        [str(ROOT / "scripts" / "suite-instant")], capture_output=True, text=True, check=True
    ).stdout.strip()
    first, second = run(), run()
    assert first == second
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    day = subprocess.run(
        ["git", "show", "-s", "--format=%cd", "--date=format-local:%Y-%m-%d", "HEAD"],
        cwd=ROOT,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    minute = int(sha[:8], 16) % 1440
    assert first == f"{day}T{minute // 60:02d}:{minute % 60:02d}:00Z"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", first)


def test_every_clock_free_module_exists():
    """A renamed or removed module must leave CLOCK_FREE, or the list silently rots."""
    missing = sorted(path for path in CLOCK_FREE if not (ROOT / path).exists())
    assert not missing, missing


def test_every_module_not_listed_clock_free_is_marked_time_dependent(request):
    assert request.node.get_closest_marker("clock") is not None  # this module is not listed
    assert is_time_dependent("tests/booking/test_new_module.py")
    assert not is_time_dependent("tests/test_i18n.py")
