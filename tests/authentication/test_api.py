"""`/api/v1/me`, `/api/v1/guardians…` and `/api/v1/admin/users…` through the real allauth headless
session (X-Session-Token, or the browser's session cookie + CSRF)."""

from datetime import date

import pytest
from django.test import Client

from authentication.choices import GuardianLinkStatus
from authentication.models import GuardianLink, User
from authentication.roles import user_roles
from authentication.services import guardian_accept, guardian_invite
from classroom.models import StudentProfile
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from tests.authentication.helpers import app_login, auth_header
from tests.conftest import login_token

pytestmark = pytest.mark.django_db

ROLE_FACTORIES = {
    "student": StudentFactory,
    "teacher": TeacherFactory,
    "parent": ParentFactory,
    "admin": AdminFactory,
}


def api_as(user) -> Client:
    """A fresh client carrying `user`'s X-Session-Token from a real headless login."""
    client = Client()
    client.defaults.update(auth_header(login_token(client, user.email)))
    client.user = user
    return client


def link(parent, child, consent=False) -> GuardianLink:
    from authentication.services import guardian_consent

    created = guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )
    return guardian_consent(link=created, actor=parent) if consent else created


def under_16(user):
    StudentProfile.objects.filter(user=user).update(
        date_of_birth=date(date.today().year - 12, 1, 1)
    )


# --- /me -------------------------------------------------------------------------------------


def test_me_requires_authentication(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication required.",
        "errors": {},
        "error_codes": {},
        "code": "not_authenticated",
    }


def test_me_with_a_garbage_session_token_is_401(client):
    assert client.get("/api/v1/me", HTTP_X_SESSION_TOKEN="not-a-token").status_code == 401


@pytest.mark.parametrize(("role", "factory"), sorted(ROLE_FACTORIES.items()))
def test_me_returns_the_user_profile_and_roles(role, factory):
    user = factory(display_name="Shown", timezone="Europe/Madrid", phone="+34 600 111 222")
    response = api_as(user).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.pk
    assert body["email"] == user.email
    assert body["display_name"] == "Shown"
    assert body["timezone"] == "Europe/Madrid"
    assert body["phone"] == "+34 600 111 222"
    assert body["roles"] == [role.capitalize()]
    assert body["is_staff"] is (role == "admin")
    assert body["needs_guardian_consent"] is False


def test_me_says_when_guardian_consent_is_needed_and_when_it_is_given():
    child, parent = StudentFactory(), ParentFactory()
    under_16(child)
    api = api_as(child)
    assert api.get("/api/v1/me").json()["needs_guardian_consent"] is True
    link(parent, child, consent=True)
    assert api.get("/api/v1/me").json()["needs_guardian_consent"] is False


def test_patch_me_updates_the_profile():
    user = StudentFactory()
    api = api_as(user)
    response = api.patch(
        "/api/v1/me",
        {
            "display_name": "New name",
            "bio": "I like maths.",
            "timezone": "America/Mexico_City",
            "language": "es",
            "phone": "+52 55 1234 5678",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["display_name"] == "New name"
    assert body["timezone"] == "America/Mexico_City"
    assert body["language"] == "es"
    user.refresh_from_db()
    assert user.bio == "I like maths."


def test_patch_me_leaves_fields_that_are_not_sent():
    user = StudentFactory(display_name="Keep me", phone="+34 600 000 000")
    api_as(user).patch("/api/v1/me", {"bio": "only this"}, content_type="application/json")
    user.refresh_from_db()
    assert (user.display_name, user.phone, user.bio) == ("Keep me", "+34 600 000 000", "only this")


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone", 422),
        ({"phone": "ring ring"}, "phone", 422),
        ({"language": "fr"}, "language", 422),
        ({"display_name": "x" * 81}, "display_name", 422),
        ({"bio": "x" * 2001}, "bio", 422),
        ({"timezone": 42}, "timezone", 422),
    ],
)
def test_patch_me_refuses_bad_values_with_field_errors(payload, field, status):
    user = StudentFactory()
    response = api_as(user).patch("/api/v1/me", payload, content_type="application/json")
    assert response.status_code == status
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    "crafted",
    [
        {"roles": ["Admin"]},
        {"is_staff": True},
        {"is_superuser": True},
        {"email": "someone.else@example.com"},
        {"groups": [1, 2, 3, 4]},
        {"is_active": False},
        {"display_name": "ok", "roles": ["Admin", "Teacher"], "is_staff": True},
    ],
)
def test_patch_me_with_role_or_staff_fields_is_refused_and_changes_nothing(crafted):
    user = StudentFactory(display_name="Before")
    email = user.email
    response = api_as(user).patch("/api/v1/me", crafted, content_type="application/json")
    assert response.status_code == 422
    user = User.objects.get(pk=user.pk)
    assert user_roles(user) == {"Student"}
    assert not user.is_staff
    assert not user.is_superuser
    assert user.is_active
    assert user.email == email
    assert user.display_name == "Before"


def test_patch_me_with_a_non_object_body_is_422_not_500():
    api = api_as(StudentFactory())
    for body in ("[]", '"text"', "{not json"):
        response = api.patch("/api/v1/me", body, content_type="application/json")
        assert response.status_code in (400, 422), body


def test_browser_session_cookie_works_and_unsafe_methods_need_the_csrf_token():
    user = StudentFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.get("/_allauth/browser/v1/config")  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    login = browser.post(
        "/_allauth/browser/v1/auth/login",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert login.status_code == 200
    assert browser.get("/api/v1/me").json()["email"] == user.email
    csrf = browser.cookies["csrftoken"].value
    payload = {"display_name": "From browser"}
    without = browser.patch("/api/v1/me", payload, content_type="application/json")
    assert without.status_code in (401, 403)
    with_token = browser.patch(
        "/api/v1/me", payload, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert with_token.status_code == 200
    assert with_token.json()["display_name"] == "From browser"


def test_a_deactivated_users_token_stops_working():
    user = StudentFactory()
    api = api_as(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert api.get("/api/v1/me").status_code == 401


def test_logging_out_ends_the_app_session():
    user = StudentFactory()
    api = api_as(user)
    assert api.delete("/_allauth/app/v1/auth/session").status_code == 401
    assert api.get("/api/v1/me").status_code == 401


# --- /guardians ------------------------------------------------------------------------------


def test_guardians_require_authentication(client):
    assert client.get("/api/v1/guardians").status_code == 401
    assert (
        client.post(
            "/api/v1/guardians",
            {"email": "a@example.com", "invite_as": "child"},
            content_type="application/json",
        ).status_code
        == 401
    )


def test_parent_invites_a_child_and_the_child_accepts_through_the_api():
    parent, child = ParentFactory(), StudentFactory()
    parent_api, child_api = api_as(parent), api_as(child)
    invite = parent_api.post(
        "/api/v1/guardians",
        {"email": child.email.upper(), "invite_as": "child"},
        content_type="application/json",
    )
    assert invite.status_code == 201, invite.content
    body = invite.json()
    assert body["status"] == "pending"
    assert body["invited_role"] == "child"
    assert body["initiated_by_me"] is True
    assert body["child"] is None

    listed = child_api.get("/api/v1/guardians").json()
    assert listed["count"] == 1
    assert listed["items"][0]["initiated_by_me"] is False

    accepted = child_api.post(f"/api/v1/guardians/{body['id']}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "active"
    assert accepted.json()["guardian"]["user_id"] == parent.pk
    assert accepted.json()["child"]["user_id"] == child.pk


def test_a_link_is_read_at_its_location_by_both_sides_until_it_ends():
    parent, child = ParentFactory(), StudentFactory()
    parent_api, child_api = api_as(parent), api_as(child)
    invite = parent_api.post(
        "/api/v1/guardians",
        {"email": child.email, "invite_as": "child"},
        content_type="application/json",
    )
    url = invite["Location"]
    assert url == f"http://testserver/api/v1/guardians/{invite.json()['id']}"
    assert parent_api.get(url).json() == invite.json()
    assert child_api.get(url).json()["initiated_by_me"] is False  # the invited person's view
    assert api_as(AdminFactory()).get(url).status_code == 404  # links are managed in the admin
    assert api_as(ParentFactory()).get(url).status_code == 404
    assert child_api.delete(url).status_code == 204  # declined: gone from GET /guardians, and here
    assert parent_api.get(url).status_code == 404
    assert child_api.get(url).status_code == 404


def test_student_invites_a_parent_who_accepts_through_the_api():
    child, adult = StudentFactory(), ParentFactory()
    invite = api_as(child).post(
        "/api/v1/guardians",
        {"email": adult.email, "invite_as": "guardian"},
        content_type="application/json",
    )
    assert invite.status_code == 201
    accepted = api_as(adult).post(f"/api/v1/guardians/{invite.json()['id']}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["guardian"]["user_id"] == adult.pk


@pytest.mark.parametrize(
    ("role", "invite_as"),
    [("teacher", "child"), ("teacher", "guardian"), ("student", "child"), ("parent", "guardian")],
)
def test_invitations_the_role_does_not_allow_are_403(role, invite_as):
    api = api_as(ROLE_FACTORIES[role]())
    response = api.post(
        "/api/v1/guardians",
        {"email": "someone@example.com", "invite_as": invite_as},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not GuardianLink.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "invite_as": "child"},
        {"email": "a@example.com", "invite_as": "cousin"},
        {"email": "a@example.com"},
        {"email": "a@example.com", "invite_as": "child", "guardian": 1},
    ],
)
def test_bad_invitations_are_422(payload):
    response = api_as(ParentFactory()).post(
        "/api/v1/guardians", payload, content_type="application/json"
    )
    assert response.status_code == 422


def test_a_repeated_invitation_is_409():
    parent = ParentFactory()
    api = api_as(parent)
    payload = {"email": "kid@example.com", "invite_as": "child"}
    assert (
        api.post("/api/v1/guardians", payload, content_type="application/json").status_code == 201
    )
    again = api.post("/api/v1/guardians", payload, content_type="application/json")
    assert again.status_code == 409
    assert "email" in again.json()["errors"]


def test_the_inviter_cannot_accept_their_own_invitation():
    parent = ParentFactory()
    api = api_as(parent)
    link_id = api.post(
        "/api/v1/guardians",
        {"email": "kid@example.com", "invite_as": "child"},
        content_type="application/json",
    ).json()["id"]
    assert api.post(f"/api/v1/guardians/{link_id}/accept").status_code == 409


@pytest.mark.parametrize("role", ["student", "teacher", "parent", "admin"])
def test_someone_elses_link_is_404_for_every_action(role):
    parent, child = ParentFactory(), StudentFactory()
    pending = guardian_invite(actor=parent, email="other.kid@example.com", as_role="child")
    active = link(parent, child)
    outsider = api_as(ROLE_FACTORIES[role]())
    for target in (pending, active):
        for method, url in (
            ("post", f"/api/v1/guardians/{target.pk}/accept"),
            ("post", f"/api/v1/guardians/{target.pk}/consent"),
            ("delete", f"/api/v1/guardians/{target.pk}"),
        ):
            response = getattr(outsider, method)(url)
            assert response.status_code == 404, (method, url, response.content)
            assert response.json() == {
                "detail": "Not found.",
                "errors": {},
                "error_codes": {},
                "code": "not_found",
            }
    assert outsider.get("/api/v1/guardians").json()["count"] == 0
    # A missing link answers exactly the same.
    missing = outsider.post("/api/v1/guardians/999999999/accept")
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "Not found.", "errors": {}, "error_codes": {}, "code": "not_found"},
    )


def test_a_pending_invitation_to_an_unverified_email_is_invisible_to_its_owner():
    from allauth.account.models import EmailAddress

    child = StudentFactory()
    EmailAddress.objects.filter(user=child).update(verified=False)
    pending = guardian_invite(actor=ParentFactory(), email=child.email, as_role="child")
    api = Client()
    # The unverified child cannot even log in (verification is mandatory); their session would see nothing.
    assert app_login(api, child.email).status_code == 401
    assert pending.status == GuardianLinkStatus.PENDING


def test_decline_and_remove_through_the_api():
    parent, child = ParentFactory(), StudentFactory()
    child_api, parent_api = api_as(child), api_as(parent)
    pending = guardian_invite(actor=parent, email=child.email, as_role="child")
    assert child_api.delete(f"/api/v1/guardians/{pending.pk}").status_code == 204
    pending.refresh_from_db()
    assert pending.status == GuardianLinkStatus.DECLINED
    assert child_api.delete(f"/api/v1/guardians/{pending.pk}").status_code == 404

    active = link(parent, child)
    assert parent_api.delete(f"/api/v1/guardians/{active.pk}").status_code == 204
    active.refresh_from_db()
    assert active.status == GuardianLinkStatus.REMOVED
    assert parent_api.get("/api/v1/guardians").json()["count"] == 0


def test_consent_through_the_api_records_who_and_when():
    parent, child = ParentFactory(), StudentFactory()
    under_16(child)
    active = link(parent, child)
    assert api_as(child).post(f"/api/v1/guardians/{active.pk}/consent").status_code == 403
    response = api_as(parent).post(f"/api/v1/guardians/{active.pk}/consent")
    assert response.status_code == 200
    body = response.json()
    assert body["consent_given_by"]["user_id"] == parent.pk
    assert body["consent_given_at"] is not None
    assert api_as(child).get("/api/v1/me").json()["needs_guardian_consent"] is False


def test_guardian_list_is_paginated():
    parent = ParentFactory()
    for n in range(3):
        guardian_invite(actor=parent, email=f"kid{n}@example.com", as_role="child")
    page = api_as(parent).get("/api/v1/guardians?limit=2&offset=1").json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 1, 2)
    assert api_as(parent).get("/api/v1/guardians?limit=101").status_code == 422


# --- parents read their children's data, read-only --------------------------------------------


def test_a_linked_parent_reads_the_childs_student_data_but_cannot_write_it():
    parent, child = ParentFactory(), StudentFactory()
    link(parent, child)
    api = api_as(parent)
    response = api.get(f"/api/v1/students/{child.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == child.pk
    assert [s["id"] for s in api.get("/api/v1/students").json()["items"]] == [child.pk]
    for method in ("put", "patch", "delete"):
        assert (
            getattr(api, method)(
                f"/api/v1/students/{child.pk}",
                {"learning_goals": "x"},
                content_type="application/json",
            ).status_code
            == 405
        )
    # The "my student profile" endpoints are the student's own: a parent is refused there.
    assert (
        api.patch(
            "/api/v1/me/student-profile", {"learning_goals": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert StudentProfile.objects.get(user=child).learning_goals != "x"


def test_a_parent_does_not_see_a_child_they_are_not_linked_to():
    parent, stranger_child = ParentFactory(), StudentFactory()
    pending = guardian_invite(actor=parent, email=stranger_child.email, as_role="child")
    api = api_as(parent)
    assert api.get(f"/api/v1/students/{stranger_child.pk}").status_code == 404
    assert api.get("/api/v1/students").json()["count"] == 0
    # Nor after the link has been removed.
    guardian_accept(link=pending, actor=stranger_child)
    GuardianLink.objects.filter(pk=pending.pk).update(status=GuardianLinkStatus.REMOVED)
    assert api.get(f"/api/v1/students/{stranger_child.pk}").status_code == 404


# --- /admin/users ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["student", "teacher", "parent"])
def test_non_admins_get_403_on_every_admin_users_operation(role):
    api = api_as(ROLE_FACTORIES[role]())
    target = StudentFactory()
    assert api.get("/api/v1/admin/users").status_code == 403
    assert api.get(f"/api/v1/admin/users/{target.pk}").status_code == 403
    assert (
        api.post(
            "/api/v1/admin/users", {"email": "x@example.com"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        api.patch(
            f"/api/v1/admin/users/{target.pk}",
            {"roles": ["Admin"], "is_active": False},
            content_type="application/json",
        ).status_code
        == 403
    )
    target.refresh_from_db()
    assert target.is_active
    assert not User.objects.filter(email="x@example.com").exists()


def test_anonymous_gets_401_on_admin_users(client):
    assert client.get("/api/v1/admin/users").status_code == 401


def test_admin_lists_searches_and_filters_users():
    admin = AdminFactory()
    StudentFactory(email="zoe.student@example.com", first_name="Zoe")
    TeacherFactory(email="tom.teacher@example.com")
    api = api_as(admin)
    everyone = api.get("/api/v1/admin/users").json()
    assert everyone["count"] == User.objects.count()
    teachers = api.get("/api/v1/admin/users?role=Teacher").json()
    assert [u["email"] for u in teachers["items"]] == ["tom.teacher@example.com"]
    assert teachers["items"][0]["roles"] == ["Teacher"]
    found = api.get("/api/v1/admin/users?search=zoe").json()
    assert [u["email"] for u in found["items"]] == ["zoe.student@example.com"]
    assert api.get("/api/v1/admin/users?role=Wizard").status_code == 422


def test_admin_user_list_makes_the_same_number_of_queries_for_few_and_many():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as(AdminFactory())
    StudentFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/admin/users?limit=100")
    StudentFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        api.get("/api/v1/admin/users?limit=100")
    assert len(many) == len(few)


def test_admin_creates_a_user_with_roles():
    api = api_as(AdminFactory())
    response = api.post(
        "/api/v1/admin/users",
        {
            "email": "Created@Example.com",
            "password": "a-long-and-unusual-passphrase",
            "first_name": "Cre",
            "roles": ["Teacher", "Parent"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["roles"] == ["Parent", "Teacher"]
    user = User.objects.get(email="created@example.com")
    assert user.check_password("a-long-and-unusual-passphrase")
    # The account is ready to use: an admin vouches for the address.
    assert (
        app_login(Client(), "created@example.com", "a-long-and-unusual-passphrase").status_code
        == 200
    )


def test_admin_create_refuses_a_taken_email_in_any_case_and_a_weak_password():
    StudentFactory(email="taken@example.com")
    api = api_as(AdminFactory())
    taken = api.post(
        "/api/v1/admin/users", {"email": "TAKEN@example.com"}, content_type="application/json"
    )
    assert taken.status_code == 409
    weak = api.post(
        "/api/v1/admin/users",
        {"email": "weak@example.com", "password": "password"},
        content_type="application/json",
    )
    assert weak.status_code == 422
    assert not User.objects.filter(email="weak@example.com").exists()
    crafted = api.post(
        "/api/v1/admin/users",
        {"email": "sneaky@example.com", "is_superuser": True},
        content_type="application/json",
    )
    assert crafted.status_code == 422


def test_admin_changes_roles_and_deactivates_a_user():
    admin, target = AdminFactory(), StudentFactory()
    api = api_as(admin)
    response = api.patch(
        f"/api/v1/admin/users/{target.pk}",
        {"roles": ["Teacher", "Admin"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["roles"] == ["Admin", "Teacher"]
    assert response.json()["is_staff"] is True
    response = api.patch(
        f"/api/v1/admin/users/{target.pk}", {"is_active": False}, content_type="application/json"
    )
    assert response.json()["is_active"] is False
    assert app_login(Client(), target.email).status_code == 401
    assert api.get(f"/api/v1/admin/users/{target.pk}").json()["is_active"] is False


def test_admin_cannot_lock_themself_out():
    admin = AdminFactory()
    api = api_as(admin)
    no_admin = api.patch(
        f"/api/v1/admin/users/{admin.pk}", {"roles": ["Student"]}, content_type="application/json"
    )
    assert no_admin.status_code == 422
    inactive = api.patch(
        f"/api/v1/admin/users/{admin.pk}", {"is_active": False}, content_type="application/json"
    )
    assert inactive.status_code == 422
    assert "Admin" in user_roles(User.objects.get(pk=admin.pk))


def test_an_admin_who_is_not_a_superuser_cannot_change_a_superuser_through_the_api():
    boss = UserFactory(is_superuser=True, is_staff=True)
    response = api_as(AdminFactory()).patch(
        f"/api/v1/admin/users/{boss.pk}", {"is_active": False}, content_type="application/json"
    )
    assert response.status_code == 403
    boss.refresh_from_db()
    assert boss.is_active


def test_admin_patch_of_a_missing_user_is_404_and_bad_roles_are_422():
    api = api_as(AdminFactory())
    assert (
        api.patch(
            "/api/v1/admin/users/999999999", {"is_active": False}, content_type="application/json"
        ).status_code
        == 404
    )
    target = StudentFactory()
    assert (
        api.patch(
            f"/api/v1/admin/users/{target.pk}",
            {"roles": ["Wizard"]},
            content_type="application/json",
        ).status_code
        == 422
    )
