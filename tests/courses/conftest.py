import pytest

from tests.classroom.conftest import People, as_user, people  # noqa: F401


@pytest.fixture(autouse=True)
def _english():
    """Pages under /es/ switch the thread's language; start each test in English (URLs reversed
    outside a request follow it)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Material files land in a throwaway private root per test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
