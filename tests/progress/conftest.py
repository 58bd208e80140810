import pytest

from tests.classroom.conftest import People, as_user, people  # noqa: F401


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield
