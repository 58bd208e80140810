import pytest
from wagtail.models import Locale

from home.models import HomePage
from tests.blog.factories import BlogIndexPageFactory, english_home


@pytest.fixture
def blog_index(db):
    return BlogIndexPageFactory(parent=english_home(), title="Blog", slug="blog")


@pytest.fixture
def spanish_blog_index(blog_index):
    """The Spanish translation of the home page and the blog index, both published."""
    spanish = Locale.objects.get(language_code="es")
    home = HomePage.objects.filter(depth=2, locale=spanish).first()
    if home is None:
        home = english_home().copy_for_translation(spanish)
        home.save_revision().publish()
    index = blog_index.copy_for_translation(spanish)
    index.title = "Blog en español"
    index.intro = "Ideas y consejos de nuestros profesores."
    index.save_revision().publish()
    index.refresh_from_db()
    return index
