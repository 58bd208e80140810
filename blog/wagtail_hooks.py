"""The blog's snippets: authors and categories (both translatable, both with drafts, revisions,
preview, locking and the Marketing review: nothing an editor saves is live until a moderator
publishes it)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import LiveStatusTagColumn, LocaleColumn, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import BlogAuthor, BlogCategory


class BlogAuthorViewSet(SnippetViewSet):
    model = BlogAuthor
    icon = "user"
    menu_label = _("Authors")
    list_display = [
        "name",
        "role",
        "teacher",
        LocaleColumn(label=_("Language")),
        LiveStatusTagColumn(label=_("Status")),
        UpdatedAtColumn(label=_("Updated")),
    ]
    list_filter = ["locale"]
    search_fields = ["name", "role", "bio"]
    list_per_page = 50

    def get_queryset(self, request):
        return BlogAuthor.objects.select_related("locale", "teacher")


class BlogCategoryViewSet(SnippetViewSet):
    model = BlogCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = [
        "name",
        "slug",
        LocaleColumn(label=_("Language")),
        LiveStatusTagColumn(label=_("Status")),
        UpdatedAtColumn(label=_("Updated")),
    ]
    list_filter = ["locale"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return BlogCategory.objects.select_related("locale")


class BlogViewSetGroup(SnippetViewSetGroup):
    items = (BlogAuthorViewSet, BlogCategoryViewSet)
    menu_icon = "doc-full"
    menu_label = _("Blog")
    menu_name = "blog"


register_snippet(BlogViewSetGroup)
