"""The HTML pages under /auth/: login and logout, the profile and its edit form, family links."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from authentication.choices import GuardianLinkStatus
from authentication.models import GuardianLink, User
from authentication.roles import user_roles
from authentication.services import guardian_accept, guardian_consent, guardian_invite
from classroom.models import StudentProfile
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

ROLE_FACTORIES = [StudentFactory, TeacherFactory, ParentFactory, AdminFactory]


def profile_data(user, **overrides):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "bio": user.bio,
        "timezone": user.timezone,
        "language": user.language,
        "phone": user.phone,
    }
    data.update(overrides)
    return data


def linked(parent, child):
    return guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )


# --- login / logout --------------------------------------------------------------------------


def test_login_page_logs_in_and_logout_logs_out(client):
    user = StudentFactory()
    assert client.get("/auth/login/").status_code == 200
    response = client.post("/auth/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    response = client.post("/auth/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_on_the_login_page_shows_a_form_error(client):
    user = StudentFactory()
    response = client.post("/auth/login/", {"login": user.email, "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_spanish_login_and_register_pages_answer(client):
    assert client.get("/es/auth/login/").status_code == 200
    assert client.get("/es/auth/register/").status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/auth/profile/", "/auth/profile/edit/", "/auth/guardians/", "/auth/password/change/"],
)
def test_account_pages_send_anonymous_visitors_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/auth/login/" in response["Location"]


# --- profile ---------------------------------------------------------------------------------


@pytest.mark.parametrize("factory", ROLE_FACTORIES)
def test_every_role_sees_its_profile_page(client, factory):
    user = factory(display_name="Visible Name", phone="+34 611 222 333", timezone="Asia/Tokyo")
    client.force_login(user)
    response = client.get("/auth/profile/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Visible Name", "+34 611 222 333", "Asia/Tokyo", user.email):
        assert text in html
    for role in user_roles(user):
        assert role in html


def test_profile_edit_saves_every_profile_field(client):
    user = StudentFactory()
    client.force_login(user)
    assert client.get("/auth/profile/edit/").status_code == 200
    response = client.post(
        "/auth/profile/edit/",
        profile_data(
            user,
            first_name="Lucía",
            display_name="Lu",
            bio="Hello!",
            timezone="America/Argentina/Buenos_Aires",
            language="es",
            phone="+54 11 1234-5678",
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/auth/profile/")
    user.refresh_from_db()
    assert (user.first_name, user.display_name, user.bio) == ("Lucía", "Lu", "Hello!")
    assert user.timezone == "America/Argentina/Buenos_Aires"
    assert (user.language, user.phone) == ("es", "+54 11 1234-5678")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Mars/Olympus"),
        ("language", "xx"),
        ("phone", "phone me"),
        ("display_name", "x" * 81),
        ("bio", "x" * 2001),
    ],
)
def test_profile_edit_shows_errors_and_saves_nothing(client, field, value):
    user = StudentFactory(display_name="Before")
    client.force_login(user)
    response = client.post(
        "/auth/profile/edit/", profile_data(user, **{"display_name": "After", field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    user.refresh_from_db()
    assert user.display_name == "Before"
    # The page around the form still shows the saved name, not the rejected input.
    assert response.context["user"].display_name == "Before"


def test_crafted_profile_form_fields_never_change_roles_staff_flags_or_email(client):
    user = StudentFactory()
    email = user.email
    client.force_login(user)
    response = client.post(
        "/auth/profile/edit/",
        {
            **profile_data(user, display_name="Crafty"),
            "is_staff": "on",
            "is_superuser": "on",
            "is_active": "",
            "email": "hijack@example.com",
            "groups": list(Group.objects.values_list("pk", flat=True)),
            "roles": ["Admin", "Teacher"],
            "role": "Admin",
            "user_permissions": [1, 2, 3],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.display_name == "Crafty"
    assert user_roles(user) == {"Student"}
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert user.email == email
    assert not user.user_permissions.exists()


def test_the_profile_page_shows_times_in_the_users_time_zone(client):
    user = StudentFactory(timezone="Pacific/Auckland")
    client.force_login(user)
    response = client.get("/auth/profile/")
    assert response.context["TIME_ZONE"] == "Pacific/Auckland"


def test_the_profile_page_says_when_guardian_consent_is_needed(client):
    child, parent = StudentFactory(), ParentFactory()
    StudentProfile.objects.filter(user=child).update(
        date_of_birth=date(date.today().year - 13, 6, 1)
    )
    client.force_login(child)
    response = client.get("/auth/profile/")
    assert response.context["needs_consent"] is True
    assert "guardian gives consent" in response.content.decode()
    guardian_consent(link=linked(parent, child), actor=parent)
    response = client.get("/auth/profile/")
    assert response.context["needs_consent"] is False
    assert "guardian gives consent" not in response.content.decode()


# --- family links ----------------------------------------------------------------------------


def test_parent_invites_a_child_on_the_page_and_the_child_accepts(client):
    parent, child = ParentFactory(), StudentFactory()
    client.force_login(parent)
    page = client.get("/auth/guardians/")
    assert page.status_code == 200
    assert page.context["invite_as"] == "child"
    response = client.post("/auth/guardians/", {"email": child.email})
    assert response.status_code == 302
    link = GuardianLink.objects.get(guardian=parent)
    assert link.invited_email == child.email

    client.force_login(child)
    page = client.get("/auth/guardians/")
    assert link in page.context["links"]
    assert f"/auth/guardians/{link.pk}/accept/" in page.content.decode()
    assert client.post(f"/auth/guardians/{link.pk}/accept/").status_code == 302
    link.refresh_from_db()
    assert link.status == GuardianLinkStatus.ACTIVE
    assert link.child == child


def test_student_invites_a_guardian_on_the_page(client):
    child = StudentFactory()
    client.force_login(child)
    assert client.get("/auth/guardians/").context["invite_as"] == "guardian"
    client.post("/auth/guardians/", {"email": "mum@example.com"})
    link = GuardianLink.objects.get(child=child)
    assert link.invited_role == "guardian"


def test_a_teacher_is_not_offered_an_invitation_form_and_a_forced_post_is_refused(client):
    client.force_login(TeacherFactory())
    page = client.get("/auth/guardians/")
    assert page.status_code == 200
    assert page.context["can_invite"] is False
    response = client.post("/auth/guardians/", {"email": "kid@example.com"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not GuardianLink.objects.exists()


def test_invalid_and_repeated_invitations_show_form_errors(client):
    parent = ParentFactory()
    client.force_login(parent)
    bad = client.post("/auth/guardians/", {"email": "not an email"})
    assert "email" in bad.context["form"].errors
    client.post("/auth/guardians/", {"email": "kid@example.com"})
    again = client.post("/auth/guardians/", {"email": "KID@example.com"})
    assert again.status_code == 200
    assert "email" in again.context["form"].errors
    assert GuardianLink.objects.count() == 1


def test_decline_remove_and_consent_on_the_page(client):
    parent, child = ParentFactory(), StudentFactory()
    pending = guardian_invite(actor=parent, email=child.email, as_role="child")
    client.force_login(child)
    assert client.post(f"/auth/guardians/{pending.pk}/remove/").status_code == 302
    pending.refresh_from_db()
    assert pending.status == GuardianLinkStatus.DECLINED

    active = linked(parent, child)
    client.force_login(parent)
    assert client.post(f"/auth/guardians/{active.pk}/consent/").status_code == 302
    active.refresh_from_db()
    assert active.consent_given_by == parent
    assert client.post(f"/auth/guardians/{active.pk}/remove/").status_code == 302
    active.refresh_from_db()
    assert active.status == GuardianLinkStatus.REMOVED


def test_a_child_trying_to_consent_gets_a_message_not_an_error_page(client):
    parent, child = ParentFactory(), StudentFactory()
    active = linked(parent, child)
    client.force_login(child)
    response = client.post(f"/auth/guardians/{active.pk}/consent/", follow=True)
    assert response.status_code == 200
    assert any("guardian" in str(m) for m in response.context["messages"])
    active.refresh_from_db()
    assert active.consent_given_at is None


@pytest.mark.parametrize("factory", ROLE_FACTORIES)
def test_someone_elses_link_is_404_on_the_pages(client, factory):
    parent, child = ParentFactory(), StudentFactory()
    active = linked(parent, child)
    pending = guardian_invite(actor=parent, email="other@example.com", as_role="child")
    client.force_login(factory())
    for link in (active, pending):
        for action in ("accept", "remove", "consent"):
            assert client.post(f"/auth/guardians/{link.pk}/{action}/").status_code == 404
    assert client.post("/auth/guardians/999999999/accept/").status_code == 404
    active.refresh_from_db()
    pending.refresh_from_db()
    assert (active.status, pending.status) == ("active", "pending")


def test_link_actions_refuse_get(client):
    parent, child = ParentFactory(), StudentFactory()
    link = guardian_invite(actor=parent, email=child.email, as_role="child")
    client.force_login(child)
    assert client.get(f"/auth/guardians/{link.pk}/accept/").status_code == 405
    link.refresh_from_db()
    assert link.status == GuardianLinkStatus.PENDING


@pytest.mark.django_db
def test_logging_in_lands_on_the_role_home_in_the_pages_or_the_persons_language(client):
    """From /es/ the visitor chose Spanish: they stay in it. From an unprefixed page the saved
    language decides."""
    from tests.authentication.factories import PASSWORD, UserFactory

    spanish = UserFactory(roles=["Student"], language="es")
    response = client.post("/auth/login/", {"login": spanish.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/es/dashboard/"
    client.logout()
    english = UserFactory(roles=["Student"], language="en")
    response = client.post("/es/auth/login/", {"login": english.email, "password": PASSWORD})
    assert response["Location"] == "/es/dashboard/"
    client.logout()
    response = client.post("/auth/login/", {"login": english.email, "password": PASSWORD})
    assert response["Location"] == "/dashboard/"


@pytest.mark.django_db
def test_logging_in_with_next_goes_to_next_whatever_the_language(client):
    from tests.authentication.factories import PASSWORD, UserFactory

    spanish = UserFactory(roles=["Student"], language="es")
    response = client.post(
        "/auth/login/?next=/teachers/", {"login": spanish.email, "password": PASSWORD}
    )
    assert response["Location"] == "/teachers/"
