"""Editors write, Moderators approve: the "Marketing review" workflow on every page of the site,
previews and revisions, and scheduled publishing through the django-q2 schedule."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    Workflow,
    WorkflowState,
)

from cplatform.editorial import (
    EDITORS,
    MODERATORS,
    SCHEDULE_NAME,
    TASK_NAME,
    WORKFLOW_NAME,
    content_snippet_models,
    ensure_editorial_setup,
)
from tests.authentication.factories import UserFactory
from tests.editorial.admin_forms import edit_form, post_edit

pytestmark = pytest.mark.django_db


def page_permissions(group_name: str) -> set[str]:
    return set(
        GroupPagePermission.objects.filter(group__name=group_name, page__depth=1).values_list(
            "permission__codename", flat=True
        )
    )


def collection_permissions(group_name: str) -> set[str]:
    return set(
        GroupCollectionPermission.objects.filter(
            group__name=group_name, collection__depth=1
        ).values_list("permission__codename", flat=True)
    )


# --- the groups ------------------------------------------------------------------------------


def test_editors_may_add_and_change_pages_but_not_publish():
    assert page_permissions(EDITORS) == {"add_page", "change_page"}


def test_moderators_may_also_publish_and_lock_pages():
    assert page_permissions(MODERATORS) == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    }


def test_editors_add_and_change_images_and_documents_and_only_moderators_delete_them():
    editors = collection_permissions(EDITORS)
    moderators = collection_permissions(MODERATORS)

    assert editors == {
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    }
    assert moderators == editors | {"delete_image", "delete_document"}


def test_both_groups_reach_the_admin_and_submit_translations(editor, moderator):
    for user in (editor, moderator):
        assert user.has_perm("wagtailadmin.access_admin")
        assert user.has_perm("wagtail_localize.submit_translation")
    assert moderator.has_perm("wagtailredirects.add_redirect")
    assert not editor.has_perm("wagtailredirects.add_redirect")


def test_editors_edit_the_public_sites_snippets_and_only_moderators_delete_them(editor, moderator):
    models = content_snippet_models()
    assert {m.__name__ for m in models} >= {"Testimonial", "Menu", "BlogAuthor", "BlogCategory"}
    for model in models:
        label, name = model._meta.app_label, model._meta.model_name
        assert editor.has_perm(f"{label}.change_{name}"), name
        assert not editor.has_perm(f"{label}.delete_{name}"), name
        assert moderator.has_perm(f"{label}.delete_{name}"), name


def test_migrate_grants_the_content_permissions_of_models_that_arrive_later(editor):
    """Snippet models come with other apps' migrations: the post_migrate handler grants them."""
    from django.core.management.sql import emit_post_migrate_signal

    editors = Group.objects.get(name=EDITORS)
    editors.permissions.remove(*editors.permissions.filter(content_type__app_label="blog"))
    assert (
        not Group.objects.get(name=EDITORS)
        .permissions.filter(codename="change_blogauthor")
        .exists()
    )

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert editors.permissions.filter(codename="change_blogauthor").exists()
    assert not editors.permissions.filter(codename="delete_blogauthor").exists()


def test_only_moderators_change_the_site_settings(editor, moderator):
    assert moderator.has_perm("home.change_sitesettings")
    assert not editor.has_perm("home.change_sitesettings")


def test_editors_get_no_permission_on_snippets_outside_the_public_site(editor):
    assert not editor.has_perm("authentication.change_guardianlink")
    assert not editor.has_perm("authentication.view_guardianlink")


def test_a_user_outside_both_groups_cannot_reach_the_admin(client):
    client.force_login(UserFactory())

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editorial_setup_can_run_again_without_duplicating_anything():
    before = (
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        Schedule.objects.count(),
        Group.objects.count(),
    )

    ensure_editorial_setup()

    after = (
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
        GroupApprovalTask.objects.count(),
        Schedule.objects.count(),
        Group.objects.count(),
    )
    assert after == before


# --- the workflow ------------------------------------------------------------------------------


def test_marketing_review_is_one_task_approved_by_moderators():
    workflow = Workflow.objects.get(name=WORKFLOW_NAME, active=True)
    tasks = list(workflow.tasks.specific())

    assert [task.name for task in tasks] == [TASK_NAME]
    assert isinstance(tasks[0], GroupApprovalTask)
    assert list(tasks[0].groups.values_list("name", flat=True)) == [MODERATORS]


def test_every_page_of_the_site_goes_through_marketing_review(home, spanish):
    spanish_home = home.copy_for_translation(spanish)

    assert home.get_workflow().name == WORKFLOW_NAME
    assert spanish_home.get_workflow().name == WORKFLOW_NAME
    assert Page.get_first_root_node().get_workflow().name == WORKFLOW_NAME
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()


def test_an_editor_cannot_publish_and_the_publish_button_is_refused(editor_client, editor, home):
    live_title = home.title

    response = post_edit(editor_client, home, button="publish", title="Learn anything, anywhere")

    assert response.status_code == 302
    home.refresh_from_db()
    assert home.title == live_title
    assert home.has_unpublished_changes
    assert home.get_latest_revision().as_object().title == "Learn anything, anywhere"
    assert not home.permissions_for_user(editor).can_publish()


def test_the_editor_page_offers_submit_for_review_and_no_publish_button(editor_client, home):
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
    html = response.content.decode()

    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_a_page_an_editor_submits_goes_to_marketing_review(editor_client, editor, home):
    post_edit(editor_client, home, button="submit", title="Learn anything, anywhere")

    state = WorkflowState.objects.get(object_id=str(home.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert state.current_task_state.task.name == TASK_NAME
    assert state.requested_by == editor
    home.refresh_from_db()
    assert home.title != "Learn anything, anywhere"


def test_an_editor_cannot_approve_their_own_submission(editor_client, home):
    post_edit(editor_client, home, button="submit", title="Learn anything, anywhere")
    state = WorkflowState.objects.get(object_id=str(home.pk))

    response = editor_client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[home.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )

    assert response.status_code in (302, 403)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    home.refresh_from_db()
    assert home.title != "Learn anything, anywhere"


def test_a_moderator_approves_and_the_page_goes_live(editor_client, moderator_client, home):
    post_edit(editor_client, home, button="submit", title="Learn anything, anywhere")
    state = WorkflowState.objects.get(object_id=str(home.pk))

    response = moderator_client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[home.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": "Looks good"},
    )

    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    home.refresh_from_db()
    assert home.live and home.title == "Learn anything, anywhere"
    assert not home.has_unpublished_changes
    assert "Learn anything, anywhere" in moderator_client.get(home.url).content.decode()


def test_a_moderator_publishes_directly(moderator_client, home):
    response = post_edit(moderator_client, home, button="publish", title="Published by a moderator")

    assert response.status_code == 302
    home.refresh_from_db()
    assert home.title == "Published by a moderator"
    assert not home.has_unpublished_changes


# --- previews and revisions ---------------------------------------------------------------------


def test_an_editor_previews_unsaved_changes(editor_client, home):
    data = edit_form(editor_client, home).copy()
    data["title"] = "A draft nobody has saved"
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[home.pk])
    revisions = Revision.page_revisions.filter(object_id=str(home.pk)).count()

    check = editor_client.post(preview_url, data)
    response = editor_client.get(preview_url)

    assert check.status_code == 200 and check.json()["is_valid"]
    assert response.status_code == 200
    assert "A draft nobody has saved" in response.content.decode()
    assert Revision.page_revisions.filter(object_id=str(home.pk)).count() == revisions


def test_saving_a_draft_creates_a_revision_the_editor_can_view_and_compare(editor_client, home):
    revisions = Revision.page_revisions.filter(object_id=str(home.pk))
    before = revisions.count()

    post_edit(editor_client, home, title="First draft")
    post_edit(editor_client, home, title="Second draft")

    assert revisions.count() == before + 2
    first, second = revisions.order_by("-created_at", "-pk")[1], revisions.latest("created_at")
    assert first.as_object().title == "First draft"
    assert second.as_object().title == "Second draft"
    view = editor_client.get(reverse("wagtailadmin_pages:revisions_view", args=[home.pk, first.pk]))
    compare = editor_client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[home.pk, first.pk, second.pk])
    )
    assert view.status_code == 200 and "First draft" in view.content.decode()
    assert compare.status_code == 200


# --- scheduled publishing -----------------------------------------------------------------------


def test_scheduled_publishing_runs_every_minute():
    schedule = Schedule.objects.get(name=SCHEDULE_NAME)

    assert schedule.func == "cplatform.tasks.publish_scheduled_pages"
    assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 1
    assert schedule.repeats < 0  # for ever


@pytest.fixture
def published_home(home, moderator):
    """The home page as it is once someone has published it (the data migration made it without a
    revision), so a scheduled revision waits beside the live one."""
    home.save_revision(user=moderator).publish(user=moderator)
    home.refresh_from_db()
    return home


def test_the_schedule_publishes_a_page_whose_go_live_time_has_passed(moderator, published_home):
    home = published_home
    home.title = "Our spring courses"
    home.go_live_at = timezone.now() + timedelta(hours=1)
    revision = home.save_revision(user=moderator)
    revision.publish(user=moderator)
    home.refresh_from_db()
    assert home.title != "Our spring courses"  # scheduled, not live yet
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None

    # An hour later: the revision is due (its go-live time is past), and so is the schedule.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    Schedule.objects.filter(name=SCHEDULE_NAME).update(
        next_run=timezone.now() - timedelta(seconds=1)
    )
    scheduler()

    home.refresh_from_db()
    assert home.title == "Our spring courses"
    assert home.live and not home.has_unpublished_changes
    schedule = Schedule.objects.get(name=SCHEDULE_NAME)
    assert schedule.next_run > timezone.now()
    assert schedule.success()


def test_the_schedule_leaves_a_page_alone_before_its_go_live_time(moderator, published_home):
    home = published_home
    home.title = "Not yet"
    home.go_live_at = timezone.now() + timedelta(hours=1)
    home.save_revision(user=moderator).publish(user=moderator)
    Schedule.objects.filter(name=SCHEDULE_NAME).update(
        next_run=timezone.now() - timedelta(seconds=1)
    )

    scheduler()

    home.refresh_from_db()
    assert home.title != "Not yet"


def test_the_schedule_publishes_a_new_page_when_its_go_live_time_comes(moderator, client):
    from tests.home.factories import LandingPageFactory, embed_for

    embed_for()
    landing = LandingPageFactory(live=False, slug="spring-campaign")
    landing.go_live_at = timezone.now() + timedelta(days=1)
    revision = landing.save_revision(user=moderator)
    revision.publish(user=moderator)
    landing.refresh_from_db()
    assert not landing.live
    assert client.get("/spring-campaign/").status_code == 404

    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    Schedule.objects.filter(name=SCHEDULE_NAME).update(
        next_run=timezone.now() - timedelta(seconds=1)
    )
    scheduler()

    landing.refresh_from_db()
    assert landing.live
    assert client.get("/spring-campaign/").status_code == 200
