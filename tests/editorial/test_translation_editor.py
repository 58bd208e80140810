"""The translation editor as Editors and Moderators use it: an Editor saves the Spanish version as
a draft and submits it to the Marketing review (never publishes, never sees Delete as the main
action), a Moderator finds it waiting on the dashboard and approves it; each field of the editor is
labelled by what it is; the only target language is ticked in advance."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils.text import capfirst
from wagtail.models import Locale, WorkflowState

from cplatform.editorial import WORKFLOW_NAME
from tests.editorial.test_translation import (
    SPANISH,
    home,  # noqa: F401 - the filled English home page (a fixture)
    landing,  # noqa: F401 - a landing page with every block (a fixture)
    submit_for_translation,
    translate_through_po,
)

pytestmark = pytest.mark.django_db


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def footer(client, page) -> BeautifulSoup:
    response = client.get(edit_url(page))
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").select_one(
        "form.translation-editor-actions"
    )
    assert form is not None, "the translation editor has no page action menu"
    return form


def main_action(form) -> str:
    return form.select_one("button, a").get_text(" ", strip=True)


def props(client, page) -> dict:
    html = BeautifulSoup(client.get(edit_url(page)).content, "html.parser")
    return json.loads(html.select_one(".js-translation-editor")["data-props"])


@pytest.fixture
def spanish_home(editor_client, home, spanish):  # noqa: F811
    """The Spanish home page, every string translated in the editor by the Editor, not yet saved."""
    translation = submit_for_translation(editor_client, home, spanish)
    translate_through_po(editor_client, translation)
    return home.get_translation(spanish)


# --- 1. save and submit ----------------------------------------------------------------------------


def test_an_editor_sees_save_draft_first_and_submit_to_marketing_review_but_no_publish_or_delete(
    editor_client, spanish_home
):
    form = footer(editor_client, spanish_home)

    assert main_action(form) == "Save draft"
    labels = [b.get_text(" ", strip=True) for b in form.select("button, a")]
    assert f"Submit to {WORKFLOW_NAME}" in labels
    assert not [label for label in labels if label.startswith("Publish")]
    assert "Delete" not in labels
    # The React editor's own footer (Delete as its main action for an Editor) is replaced.
    html = editor_client.get(edit_url(spanish_home)).content.decode()
    assert "translation-editor--page-actions" in html


def test_a_moderator_may_also_publish_the_translation(moderator_client, spanish_home):
    labels = [
        b.get_text(" ", strip=True) for b in footer(moderator_client, spanish_home).select("button")
    ]

    assert main_action(footer(moderator_client, spanish_home)) == "Save draft"
    assert any(label.startswith("Publish") for label in labels)


def test_save_draft_writes_the_translated_strings_into_a_draft_revision(
    editor_client, editor, spanish_home
):
    assert spanish_home.latest_revision is None or "Aprende" not in str(
        spanish_home.latest_revision.content
    )

    response = editor_client.post(edit_url(spanish_home), {})

    assert response.status_code == 302 and response["Location"] == edit_url(spanish_home)
    spanish_home.refresh_from_db()
    draft = spanish_home.get_latest_revision_as_object()
    assert SPANISH["Learn from teachers who love their subject"] in json.dumps(
        list(draft.hero.raw_data), ensure_ascii=False
    )
    assert spanish_home.latest_revision.user == editor
    assert not spanish_home.live
    assert not WorkflowState.objects.filter(object_id=str(spanish_home.pk)).exists()


def test_an_editor_submits_the_translation_to_marketing_review(editor_client, editor, spanish_home):
    response = editor_client.post(edit_url(spanish_home), {"action-submit": "Submit"})

    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(spanish_home.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME and state.requested_by == editor
    spanish_home.refresh_from_db()
    assert not spanish_home.live
    # In review the page is locked for her: that is what the footer says first.
    assert main_action(footer(editor_client, spanish_home)) == "Page locked"
    # What goes to review is the translation, not the English copy it was made from.
    submitted = state.current_task_state.revision.as_object()
    assert SPANISH["Learn from teachers who love their subject"] in json.dumps(
        list(submitted.hero.raw_data), ensure_ascii=False
    )


def test_an_editor_cannot_publish_the_translation_from_the_editor(editor_client, spanish_home):
    response = editor_client.post(edit_url(spanish_home), {"action-publish": "Publish"})

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    spanish_home.refresh_from_db()
    assert not spanish_home.live


def test_a_moderator_approves_the_submitted_translation_and_it_goes_live(
    editor_client, moderator_client, spanish_home
):
    editor_client.post(edit_url(spanish_home), {"action-submit": "Submit"})
    state = WorkflowState.objects.get(object_id=str(spanish_home.pk))

    response = moderator_client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[spanish_home.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": "Bien"},
    )

    assert response.status_code == 302
    spanish_home.refresh_from_db()
    assert spanish_home.live
    html = moderator_client.get("/es/").content.decode()
    assert SPANISH["Learn from teachers who love their subject"] in html


def test_a_moderator_publishes_the_translation_from_the_editor(
    moderator_client, spanish_home, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(edit_url(spanish_home), {"action-publish": "Publish"})

    assert response.status_code == 302
    spanish_home.refresh_from_db()
    assert spanish_home.live


def test_an_editor_can_resubmit_after_changes_are_requested(
    editor_client, moderator_client, spanish_home
):
    editor_client.post(edit_url(spanish_home), {"action-submit": "Submit"})
    state = WorkflowState.objects.get(object_id=str(spanish_home.pk))
    moderator_client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[spanish_home.pk, "reject", state.current_task_state.pk],
        ),
        {"comment": "El título, por favor"},
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    form = footer(editor_client, spanish_home)
    assert "Resubmit to Moderators approve" in [
        b.get_text(" ", strip=True) for b in form.select("button")
    ]

    editor_client.post(edit_url(spanish_home), {"action-submit": "Resubmit"})

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


# --- 3. labels -------------------------------------------------------------------------------------


def test_each_segment_is_labelled_by_its_block_path(editor_client, home, landing, spanish):  # noqa: F811
    submit_for_translation(editor_client, home, spanish)
    submit_for_translation(editor_client, landing, spanish)
    spanish_landing = landing.get_translation(spanish)

    segments = props(editor_client, spanish_landing)["segments"]
    labels = {(s["location"]["field"], s["location"]["subField"]) for s in segments}
    by_source = {
        s["source"]: (s["location"]["field"], s["location"]["subField"])
        for s in segments
        if s["type"] == "string"
    }

    # Labels come from the block definitions (their wording is the blocks' business).
    body = type(landing).body.field.stream_block
    hero, grid = body.child_blocks["hero"], body.child_blocks["feature_grid"]
    assert (str(capfirst(hero.label)), str(capfirst(hero.child_blocks["heading"].label))) in labels
    second_button = str(capfirst(hero.child_blocks["secondary"].label))
    assert by_source["Sign up"][0] == str(capfirst(hero.label))
    assert by_source["Sign up"][1].startswith(f"{second_button} — ")
    main_button = str(capfirst(hero.child_blocks["primary"].label))
    assert (
        str(capfirst(hero.label)),
        by_source["Sign up"][1].replace(second_button, main_button),
    ) in labels
    # The second item of the grid's list: "<item> 2 — title" (the item's label, else the list's).
    assert by_source["Flexible booking"][0] == str(capfirst(grid.label))
    assert by_source["Flexible booking"][1].endswith(" 2 — title")
    # No raw block names anywhere.
    assert not [label for pair in labels for label in pair if label and "_" in label]


# --- 4. the only target language -------------------------------------------------------------------


def test_the_only_target_language_is_ticked_in_advance(editor_client, home):  # noqa: F811
    response = editor_client.get(
        reverse("wagtail_localize:submit_page_translation", args=[home.pk])
    )

    boxes = BeautifulSoup(response.content, "html.parser").select('input[name="locales"]')
    assert [(box["value"], box.has_attr("checked")) for box in boxes] == [
        (str(Locale.objects.get(language_code="es").pk), True)
    ]


def test_with_two_target_languages_none_is_ticked(editor_client, home):  # noqa: F811
    Locale.objects.create(language_code="fr")

    response = editor_client.get(
        reverse("wagtail_localize:submit_page_translation", args=[home.pk])
    )

    boxes = BeautifulSoup(response.content, "html.parser").select('input[name="locales"]')
    assert len(boxes) == 2 and not [box for box in boxes if box.has_attr("checked")]


# --- 2. translations waiting -----------------------------------------------------------------------


def dashboard(client) -> BeautifulSoup:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_a_submitted_translation_waits_on_the_moderators_dashboard_not_before(
    editor_client, moderator_client, spanish_home
):
    editor_client.post(edit_url(spanish_home), {})  # saved, not submitted
    before = dashboard(moderator_client)
    assert before.select_one("#translations-waiting-section") is None
    assert before.select_one("#awaiting-review-section") is None

    editor_client.post(edit_url(spanish_home), {"action-submit": "Submit"})

    after = dashboard(moderator_client)
    spanish_home.refresh_from_db()
    panel = after.select_one("#translations-waiting-section")
    assert panel is not None
    row = panel.select_one("tbody tr")
    link = row.select_one("a")
    assert link["href"] == edit_url(spanish_home)
    assert link.get_text(strip=True) == spanish_home.get_admin_display_title()
    assert "Translated from English into Spanish" in row.get_text(" ", strip=True)
    assert "Eddie" in row.get_text(" ", strip=True)
    # Wagtail's own "Awaiting your review" lists it too, with its language.
    awaiting = after.select_one("#awaiting-review-section")
    assert awaiting is not None and "Spanish" in awaiting.get_text(" ", strip=True)


def test_an_editor_has_no_translations_to_review(editor_client, spanish_home):
    editor_client.post(edit_url(spanish_home), {"action-submit": "Submit"})

    assert dashboard(editor_client).select_one("#translations-waiting-section") is None


def test_a_moderator_approves_from_the_translation_editor(
    editor_client, moderator_client, spanish_home
):
    editor_client.post(edit_url(spanish_home), {"action-submit": "Submit"})
    form = footer(moderator_client, spanish_home)
    approve = form.select_one('button[data-workflow-action-name="approve"]')
    assert approve is not None and "Approve" in approve.get_text()

    response = moderator_client.post(
        edit_url(spanish_home),
        {"action-workflow-action": "true", "workflow-action-name": "approve"},
    )

    assert response.status_code == 302
    spanish_home.refresh_from_db()
    assert spanish_home.live
    state = WorkflowState.objects.get(object_id=str(spanish_home.pk))
    assert state.status == WorkflowState.STATUS_APPROVED


def test_an_editor_cannot_approve_from_the_translation_editor(editor_client, spanish_home):
    editor_client.post(edit_url(spanish_home), {"action-submit": "Submit"})

    response = editor_client.post(
        edit_url(spanish_home),
        {"action-workflow-action": "true", "workflow-action-name": "approve"},
    )

    assert response.status_code in (302, 403)
    spanish_home.refresh_from_db()
    assert not spanish_home.live
