import pytest
from wagtail.models import Locale
from wagtail.test.utils import WagtailPageTestCase

from tests.home.factories import embed_for, english_home


@pytest.fixture
def home(db):
    return english_home()


@pytest.fixture
def spanish():
    return Locale.objects.get(language_code="es")


@pytest.fixture
def spanish_home(home, spanish):
    """The Spanish translation of the English home page, published (served at /es/)."""
    page = home.copy_for_translation(spanish)
    page.title = "Aprende con cplatform"
    page.search_description = "Encuentra un profesor revisado y reserva clases."
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def offline_video(db):
    """The factories' video URL answered from Wagtail's embed table: nothing goes online."""
    return embed_for()


class _PageAsserts(WagtailPageTestCase):
    def runTest(self):  # a TestCase needs one to be instantiated; only the assertions are used
        pass


@pytest.fixture
def page_asserts():
    return _PageAsserts()
