"""Guardian links people understand: asking before ending one (saying what ends with it), consent
that says what it allows, a child under 16 who cannot end a guardian's link (page and API), and
"My children" with each child's lessons, progress and booking."""

import pytest

from authentication.choices import GuardianLinkStatus
from authentication.services import guardian_invite, guardian_link_admin_end
from tests.authentication.consent import child
from tests.authentication.factories import AdminFactory, ParentFactory, StudentFactory
from tests.authentication.helpers import app_login, auth_header


def token_of(client, email) -> str:
    response = app_login(client, email)
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_parent_is_asked_before_ending_a_link_and_told_what_happened(client):
    kid, parent = child(age=12, consent=True, first_name="Lucía", last_name="Pérez")
    link = kid.guardian_links.get()
    client.force_login(parent)
    family = client.get("/auth/guardians/").content.decode()
    assert f'href="/auth/guardians/{link.pk}/remove/"' in family  # a link to ask, not a POST
    asked = client.get(f"/auth/guardians/{link.pk}/remove/")
    page = asked.content.decode()
    assert "End the link with Lucía Pérez?" in page
    assert "You will no longer see Lucía Pérez&#x27;s lessons, progress" in page
    assert "The consent given through this link ends with it" in page
    link.refresh_from_db()
    assert link.status == GuardianLinkStatus.ACTIVE  # asking changed nothing
    done = client.post(f"/auth/guardians/{link.pk}/remove/", follow=True)
    assert messages_of(done) == [
        "The link with Lucía Pérez has ended: you no longer see their lessons and progress."
    ]
    link.refresh_from_db()
    assert link.status == GuardianLinkStatus.REMOVED


def test_a_child_under_16_cannot_end_a_guardians_link_on_the_page(client):
    kid, parent = child(age=12)
    link = kid.guardian_links.get()
    client.force_login(kid)
    family = client.get("/auth/guardians/").content.decode()
    assert f"/auth/guardians/{link.pk}/remove/" not in family
    assert "Only your guardian or an admin can end this link." in family
    asked = client.get(f"/auth/guardians/{link.pk}/remove/", follow=True)
    assert 'data-testid="confirm"' not in asked.content.decode()
    assert any("ended by the guardian or by an admin" in m for m in messages_of(asked))
    posted = client.post(f"/auth/guardians/{link.pk}/remove/", follow=True)
    assert any("ended by the guardian or by an admin" in m for m in messages_of(posted))
    link.refresh_from_db()
    assert link.status == GuardianLinkStatus.ACTIVE


def test_a_child_under_16_cannot_end_the_link_through_the_api_but_the_guardian_and_an_admin_can(
    client,
):
    kid, parent = child(age=12)
    link = kid.guardian_links.get()
    token = token_of(client, kid.email)
    refused = client.delete(f"/api/v1/guardians/{link.pk}", **auth_header(token))
    assert refused.status_code == 403
    assert refused.json()["code"] == "guardian_removal_locked"
    link.refresh_from_db()
    assert link.status == GuardianLinkStatus.ACTIVE
    ended = client.delete(
        f"/api/v1/guardians/{link.pk}", **auth_header(token_of(client, parent.email))
    )
    assert ended.status_code == 204
    link.refresh_from_db()
    assert link.status == GuardianLinkStatus.REMOVED

    other_kid, _other_parent = child(age=12)
    other = other_kid.guardian_links.get()
    assert guardian_link_admin_end(actor=AdminFactory(), link=other).status == "removed"


@pytest.mark.parametrize("age", [16, None])
def test_a_student_of_16_or_without_a_date_of_birth_ends_a_guardians_link(client, age):
    kid, parent = child(age=age or 20)
    if age is None:
        from tests.authentication.consent import set_birthday

        set_birthday(kid, None)
    link = kid.guardian_links.get()
    client.force_login(kid)
    page = client.get(f"/auth/guardians/{link.pk}/remove/").content.decode()
    assert "will no longer see your lessons, progress" in page
    client.post(f"/auth/guardians/{link.pk}/remove/")
    link.refresh_from_db()
    assert link.status == GuardianLinkStatus.REMOVED


def test_declining_and_cancelling_an_invitation_ask_with_their_own_words(client):
    parent, kid = ParentFactory(), StudentFactory()
    pending = guardian_invite(actor=parent, email=kid.email, as_role="child")
    client.force_login(parent)
    assert (
        "Cancel your invitation to"
        in client.get(f"/auth/guardians/{pending.pk}/remove/").content.decode()
    )
    client.force_login(kid)
    assert (
        "Decline the invitation from"
        in client.get(f"/auth/guardians/{pending.pk}/remove/").content.decode()
    )
    done = client.post(f"/auth/guardians/{pending.pk}/remove/", follow=True)
    assert messages_of(done)[0].startswith("You declined the invitation from")
    pending.refresh_from_db()
    assert pending.status == GuardianLinkStatus.DECLINED


def test_consent_says_what_is_consented_to_before_it_is_given(client):
    kid, parent = child(age=12, first_name="Lucía", last_name="Pérez")
    link = kid.guardian_links.get()
    client.force_login(parent)
    family = client.get("/auth/guardians/").content.decode()
    assert "Giving consent means:" in family
    assert f'href="/auth/guardians/{link.pk}/consent/"' in family
    page = client.get(f"/auth/guardians/{link.pk}/consent/").content.decode()
    assert "Give your consent for Lucía Pérez?" in page
    assert (
        "Lucía Pérez may book 1:1 lessons with teachers, take seats in group sessions and enrol "
        "in courses that have a teacher or a price."
    ) in page
    link.refresh_from_db()
    assert link.consent_given_at is None
    done = client.post(f"/auth/guardians/{link.pk}/consent/", follow=True)
    assert messages_of(done) == [
        "Consent recorded: Lucía Pérez may now book lessons and enrol in courses."
    ]
    link.refresh_from_db()
    assert link.consent_given_by == parent
    # The child sees the link but does not consent: no page for them.
    client.force_login(kid)
    assert client.get(f"/auth/guardians/{link.pk}/consent/").status_code == 404


def test_my_children_links_each_childs_lessons_progress_and_booking(client):
    kid, parent = child(age=12, first_name="Lucía")
    client.force_login(parent)
    page = client.get("/auth/guardians/").content.decode()
    assert 'data-testid="my-children"' in page
    for href in (
        f"/lessons/?student={kid.pk}",
        f"/progress/history/?student={kid.pk}",
        "/teachers/",
    ):
        assert f'href="{href}"' in page
        assert client.get(href).status_code == 200
    assert f"{kid.name}'s lessons" in client.get(f"/lessons/?student={kid.pk}").content.decode()
    stranger = StudentFactory()
    assert client.get(f"/lessons/?student={stranger.pk}").status_code == 404
    assert client.get("/lessons/?student=abc").status_code == 404
    # A student has no children section.
    client.force_login(kid)
    assert 'data-testid="my-children"' not in client.get("/auth/guardians/").content.decode()
