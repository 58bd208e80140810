"""The suite's clock: every run happens at a chosen instant, so a test that depends on the wall clock
fails the same way every time it runs at that instant, and can be replayed.

- `TEST_NOW=2027-03-28T00:30:00Z` runs the whole process (test code, the live server's threads and
  the browser pages, see tests/e2e/conftest.py) on a clock that every test starts at that instant
  and that ticks on from there (time-machine; the monotonic clocks are left alone), so a test runs at
  the same instant whatever ran before it. `TEST_NOW=real` uses the real clock.
- `make test` sets TEST_NOW from the commit (`scripts/suite-instant`): the commit's UTC date at a
  time of day taken from its hash, so CI is deterministic per commit and the hour of day still
  varies from one commit to the next.
- `make test-clock` runs the time-dependent tests (every module not listed in CLOCK_FREE below) at
  00:30, 12:30, 22:30 and 23:30 UTC on the coming day and on the coming DST-change days of Madrid
  and New York (`scripts/test-clock`).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

# Test modules whose outcome cannot depend on the date or the time of day: nothing in them (or in
# the fixtures they use) books, schedules, dates, ages or expires anything. Every other module is
# time-dependent (marker `clock`), so a new module is run by `make test-clock` unless it is listed.
CLOCK_FREE = {
    "tests/test_i18n.py",
    "tests/test_settings.py",
    "tests/test_smoke.py",
    "tests/test_nul_input.py",
    "tests/test_mail.py",
    "tests/test_outbox_worker.py",  # runs on the real clock, as its worker process does
    "tests/test_parallel.py",
    "tests/home/test_blocks.py",
    "tests/seo/test_crawl.py",
    "tests/seo/test_browser.py",
    "tests/faq/test_browser.py",
    "tests/authentication/test_avatar.py",
    "tests/authentication/test_factories.py",
    "tests/e2e/test_site_layout.py",
}


def suite_instant() -> datetime | None:
    """The instant the suite runs at, from TEST_NOW (None: the real clock)."""
    raw = os.environ.get("TEST_NOW", "").strip()
    if not raw or raw.lower() == "real":
        return None
    instant = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def is_time_dependent(relative_path: str) -> bool:
    return relative_path.replace("\\", "/") not in CLOCK_FREE
