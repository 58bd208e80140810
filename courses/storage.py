"""Private storage for course material files: outside MEDIA_ROOT and never served at MEDIA_URL.
Files leave it only through `courses.views.material_download` (and its API twin), after an access check."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def private_media_root() -> Path:
    default = Path(settings.BASE_DIR) / "var" / "private-media"
    return Path(getattr(settings, "PRIVATE_MEDIA_ROOT", default))


@deconstructible
class PrivateMediaStorage(FileSystemStorage):
    """A FileSystemStorage rooted at PRIVATE_MEDIA_ROOT (read at use, so tests can point it elsewhere),
    with no base URL: `url()` raises, so a template can never link to the file directly."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return str(private_media_root())

    @property
    def location(self):
        return str(private_media_root().resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private course files have no public URL; use the download view.")


private_storage = PrivateMediaStorage()
