import pytest
from bs4 import BeautifulSoup

from tests.faq.factories import FAQPageFactory, spanish_faq_page


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def faq_page(db):
    return FAQPageFactory()


@pytest.fixture
def spanish_faq(faq_page):
    return spanish_faq_page(faq_page)
