"""Snippets of the public site: testimonials and menus (both translatable, both with drafts,
revisions, preview, locking and the Marketing review: nothing an editor saves is live until a
moderator publishes it)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, LocaleColumn, UpdatedAtColumn
from wagtail.models import DraftStateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.permissions import get_permission_name
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_localize.views.update_translations import UpdateTranslationsView

from .models import Menu, Testimonial


class TestimonialViewSet(SnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = _("Testimonials")
    list_display = [
        "__str__",
        LocaleColumn(label=_("Language")),
        LiveStatusTagColumn(label=_("Status")),
        UpdatedAtColumn(label=_("Updated")),
    ]
    list_filter = ["locale"]
    search_fields = ["name", "quote", "role"]

    def get_queryset(self, request):
        return Testimonial.objects.select_related("locale")


class MenuViewSet(SnippetViewSet):
    model = Menu
    icon = "list-ul"
    menu_label = _("Menus")
    list_display = [
        "__str__",
        Column("get_slot_display", label=_("Where it shows")),
        LocaleColumn(label=_("Language")),
        LiveStatusTagColumn(label=_("Status")),
        UpdatedAtColumn(label=_("Updated")),
    ]
    list_filter = ["slot", "locale"]

    def get_queryset(self, request):
        return Menu.objects.select_related("locale")


class PublicSiteViewSetGroup(SnippetViewSetGroup):
    items = (TestimonialViewSet, MenuViewSet)
    menu_icon = "globe"
    menu_label = _("Public site")
    menu_name = "public-site"


register_snippet(PublicSiteViewSetGroup)


class ReviewedUpdateTranslationsView(UpdateTranslationsView):
    """wagtail-localize's "Sync translated snippets" without its "Publish immediately" for someone
    who may not publish the snippet (an Editor): the updated translations then wait as drafts,
    like everything else an Editor changes. Pages and moderators are left as they were."""

    def get_form(self):
        form = super().get_form()
        model = self.object.specific_content_type.model_class()
        if (
            model is not None
            and issubclass(model, DraftStateMixin)
            and not self.request.user.has_perm(get_permission_name("publish", model))
        ):
            field = form.fields["publish_translations"]
            field.disabled = True  # whatever is posted, it stays unticked
            field.initial = False
            field.help_text = _("Only a moderator can publish it; it goes through review.")
        return form


@hooks.register("register_admin_urls", order=-1)
def register_reviewed_update_translations():
    # The same address as wagtail-localize's view (its URL name still reverses to it), listed
    # before it so this one answers.
    return [
        path(
            "localize/update/<int:translation_source_id>/",
            ReviewedUpdateTranslationsView.as_view(),
            name="home_update_translations",
        )
    ]
