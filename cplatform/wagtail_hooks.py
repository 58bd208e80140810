"""Rules for every viewset of the Wagtail admin (see `cplatform/admin_views.py`)."""

from django.urls import path
from wagtail import hooks

from .admin_views import (
    localize_snippets_api,
    make_copy_views_prefill_only,
    make_workflow_cancellation_publishers_only,
)
from .review_notes import show_changes_requested
from .snippet_translations import flag_out_of_date_translation
from .translation_editor import (
    TranslationsWaitingPanel,
    submit_translation_views,
    translation_editor_action,
)


@hooks.register("register_admin_viewset", order=1000)
def copy_views_only_prefill():
    """Runs after every other viewset is registered (the highest order), to fix their copy views
    and the review's confirmation."""
    from wagtail.admin.viewsets import viewsets

    make_copy_views_prefill_only(viewsets.viewsets)
    make_workflow_cancellation_publishers_only(viewsets.viewsets)
    return []


@hooks.register("register_admin_urls", order=-1)
def guard_localize_snippets_api():
    """Routes of wagtail-localize we serve ourselves, placed before its own for the same paths."""
    from wagtail_localize.views.snippets_api import SnippetViewSet

    submit_page, submit_snippet = submit_translation_views()
    return [
        # "Translate this page" with the only target language ticked in advance.
        path("localize/submit/page/<int:page_id>/", submit_page),
        path(
            "localize/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
            submit_snippet,
        ),
        path(
            "localize/api/snippets/<slug:app_label>/<slug:model_name>/",
            localize_snippets_api(SnippetViewSet.as_view({"get": "list"})),
        ),
        path(
            "localize/api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/",
            localize_snippets_api(SnippetViewSet.as_view({"get": "retrieve"})),
        ),
    ]


@hooks.register("before_edit_page", order=-1)
def save_or_submit_a_translation(request, page):
    """Before wagtail-localize's own hook, which would otherwise answer every POST of its editor."""
    return translation_editor_action(request, page)


@hooks.register("construct_homepage_panels")
def add_translations_waiting(request, panels):
    panels.append(TranslationsWaitingPanel(request))


@hooks.register("before_edit_page")
def show_changes_requested_on_page(request, page):
    """The moderator's "changes requested" note at the top of the page's edit screen."""
    show_changes_requested(request, page)


@hooks.register("before_edit_snippet")
def show_changes_requested_on_snippet(request, instance):
    """The same for a snippet under a workflow."""
    show_changes_requested(request, instance)


# Before wagtail-localize's own hook (which takes over the screen of a synced translation).
hooks.register("before_edit_snippet", flag_out_of_date_translation, order=-10)
