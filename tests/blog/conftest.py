import pytest
from wagtail.models import Locale

from tests.blog.factories import BlogIndexPageFactory, english_home


@pytest.fixture
def blog_index(db):
    return BlogIndexPageFactory(parent=english_home(), title="Blog", slug="blog")


@pytest.fixture
def spanish_blog_index(blog_index):
    """The Spanish translation of the home page and the blog index, both published."""
    spanish = Locale.objects.get(language_code="es")
    index = blog_index.copy_for_translation(spanish, copy_parents=True)
    index.title = "Blog en español"
    index.intro = "Ideas y consejos de nuestros profesores."
    home = index.get_parent()
    home.specific.save_revision().publish()
    index.save_revision().publish()
    index.refresh_from_db()
    return index
