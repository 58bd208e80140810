import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from tests.faq.factories import FAQPageFactory, spanish_faq_page
from tests.home.factories import english_home


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def faq_page(db):
    return FAQPageFactory()


@pytest.fixture
def spanish_faq(faq_page):
    return spanish_faq_page(faq_page)


@pytest.fixture
def home(db):
    return english_home()


@pytest.fixture
def spanish_home(home):
    """The Spanish translation of the English home page, published (served at /es/)."""
    page = home.copy_for_translation(Locale.objects.get(language_code="es"))
    page.title = "Aprende con cplatform"
    page.save_revision().publish()
    page.refresh_from_db()
    return page
