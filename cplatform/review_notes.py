"""The moderator's "changes requested" note, for the editor who opens the page or snippet again.

Wagtail keeps the note on the rejected TaskState (`comment`, `finished_by`, `finished_at`) and
shows it only in the workflow history; the edit screen says nothing. While the workflow waits for
changes (its state is "needs changes" until the editor resubmits), the edit screen opens with it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.models import TaskState, WorkflowState


def changes_requested_task_state(obj) -> TaskState | None:
    """The rejected task state of `obj`'s workflow while it waits for changes, or None. Two
    queries at most (the workflow state, then the task state with its task and moderator)."""
    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return None
    current = getattr(obj, "current_workflow_state", None)
    if current is None or current.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    return (
        TaskState.objects.filter(pk=current.current_task_state_id, status=TaskState.STATUS_REJECTED)
        .select_related("task", "finished_by")
        .first()
    )


def changes_requested_message(task_state: TaskState) -> str:
    """Who asked for changes, when, at which step, and what they wrote (escaped, line breaks
    kept)."""
    who = task_state.finished_by
    name = (who.get_full_name() or who.get_username()) if who else _("A moderator")
    when = date_format(timezone.localtime(task_state.finished_at), "DATETIME_FORMAT")
    heading = format_html(
        _("{name} asked for changes ({task}, {when})."),
        name=name,
        task=task_state.task.name,
        when=when,
    )
    if not task_state.comment.strip():
        return format_html(
            "{} {}", heading, _("No comment was left: see the page's comments and history.")
        )
    return format_html(
        '{} <span class="review-note__label">{}</span> <q class="review-note__comment">{}</q>',
        heading,
        _("Their note:"),
        linebreaksbr(task_state.comment.strip(), autoescape=True),
    )


def show_changes_requested(request, obj) -> None:
    """On the edit screen (a GET that renders HTML, not an autosave), the note as a warning at
    the top, where Wagtail shows its own messages."""
    if request.method != "GET" or not request.accepts("text/html"):
        return
    task_state = changes_requested_task_state(obj)
    if task_state is not None:
        messages.warning(request, changes_requested_message(task_state), extra_tags="review-note")
