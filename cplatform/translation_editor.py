"""wagtail-localize's translation editor, made to work like the page editor for our two groups.

wagtail-localize replaces the edit view of a translated page with its own editor, whose footer it
builds from the user's page permissions alone: Publish for those who may publish, else Delete
(an Editor owns the Spanish draft they created, so Wagtail lets them delete it) as the main action,
and no way to save a draft or send it to the page's workflow. Here (installed by
`cplatform/wagtail_hooks.py` and `templates/wagtail_localize/admin/edit_translation.html`):

- **The footer is Wagtail's page action menu**: "Save draft" first ("Page locked" while in review),
  "Submit to Marketing review" (the page's workflow, as for a page they edit), "Publish" only for
  those who may publish, a reviewer's Approve / Request changes, Preview and "Stop Synced
  translation"; Delete stays in the header's menu, never the main action.
- **The actions** post to the page's edit view, where `translation_editor_action` (a
  `before_edit_page` hook that runs before wagtail-localize's) writes the translated strings into a
  new revision of the page and, for a submission, starts (or resumes) its workflow; the moderator
  then approves it like any page and Wagtail publishes that revision.
- **Each segment is labelled by what it is**: the path of block labels below the section
  ("Second button — link", "Feature 2 — title"), not the raw name of the innermost field.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem, PageActionMenu
from wagtail.admin.ui.components import Component
from wagtail.fields import StreamField
from wagtail.models import Page, TaskState, WorkflowState
from wagtail_localize.models import Translation

# The page edit view's actions the translation editor offers (Wagtail's names), including a
# reviewer's task actions (approve, request changes) posted by Wagtail's workflow-action.js.
SAVE, SUBMIT, PUBLISH = "action-save-draft", "action-submit", "action-publish"
CANCEL_WORKFLOW, RESTART_WORKFLOW = "action-cancel-workflow", "action-restart-workflow"
WORKFLOW_ACTION = "action-workflow-action"


def translation_of_page(page: Page) -> Translation | None:
    """The synced translation whose target is `page`, if any (what wagtail-localize edits)."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )


# --- the actions -----------------------------------------------------------------------------------


def _action(post) -> str | None:
    for name in (WORKFLOW_ACTION, SUBMIT, PUBLISH, CANCEL_WORKFLOW, RESTART_WORKFLOW, SAVE):
        if name in post:
            return name
    if not any(key.startswith(("action", "localize-")) for key in post):
        return SAVE  # Wagtail's "Save draft" button has no name
    return None


def translation_editor_action(request, page):
    """`before_edit_page`: save / submit / publish a translated page from the translation editor.
    Anything else (GET, wagtail-localize's own actions) falls through to wagtail-localize."""
    if request.method != "POST":
        return None
    action = _action(request.POST)
    if action is None:
        return None
    translation = translation_of_page(page)
    if translation is None:
        return None

    perms = page.permissions_for_user(request.user)  # the edit view has checked can_edit
    workflow_state = page.current_workflow_state
    language = translation.target_locale.get_display_name()
    if action == PUBLISH and not perms.can_publish():
        raise PermissionDenied
    if action in (SUBMIT, RESTART_WORKFLOW) and not perms.can_submit_for_moderation():
        raise PermissionDenied
    if action in (CANCEL_WORKFLOW, RESTART_WORKFLOW) and not (
        workflow_state and workflow_state.user_can_cancel(request.user)
    ):
        raise PermissionDenied

    task_action = None
    if action == WORKFLOW_ACTION:
        task = page.current_workflow_task
        task_action = request.POST.get("workflow-action-name")
        task_labels = {
            name: label
            for name, label, _modal in (task.get_actions(page, request.user) if task else [])
        }
        if task_action not in task_labels:
            raise PermissionDenied

    if action == CANCEL_WORKFLOW:
        workflow_state.cancel(user=request.user)
        messages.success(request, _("The review of '%(title)s' was cancelled.") % {"title": page})
        return redirect(request.path)

    try:
        translation.save_target(user=request.user, publish=action == PUBLISH)
    except ValidationError as error:
        messages.error(
            request,
            _("The %(language)s version could not be saved: %(errors)s")
            % {"language": language, "errors": " ".join(error.messages)},
        )
        return redirect(request.path)
    page = page.specific_class.objects.get(pk=page.pk)

    if action == WORKFLOW_ACTION:
        extra = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
        page.current_workflow_task.on_action(
            page.current_workflow_task_state, request.user, task_action, **extra
        )
        page.refresh_from_db()
        message = _("'%(title)s' (%(language)s): %(action)s.") % {
            "title": page.title,
            "language": language,
            "action": task_labels[task_action],
        }
    elif action == SUBMIT:
        if workflow_state and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            workflow_state.resume(request.user)
        else:
            page.get_workflow().start(page, request.user)
        message = _("'%(title)s' (%(language)s) was submitted to %(workflow)s.") % {
            "title": page.title,
            "language": language,
            "workflow": page.get_workflow().name,
        }
    elif action == RESTART_WORKFLOW:
        workflow_state.cancel(user=request.user)
        page.get_workflow().start(page, request.user)
        message = _("The review of '%(title)s' (%(language)s) was restarted.") % {
            "title": page.title,
            "language": language,
        }
    elif action == PUBLISH:
        message = _("'%(title)s' was published in %(language)s.") % {
            "title": page.title,
            "language": language,
        }
    else:
        message = _("The %(language)s draft of '%(title)s' was saved.") % {
            "title": page.title,
            "language": language,
        }
    messages.success(request, message)
    return redirect(request.path)


# --- the footer ------------------------------------------------------------------------------------


class StopTranslationMenuItem(ActionMenuItem):
    """wagtail-localize's "Stop Synced translation" (its own view, which checks the permission)."""

    label = gettext_lazy("Stop Synced translation")
    name = "localize-stop-translation"
    icon_name = "cross"
    template_name = "wagtail_localize/admin/stop_translation_menu_item.html"

    def __init__(self, url: str):
        super().__init__(order=1000)
        self.url = url

    def get_url(self, parent_context):
        return self.url


class PreviewTranslationMenuItem(ActionMenuItem):
    """The translated page as it will look, in a new tab (wagtail-localize's preview)."""

    label = gettext_lazy("Preview")
    name = "localize-preview"
    icon_name = "view"
    template_name = "wagtail_localize/admin/preview_translation_menu_item.html"

    def __init__(self, url: str):
        super().__init__(order=5)
        self.url = url

    def get_url(self, parent_context):
        return self.url


def translation_action_menu(request, page: Page, translation: Translation) -> PageActionMenu:
    """Wagtail's page action menu for the translated page, plus Preview and Stop translation."""
    lock = page.get_lock()
    menu = PageActionMenu(
        request,
        view="edit",
        page=page,
        lock=lock,
        locked_for_user=bool(lock and lock.for_user(request.user)),
    )
    items = [menu.default_item, *menu.menu_items] if menu.default_item else []
    # The main action is Save draft, or Wagtail's "Page locked" while the page is in review (never
    # wagtail-localize's "Convert to alias page", first by its order when nothing else shows).
    aside = [item for item in items if item.name == "localize-convert-to-alias"]
    items = [item for item in items if item not in aside]
    items.sort(key=lambda item: item.name not in ("action-save-draft", "action-page-locked"))
    items = [
        *items[:1],
        PreviewTranslationMenuItem(
            reverse("wagtail_localize:preview_translation", args=[translation.pk])
        ),
        *items[1:],
        *aside,
        StopTranslationMenuItem(
            reverse("wagtail_localize:stop_translation", args=[translation.pk])
        ),
    ]
    menu.default_item, menu.menu_items = items[0], items[1:]
    return menu


# --- segment labels --------------------------------------------------------------------------------


def _part(label: str) -> str:
    """A label inside a path reads on from the one before: "link", but "URL" stays."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _labels(block, value, components: list[str]) -> list[str] | None:
    """The labels of the blocks along `components` (ids and child names of a content path)."""
    if not components:
        return []
    head, rest = components[0], components[1:]
    if isinstance(block, blocks.StreamBlock):
        child = next((c for c in value or [] if c.id == head), None)
        if child is None:
            return None
        below = _labels(child.block, child.value, rest)
        return None if below is None else [str(child.block.label), *below]
    if isinstance(block, blocks.StructBlock):
        child_block = block.child_blocks.get(head)
        if child_block is None:
            return None
        below = _labels(child_block, (value or {}).get(head), rest)
        return None if below is None else [str(child_block.label), *below]
    if isinstance(block, blocks.ListBlock):
        bound = list(getattr(value, "bound_blocks", []))
        index = next((i for i, item in enumerate(bound) if item.id == head), None)
        if index is None:
            return None
        item_label = str(block.child_block.label or block.label)
        below = _labels(block.child_block, bound[index].value, rest)
        return None if below is None else [f"{item_label} {index + 1}", *below]
    return []  # a leaf (text, rich text, chooser): the segment is the block itself


def segment_labels(source, content_path: str) -> tuple[str, str | None] | None:
    """(section label, path below it) for a segment of a StreamField, or None (leave it as is)."""
    field_name, *components = content_path.split(".")
    try:
        field = source._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - not a model field (inline panels): wagtail-localize's label
        return None
    if not isinstance(field, StreamField) or not components:
        return None
    labels = _labels(field.stream_block, getattr(source, field_name), components)
    if not labels:
        return None
    section, *below = labels
    path = " — ".join([capfirst(below[0]), *map(_part, below[1:])]) if below else None
    return capfirst(section), path


def relabel_segments(props: str, translation: Translation) -> str:
    """The translation editor's props with each StreamField segment labelled by its block path."""
    data = json.loads(props)
    source = translation.source.get_source_instance()
    for segment in data.get("segments", []):
        labels = segment_labels(source, segment.get("contentPath", ""))
        if labels is not None:
            segment["location"]["field"], segment["location"]["subField"] = labels
    return json.dumps(data)


# --- "Translate this page": the only target language ticked in advance ----------------------------


class OnlyLanguageTickedMixin:
    """wagtail-localize's submit-translation form, with the target language ticked when it is the
    only one left (a `?select_locale=` in the address still wins)."""

    def get_form(self):
        form = super().get_form()
        if self.request.method != "POST" and not form.initial.get("locales"):
            choices = list(form.fields["locales"].queryset)
            if len(choices) == 1:
                form.initial["locales"] = choices
        return form


def submit_translation_views():
    from wagtail_localize.views.submit_translations import (
        SubmitPageTranslationView,
        SubmitSnippetTranslationView,
    )

    page_view = type(
        "SubmitPageTranslationView", (OnlyLanguageTickedMixin, SubmitPageTranslationView), {}
    )
    snippet_view = type(
        "SubmitSnippetTranslationView", (OnlyLanguageTickedMixin, SubmitSnippetTranslationView), {}
    )
    return page_view.as_view(), snippet_view.as_view()


# --- the dashboard: translations waiting for review ------------------------------------------------


class TranslationsWaitingPanel(Component):
    """On a reviewer's dashboard: the translated pages submitted to a review they may act on, with
    the language each was translated from and into (Wagtail's "Awaiting your review" lists them too,
    among every other page)."""

    name = "translations_waiting"
    template_name = "wagtailadmin/home/translations_waiting.html"
    order = 210  # just above "Awaiting your review"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        states = list(
            TaskState.objects.reviewable_by(self.request.user)
            .filter(
                workflow_state__base_content_type__app_label="wagtailcore",
                workflow_state__base_content_type__model="page",
            )
            .select_related("revision__user", "workflow_state")
            .order_by("-started_at")
        )
        pages = Page.objects.filter(
            pk__in=[int(state.workflow_state.object_id) for state in states]
        ).select_related("locale")
        pages = {str(page.pk): page for page in pages}
        translations = Translation.objects.filter(
            enabled=True,
            source__object_id__in=[page.translation_key for page in pages.values()],
        ).select_related("source__locale", "target_locale")
        translated = {(t.source.object_id, t.target_locale_id): t for t in translations}
        rows = []
        for state in states:
            page = pages.get(state.workflow_state.object_id)
            translation = page and translated.get((page.translation_key, page.locale_id))
            if translation is None:
                continue
            rows.append(
                {
                    "page": page,
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    "source_language": translation.source.locale.get_display_name(),
                    "language": translation.target_locale.get_display_name(),
                    "submitted_by": state.revision.user if state.revision else None,
                    "started_at": state.started_at,
                }
            )
        return {"rows": rows}
