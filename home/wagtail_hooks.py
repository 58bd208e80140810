"""Snippets of the public site: testimonials and menus (both translatable)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Menu, Testimonial


class TestimonialViewSet(SnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = _("Testimonials")
    list_display = ["name", "role", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "quote", "role"]


class MenuViewSet(SnippetViewSet):
    model = Menu
    icon = "list-ul"
    menu_label = _("Menus")
    list_display = ["__str__", "slot", "locale"]
    list_filter = ["slot", "locale"]

    def get_queryset(self, request):
        return Menu.objects.select_related("locale")


class PublicSiteViewSetGroup(SnippetViewSetGroup):
    items = (TestimonialViewSet, MenuViewSet)
    menu_icon = "globe"
    menu_label = _("Public site")
    menu_name = "public-site"


register_snippet(PublicSiteViewSetGroup)
