"""The suite's clock (tests/clock.py): it runs at TEST_NOW, and CI's instant comes from the commit."""

import os
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
    assert instant <= now < instant + timedelta(minutes=1)  # each test starts at the instant
    assert datetime.now(UTC) - now < timedelta(seconds=5)  # every clock function agrees
    later = timezone.now()
    assert later >= now


def test_the_instant_is_derived_from_the_commit_and_printed_the_same_every_time(tmp_path):
    """A commit made with fixed names and dates has a fixed hash: its instant is known in advance
    (its UTC date; minute of the day = 0xea39e90f % 1440 = 239, 03:59)."""
    fixed = {
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@x",
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@x",
        "GIT_AUTHOR_DATE": "2027-03-27T23:10:00+00:00",
        "GIT_COMMITTER_DATE": "2027-03-27T23:10:00+00:00",
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
    }
    (tmp_path / "f").write_text("hi\n")
    for command in (["init", "-q"], ["add", "f"], ["commit", "-q", "-m", "fixed"]):
        subprocess.run(["git", *command], cwd=tmp_path, env=fixed, check=True)
    run = lambda: subprocess.run(  # noqa: E731
        [str(ROOT / "scripts" / "suite-instant")],
        env={**fixed, "GIT_DIR": str(tmp_path / ".git")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert run() == run() == "2027-03-27T03:59:00Z"


def test_a_test_starts_at_the_instant_however_far_the_one_before_moved_the_clock():
    from tests import conftest

    if conftest._traveller is None:
        pytest.skip("TEST_NOW=real: the suite runs on the real clock")
    conftest._traveller.shift(timedelta(hours=5))  # the next test must not inherit this
    assert timezone.now() > suite_instant() + timedelta(hours=4)


def test_the_test_after_it_starts_at_the_instant_again():
    instant = suite_instant()
    if instant is None:
        pytest.skip("TEST_NOW=real: the suite runs on the real clock")
    assert instant <= timezone.now() < instant + timedelta(minutes=1)


def test_every_clock_free_module_exists():
    """A renamed or removed module must leave CLOCK_FREE, or the list silently rots."""
    missing = sorted(path for path in CLOCK_FREE if not (ROOT / path).exists())
    assert not missing, missing


def test_every_module_not_listed_clock_free_is_marked_time_dependent(request):
    assert request.node.get_closest_marker("clock") is not None  # this module is not listed
    assert is_time_dependent("tests/booking/test_new_module.py")
    assert not is_time_dependent("tests/test_i18n.py")
