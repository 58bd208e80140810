"""Snippets of the public site: testimonials and menus (both translatable, both with drafts,
revisions, preview, locking and the Marketing review: nothing an editor saves is live until a
moderator publishes it)."""

from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, LocaleColumn, UpdatedAtColumn
from wagtail.models import DraftStateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.permissions import get_permission_name
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_localize.views.update_translations import UpdateTranslationsView

from .models import Menu, Testimonial
from .selectors import translation_source_if_out_of_date


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


@hooks.register("before_edit_snippet", order=-10)
def flag_out_of_date_translation(request, instance):
    """On the edit screen of a translated menu or testimonial (wagtail-localize's translation editor
    or the plain form), say so when the original has been published since the translation was
    last updated, with a link to bring it up to date. Runs before wagtail-localize's own hook
    (which takes over the screen of a synced translation) and lets it run."""
    if request.method != "GET" or not isinstance(instance, (Menu, Testimonial)):
        return None
    source = translation_source_if_out_of_date(instance=instance)
    if source is None:
        return None
    url = reverse("wagtail_localize:update_translations", args=[source.pk])
    url += "?" + urlencode({"next": request.get_full_path()})
    messages.warning(
        request,
        _(
            "Out of date: the %(language)s original has been published again since this "
            "translation was last updated (%(date)s). Update it so both say the same."
        )
        % {
            "language": source.locale.get_display_name(),
            "date": date_format(localtime(source.last_updated_at), "DATETIME_FORMAT"),
        },
        buttons=[messages.button(url, _("Update translation"))],
    )
    return None


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
