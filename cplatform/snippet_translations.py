"""A translated snippet with drafts (home's menus and testimonials, the blog's authors and
categories: any model with DraftStateMixin and TranslatableMixin) says on its edit screen when its
original has been published since the translation was last brought up to date. Generic: it names
no feature app's model (registered in cplatform/wagtail_hooks.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.models import DraftStateMixin, TranslatableMixin
from wagtail_localize.models import Translation


def translation_source_if_out_of_date(*, instance: TranslatableMixin):
    """The wagtail-localize source a synced translation was made from, when the original has been
    published since that source was last brought up to date (its newest published version is not
    in the translation); else None. Two queries: the translation with its source, and the original.

    The signal is the cheapest honest one: `TranslationSource.last_updated_at` is when the
    original's content was last copied in (on translating or "Sync translated snippets"), the
    original's `last_published_at` when its newest live version was published."""
    translation = (
        Translation.objects.filter(
            source__object_id=instance.translation_key,
            target_locale_id=instance.locale_id,
            enabled=True,
        )
        .select_related("source", "source__locale")
        .first()
    )
    if translation is None:
        return None
    source = translation.source
    original = (
        type(instance)
        .objects.filter(translation_key=instance.translation_key, locale_id=source.locale_id)
        .only("pk", "last_published_at")
        .first()
    )
    published_at = getattr(original, "last_published_at", None)
    if published_at is None or published_at <= source.last_updated_at:
        return None
    return source


def flag_out_of_date_translation(request, instance):
    """On the edit screen of a translated snippet with drafts (menus, testimonials, blog authors
    and categories; wagtail-localize's translation editor or the plain form), say so when the
    original has been published since the translation was last updated, with a link to bring it up
    to date. Runs before wagtail-localize's own hook (which takes over the screen of a synced
    translation) and lets it run."""
    if request.method != "GET" or not (
        isinstance(instance, DraftStateMixin) and isinstance(instance, TranslatableMixin)
    ):
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
