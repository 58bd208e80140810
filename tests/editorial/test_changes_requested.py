"""The moderator's "changes requested" note reaches the editor: whoever opens the page's edit
screen while the review waits for changes sees who asked, when, at which step and what they wrote,
until the page is submitted again."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import WorkflowState

from cplatform.editorial import TASK_NAME
from tests.editorial.admin_forms import post_edit

pytestmark = pytest.mark.django_db


def request_changes(moderator_client, page, comment: str):
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    response = moderator_client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "reject", state.current_task_state.pk],
        ),
        {"comment": comment},
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    return state


def note_text(client, page) -> str:
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    found = soup.select_one(".review-note__comment")
    if found is None:
        return ""
    return " ".join(found.find_parent(["li", "div"]).get_text(" ").split())


def test_the_editor_sees_the_moderators_note_on_the_edit_screen(
    editor_client, moderator_client, home
):
    post_edit(editor_client, home, button="submit", title="Learn anything, anywhere")
    state = request_changes(
        moderator_client, home, "The hero says “anything”: <b>too vague</b>.\nName the subjects."
    )

    text = note_text(editor_client, home)

    assert "Mona" in text and TASK_NAME in text  # who, at which step
    finished = state.current_task_state.finished_at
    with translation.override("en"):
        assert date_format(timezone.localtime(finished), "DATETIME_FORMAT") in text  # when
    assert "The hero says “anything”: <b>too vague</b>." in text  # what, escaped, not markup
    assert "Name the subjects." in text
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).content.decode()
    assert "<b>too vague</b>" not in html


def test_the_note_goes_once_the_editor_submits_the_page_again(
    editor_client, moderator_client, home
):
    post_edit(editor_client, home, button="submit", title="Learn anything, anywhere")
    request_changes(moderator_client, home, "Name the subjects.")
    post_edit(editor_client, home, button="save", title="Learn languages and maths")
    assert "Name the subjects." in note_text(editor_client, home)  # a draft alone keeps it

    post_edit(editor_client, home, button="submit", title="Learn languages and maths")

    assert note_text(editor_client, home) == ""


def test_without_a_comment_the_editor_is_still_told_changes_were_asked(
    editor_client, moderator_client, moderator, home
):
    post_edit(editor_client, home, button="submit", title="Learn anything, anywhere")
    request_changes(moderator_client, home, "")

    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).content.decode()

    assert f"{moderator.get_full_name()} asked for changes" in html
    assert "No comment was left" in html


def test_an_approved_page_shows_no_note(editor_client, moderator_client, home):
    post_edit(editor_client, home, button="submit", title="Learn anything, anywhere")
    state = WorkflowState.objects.get(object_id=str(home.pk))
    moderator_client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[home.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": "Looks good"},
    )

    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).content.decode()

    assert "asked for changes" not in html and "Looks good" not in html
