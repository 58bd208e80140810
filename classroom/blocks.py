"""StreamField blocks that show teachers from the directory, for the pages of the apps above."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from cplatform.blocks import SectionBlock

from .selectors import TeacherFilters, teacher_list_public


class TeacherListBlock(SectionBlock):
    """Listed teachers, chosen by hand or picked automatically by subject / level / language."""

    heading = blocks.CharBlock(max_length=120, required=False, default=_("Meet our teachers"))
    intro = blocks.TextBlock(max_length=400, required=False)
    source = blocks.ChoiceBlock(
        choices=[("automatic", _("Automatic (by the filters below)")), ("chosen", _("Chosen"))],
        default="automatic",
        help_text=_(
            "Automatic lists listed teachers matching the filters; chosen lists the ones below."
        ),
    )
    subject = SnippetChooserBlock("catalog.Subject", required=False)
    level = SnippetChooserBlock("catalog.Level", required=False)
    language = SnippetChooserBlock(
        "catalog.TeachingLanguage", required=False, label=_("Teaches in")
    )
    teachers = blocks.ListBlock(
        SnippetChooserBlock("classroom.TeacherProfile"),
        default=[],
        help_text=_("For a chosen list. Teachers who are not listed publicly are skipped."),
    )
    limit = blocks.IntegerBlock(default=6, min_value=1, max_value=24, label=_("How many teachers"))
    directory_link = blocks.BooleanBlock(
        required=False,
        default=True,
        label=_("Link to the directory"),
        help_text=_("Add a link to the full teacher directory."),
    )

    class Meta:
        icon = "group"
        label = _("Teacher list")
        template = "components/blocks/teacher_list.html"
        description = _("Teachers from the directory: chosen ones, or the first matching a filter.")
        preview_value = {"heading": _("Meet our teachers"), "source": "automatic", "limit": 3}

    def clean(self, value):
        value = super().clean(value)
        if value.get("source") == "chosen" and not value.get("teachers"):
            raise StructBlockValidationError(
                block_errors={"teachers": ValidationError(_("Choose at least one teacher."))}
            )
        return value

    def get_teachers(self, value) -> list:
        limit = value.get("limit") or 6
        if value.get("source") == "chosen":
            ids = [t.pk for t in value.get("teachers") or [] if t is not None][:limit]
            by_id = {t.pk: t for t in teacher_list_public().filter(pk__in=ids)}
            return [by_id[pk] for pk in ids if pk in by_id]
        filters = TeacherFilters(
            subject=getattr(value.get("subject"), "slug", None),
            level=getattr(value.get("level"), "code", None),
            language=getattr(value.get("language"), "code", None),
        )
        return list(teacher_list_public(filters=filters)[:limit])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["teachers"] = self.get_teachers(value)
        return context
