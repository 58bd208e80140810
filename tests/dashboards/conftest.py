import pytest

from tests.classroom.conftest import People, as_user, people  # noqa: F401


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def at_now(clock):
    """The clock at the scenario's NOW (Monday 7 December 2026, 08:00 UTC), ticking on."""
    from tests.dashboards.scenario import NOW

    clock.move_to(NOW)
    return NOW
