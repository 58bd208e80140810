import pytest
from wagtail.test.utils import WagtailPageTestCase

from tests.faq.factories import FAQPageFactory, spanish_faq_page


@pytest.fixture
def page_tests():
    """Wagtail's page-tree assertions (assertCanCreateAt / assertCanNotCreateAt) outside unittest."""
    case = WagtailPageTestCase()
    case.maxDiff = None
    return case


@pytest.fixture
def faq_page(db):
    return FAQPageFactory()


@pytest.fixture
def spanish_faq(faq_page):
    return spanish_faq_page(faq_page)
