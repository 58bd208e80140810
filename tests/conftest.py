import os
from pathlib import Path

import pytest

from tests import parallel
from tests.clock import is_time_dependent, suite_instant

# Playwright drives the browser from an event loop; the live server's ORM calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
_travel = None
_traveller = None


def pytest_configure(config):
    """Start the suite's clock at TEST_NOW (tests/clock.py) before anything is collected, so even
    parametrize arguments computed at import see the chosen instant."""
    global _travel, _traveller
    instant = suite_instant()
    if instant is not None and _travel is None:
        import time_machine

        _travel = time_machine.travel(instant, tick=True)
        _traveller = _travel.start()


def pytest_unconfigure(config):
    global _travel, _traveller
    if _travel is not None:
        _travel.stop()
        _travel = _traveller = None


@pytest.fixture(autouse=True)
def _suite_clock():
    """Every test starts at exactly TEST_NOW and ticks on from there, however long the tests before
    it took: a test runs at the same instant in CI, in `make test-clock` and when replayed alone
    with `-k`. (Wider-scoped fixtures are built just before, at the previous test's clock.)"""
    if _traveller is not None:
        _traveller.move_to(suite_instant())
    yield


@pytest.fixture
def clock():
    """The suite's clock, for a test that needs a particular day: `clock.move_to(instant)`, and it
    ticks on from there (the next test starts at TEST_NOW again). Under TEST_NOW=real, a travel of
    this test's own from the real time."""
    if _traveller is not None:
        yield _traveller
        return
    from datetime import UTC, datetime

    import time_machine

    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        yield traveller


def pytest_report_header(config):
    instant = suite_instant()
    if instant is None:
        return "suite clock: real time (replay a run with TEST_NOW=<instant>)"
    stamp = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"suite clock: every test starts at {stamp} (replay: make test TEST_NOW={stamp})"


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (tests/parallel.py)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if is_time_dependent(str(Path(item.path).relative_to(ROOT))):
            item.add_marker(pytest.mark.clock)
    parallel.plan(config, items)


def pytest_sessionstart(session):
    """.mo files are build products (gitignored; `make test` compiles them): compile stale ones here too,
    so a bare `pytest` shows Spanish pages with our strings. polib needs no gettext install."""
    from pathlib import Path

    import polib

    root = Path(__file__).resolve().parent.parent
    for po in [*root.glob("locale/*/LC_MESSAGES/*.po"), *root.glob("*/locale/*/LC_MESSAGES/*.po")]:
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            tmp = mo.with_suffix(f".{os.getpid()}.tmp")
            polib.pofile(str(po)).save_as_mofile(str(tmp))
            tmp.replace(mo)  # atomic: parallel sessions never read half a file


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tests.base_data import ensure_base_data

    with django_db_blocker.unblock():
        ensure_base_data()


@pytest.fixture(scope="session", autouse=True)
def _email_through_the_task_queue(django_test_environment):
    """Django's test setup swaps EMAIL_BACKEND for locmem; put the outbox back so every email in the
    tests is an outbox row sent by the django-q2 task (run inline after the commit; tests/outbox.py
    under the `db` fixture) into the locmem delivery backend, `mail.outbox`."""
    from importlib import import_module

    from django.conf import settings

    settings.EMAIL_BACKEND = import_module(settings.SETTINGS_MODULE).EMAIL_BACKEND


@pytest.fixture(autouse=True)
def _restore_base_data(request, django_db_blocker):
    """A `transaction=True` test flushes every table, data-migration rows included: put them back."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        yield
        return
    from tests.base_data import ensure_base_data

    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        ensure_base_data()
    yield


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request to a /es/ page leaves Spanish active in the thread; every test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client(client):
    return client


def login_token(client, email: str, password: str = "pass-1234-word") -> str:
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": email, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


# The Stripe stand-in (tests/stripe_standin): `stripe_standin` points the real `stripe` client and
# dj-stripe at a local server that keeps state and refuses what Stripe refuses.
from tests.stripe_standin.fixtures import stripe_standin, stripe_standin_server  # noqa: E402, F401
