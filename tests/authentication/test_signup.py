"""Sign-up with a role, mandatory email verification, no account enumeration, case-insensitive
emails: on the pages (/auth/...) and through allauth headless (app and browser clients)."""

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction

from authentication.choices import Role
from authentication.models import User
from authentication.roles import user_roles
from classroom.models import StudentProfile, TeacherProfile
from tests.authentication.factories import PASSWORD, StudentFactory
from tests.authentication.helpers import app_login, auth_header, confirmation_key, outbox_to
from tests.outbox import send_outbox

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def page_signup(client, email, role=None, **extra):
    data = {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **extra}
    if role is not None:
        data["role"] = role
    return client.post("/auth/register/", data)


def headless_signup(client, email, role=None, kind="app"):
    payload = {"email": email, "password": NEW_PASSWORD}
    if role is not None:
        payload["role"] = role
    return client.post(f"/_allauth/{kind}/v1/auth/signup", payload, content_type="application/json")


# --- the sign-up page ------------------------------------------------------------------------


def test_register_page_offers_student_teacher_and_parent_but_not_admin(client):
    response = client.get("/auth/register/")
    assert response.status_code == 200
    html = response.content.decode()
    for role in ("Student", "Teacher", "Parent"):
        assert f'value="{role}"' in html
    assert 'value="Admin"' not in html


@pytest.mark.parametrize(
    ("role", "profile_model"), [("Teacher", TeacherProfile), ("Student", StudentProfile)]
)
def test_signup_page_grants_the_chosen_role_and_creates_its_profile(client, role, profile_model):
    response = page_signup(client, "new.person@example.com", role=role, first_name="Ana")
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user_roles(user) == {role}
    assert user.first_name == "Ana"
    assert profile_model.objects.filter(user=user).exists()
    assert not user.is_staff


def test_signup_page_grants_parent_without_a_teacher_or_student_profile(client):
    page_signup(client, "parent@example.com", role="Parent")
    user = User.objects.get(email="parent@example.com")
    assert user_roles(user) == {Role.PARENT}
    assert not TeacherProfile.objects.filter(user=user).exists()
    assert not StudentProfile.objects.filter(user=user).exists()


def test_signup_page_without_a_role_makes_a_student(client):
    page_signup(client, "norole@example.com")
    user = User.objects.get(email="norole@example.com")
    assert user_roles(user) == {Role.STUDENT}
    assert StudentProfile.objects.filter(user=user).exists()


def test_signup_page_refuses_the_admin_role(client):
    response = page_signup(client, "sneaky@example.com", role="Admin")
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(email="sneaky@example.com").exists()


def test_signup_page_requires_email_verification_before_login(client):
    response = page_signup(client, "verify.me@example.com", role="Student")
    assert response.status_code == 302
    assert response["Location"].endswith("/auth/confirm-email/")
    assert "_auth_user_id" not in client.session
    address = EmailAddress.objects.get(email="verify.me@example.com")
    assert not address.verified

    login = client.post(
        "/auth/login/", {"login": "verify.me@example.com", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert login["Location"].endswith("/auth/confirm-email/")
    assert "_auth_user_id" not in client.session

    key = confirmation_key("verify.me@example.com")
    confirm_page = client.get(f"/auth/confirm-email/{key}/")
    assert confirm_page.status_code == 200
    confirmed = client.post(f"/auth/confirm-email/{key}/")
    assert confirmed.status_code == 302
    address.refresh_from_db()
    assert address.verified

    client.logout()
    login = client.post(
        "/auth/login/", {"login": "verify.me@example.com", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(address.user_id)


def test_a_wrong_confirmation_key_does_not_verify(client):
    page_signup(client, "wrongkey@example.com")
    response = client.post("/auth/confirm-email/not-a-real-key/")
    assert response.status_code in (200, 302, 404)
    assert not EmailAddress.objects.get(email="wrongkey@example.com").verified


# --- headless sign-up ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["app", "browser"])
@pytest.mark.parametrize(
    ("role", "profile_model"), [("Teacher", TeacherProfile), ("Student", StudentProfile)]
)
def test_headless_signup_grants_the_chosen_role_and_creates_its_profile(
    client, kind, role, profile_model
):
    response = headless_signup(client, f"{kind}.{role.lower()}@example.com", role=role, kind=kind)
    # Verification is mandatory: the account exists, the session waits for the email to be confirmed.
    assert response.status_code == 401
    flows = {f["id"]: f for f in response.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"] is True
    user = User.objects.get(email=f"{kind}.{role.lower()}@example.com")
    assert user_roles(user) == {role}
    assert profile_model.objects.filter(user=user).exists()


@pytest.mark.parametrize("kind", ["app", "browser"])
def test_headless_signup_with_parent_role(client, kind):
    headless_signup(client, f"{kind}.parent@example.com", role="Parent", kind=kind)
    assert user_roles(User.objects.get(email=f"{kind}.parent@example.com")) == {Role.PARENT}


@pytest.mark.parametrize("kind", ["app", "browser"])
def test_headless_signup_without_a_role_makes_a_student(client, kind):
    headless_signup(client, f"{kind}.default@example.com", kind=kind)
    assert user_roles(User.objects.get(email=f"{kind}.default@example.com")) == {Role.STUDENT}


@pytest.mark.parametrize("kind", ["app", "browser"])
@pytest.mark.parametrize("role", ["Admin", "Superuser", "admin"])
def test_headless_signup_refuses_roles_outside_student_teacher_parent(client, kind, role):
    response = headless_signup(client, f"{kind}.bad@example.com", role=role, kind=kind)
    assert response.status_code == 400
    assert any(e.get("param") == "role" for e in response.json()["errors"])
    assert not User.objects.filter(email=f"{kind}.bad@example.com").exists()


def test_headless_signup_ignores_staff_flags_in_the_payload(client):
    response = client.post(
        "/_allauth/app/v1/auth/signup",
        {
            "email": "flags@example.com",
            "password": NEW_PASSWORD,
            "is_staff": True,
            "is_superuser": True,
            "groups": ["Admin"],
            "roles": ["Admin"],
        },
        content_type="application/json",
    )
    assert response.status_code == 401
    user = User.objects.get(email="flags@example.com")
    assert not user.is_staff
    assert not user.is_superuser
    assert user_roles(user) == {Role.STUDENT}


def test_app_signup_then_email_verification_with_the_key_from_the_outbox_logs_in(client):
    response = headless_signup(client, "app.verify@example.com", role="Teacher")
    token = response.json()["meta"]["session_token"]
    assert client.get("/api/v1/me", **auth_header(token)).status_code == 401

    # Logging in before verifying does not give a usable session either.
    early = app_login(client, "app.verify@example.com", NEW_PASSWORD)
    assert early.status_code == 401

    key = confirmation_key("app.verify@example.com")
    verified = client.post(
        "/_allauth/app/v1/auth/email/verify",
        {"key": key},
        content_type="application/json",
        **auth_header(token),
    )
    assert verified.status_code == 200, verified.content
    assert EmailAddress.objects.get(email="app.verify@example.com").verified
    session_token = verified.json()["meta"]["session_token"]
    me = client.get("/api/v1/me", **auth_header(session_token))
    assert me.status_code == 200
    assert me.json()["roles"] == ["Teacher"]


def test_browser_signup_then_email_verification_logs_in_with_the_session_cookie(client):
    headless_signup(client, "browser.verify@example.com", role="Parent", kind="browser")
    key = confirmation_key("browser.verify@example.com")
    verified = client.post(
        "/_allauth/browser/v1/auth/email/verify", {"key": key}, content_type="application/json"
    )
    assert verified.status_code == 200, verified.content
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["roles"] == ["Parent"]


def test_verification_email_is_written_to_the_outbox_and_sent_by_the_send_task(client):
    from cplatform.models import OutboundEmail

    headless_signup(client, "queued@example.com")
    row = OutboundEmail.objects.get(to=["queued@example.com"])
    assert row.status == "pending"  # waits for the commit (the test's transaction never commits)
    assert len(outbox_to("queued@example.com")) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)


# --- no account enumeration ------------------------------------------------------------------


def test_page_signup_with_an_existing_email_answers_like_a_new_one(client):
    existing = StudentFactory(email="taken@example.com")
    fresh = page_signup(client, "fresh@example.com")
    client.logout()
    again = page_signup(client, "taken@example.com")
    assert again.status_code == fresh.status_code == 302
    assert again["Location"] == fresh["Location"]
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    # The owner learns that somebody tried; the password did not change.
    assert outbox_to("taken@example.com")
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)


@pytest.mark.parametrize("kind", ["app", "browser"])
def test_headless_signup_with_an_existing_email_answers_like_a_new_one(client, kind):
    StudentFactory(email="taken@example.com")
    fresh = headless_signup(client, "fresh@example.com", kind=kind)
    other_client = type(client)()
    again = headless_signup(other_client, "TAKEN@example.com", kind=kind)
    assert again.status_code == fresh.status_code == 401
    assert [f["id"] for f in again.json()["data"]["flows"]] == [
        f["id"] for f in fresh.json()["data"]["flows"]
    ]
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


@pytest.mark.parametrize("kind", ["app", "browser"])
def test_a_wrong_password_and_an_unknown_email_get_the_same_login_answer(client, kind):
    StudentFactory(email="known@example.com")
    url = f"/_allauth/{kind}/v1/auth/login"
    wrong = client.post(
        url,
        {"email": "known@example.com", "password": "nope-nope"},
        content_type="application/json",
    )
    unknown = client.post(
        url,
        {"email": "nobody@example.com", "password": "nope-nope"},
        content_type="application/json",
    )
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()


def test_password_reset_answers_the_same_for_known_and_unknown_emails_on_the_page(client):
    StudentFactory(email="known@example.com")
    known = client.post("/auth/password/reset/", {"email": "known@example.com"})
    unknown = client.post("/auth/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


@pytest.mark.parametrize("kind", ["app", "browser"])
def test_password_reset_answers_the_same_for_known_and_unknown_emails_headless(client, kind):
    StudentFactory(email="known@example.com")
    url = f"/_allauth/{kind}/v1/auth/password/request"
    known = client.post(url, {"email": "known@example.com"}, content_type="application/json")
    unknown = client.post(url, {"email": "nobody@example.com"}, content_type="application/json")
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()


def test_password_reset_by_key_from_the_outbox_sets_a_new_password(client):
    user = StudentFactory(email="forgetful@example.com")
    client.post(
        "/_allauth/app/v1/auth/password/request",
        {"email": "FORGETFUL@example.com"},
        content_type="application/json",
    )
    body = outbox_to("forgetful@example.com")[-1].body
    key = body.split("/auth/password/reset/key/")[1].split("/")[0]
    response = client.post(
        "/_allauth/app/v1/auth/password/reset",
        {"key": key, "password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code in (200, 401), response.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


# --- emails are case-insensitive -------------------------------------------------------------


def test_signup_stores_the_email_in_lower_case(client):
    page_signup(client, "Mixed.Case@Example.COM")
    assert User.objects.filter(email="mixed.case@example.com").exists()
    assert EmailAddress.objects.filter(email="mixed.case@example.com").exists()


def test_login_with_an_upper_case_email_works_on_the_page_and_headless(client):
    user = StudentFactory(email="lower@example.com")
    response = client.post("/auth/login/", {"login": "LOWER@Example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    assert app_login(client, "Lower@EXAMPLE.com").status_code == 200


def test_a_second_account_differing_only_by_case_cannot_be_created(client):
    StudentFactory(email="once@example.com")
    page_signup(client, "ONCE@example.com")
    headless_signup(type(client)(), "Once@Example.com")
    assert User.objects.filter(email__iexact="once@example.com").count() == 1


def test_the_database_refuses_two_emails_differing_only_by_case():
    User.objects.create(email="db@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="DB@example.com")])


def test_no_email_other_than_verification_is_sent_on_a_plain_signup(client):
    page_signup(client, "quiet@example.com")
    assert [m.to for m in send_outbox()] == [["quiet@example.com"]]
