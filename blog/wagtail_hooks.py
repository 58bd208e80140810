from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import BlogAuthor, BlogCategory


class BlogAuthorViewSet(SnippetViewSet):
    model = BlogAuthor
    icon = "user"
    menu_label = _("Authors")
    list_display = ["name", "role", "teacher"]
    search_fields = ["name", "role", "bio"]
    list_per_page = 50


class BlogCategoryViewSet(SnippetViewSet):
    model = BlogCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]


class BlogViewSetGroup(SnippetViewSetGroup):
    items = (BlogAuthorViewSet, BlogCategoryViewSet)
    menu_icon = "doc-full"
    menu_label = _("Blog")
    menu_name = "blog"


register_snippet(BlogViewSetGroup)
