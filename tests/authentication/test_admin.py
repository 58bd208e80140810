"""People, roles and guardian links in the Wagtail admin (/admin/) and Django's admin (/django-admin/)."""

import pytest
from django.contrib.auth.models import Group

from authentication.choices import GuardianLinkStatus
from authentication.models import GuardianLink, User
from authentication.roles import user_roles
from authentication.services import guardian_accept, guardian_invite
from classroom.models import TeacherProfile
from cplatform.editorial import MODERATORS
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def group_ids(*names):
    return [str(pk) for pk in Group.objects.filter(name__in=names).values_list("pk", flat=True)]


def wagtail_edit_data(user, **overrides):
    data = {
        "email": user.email,
        "first_name": user.first_name or "First",
        "last_name": user.last_name or "Last",
        "password1": "",
        "password2": "",
        "is_active": "on",
        "display_name": user.display_name,
        "timezone": user.timezone,
        "language": user.language,
        "phone": user.phone,
        "groups": group_ids(*user_roles(user)),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin_client(client):
    """The demo-style admin: the Admin role, staff, not a superuser."""
    admin = AdminFactory(email="admin@example.com")
    assert not admin.is_superuser
    client.force_login(admin)
    client.admin = admin
    return client


# --- Wagtail admin: users --------------------------------------------------------------------


def test_the_admin_role_opens_the_wagtail_admin_and_the_users_list(admin_client):
    StudentFactory(email="listed.student@example.com")
    assert admin_client.get("/admin/").status_code == 200
    response = admin_client.get("/admin/users/")
    assert response.status_code == 200
    assert "listed.student@example.com" in response.content.decode()


def test_the_wagtail_user_edit_form_has_the_profile_fields(admin_client):
    student = StudentFactory()
    response = admin_client.get(f"/admin/users/edit/{student.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("display_name", "timezone", "language", "phone", "groups"):
        assert f'name="{name}"' in html, name


def test_an_admin_edits_profile_fields_and_roles_in_the_wagtail_admin(admin_client):
    student = StudentFactory()
    response = admin_client.post(
        f"/admin/users/edit/{student.pk}/",
        wagtail_edit_data(
            student,
            display_name="Star pupil",
            timezone="Asia/Tokyo",
            language="es",
            phone="+81 3 1234 5678",
            groups=group_ids("Student", "Teacher"),
        ),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    student.refresh_from_db()
    assert (student.display_name, student.timezone, student.language, student.phone) == (
        "Star pupil",
        "Asia/Tokyo",
        "es",
        "+81 3 1234 5678",
    )
    assert user_roles(User.objects.get(pk=student.pk)) == {"Student", "Teacher"}
    # A role granted in the admin has the same consequences as one granted by a service.
    assert TeacherProfile.objects.filter(user=student).exists()


def test_granting_admin_in_the_wagtail_admin_makes_staff_and_removing_it_unmakes(admin_client):
    teacher = TeacherFactory()
    admin_client.post(
        f"/admin/users/edit/{teacher.pk}/",
        wagtail_edit_data(teacher, groups=group_ids("Teacher", "Admin")),
    )
    teacher.refresh_from_db()
    assert teacher.is_staff
    admin_client.post(
        f"/admin/users/edit/{teacher.pk}/", wagtail_edit_data(teacher, groups=group_ids("Teacher"))
    )
    teacher.refresh_from_db()
    assert not teacher.is_staff


def test_the_wagtail_user_form_refuses_an_invalid_phone_and_time_zone(admin_client):
    student = StudentFactory()
    response = admin_client.post(
        f"/admin/users/edit/{student.pk}/",
        wagtail_edit_data(student, phone="not a phone", timezone="Nowhere/Special"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "phone" in errors
    assert "timezone" in errors


def test_an_admin_who_is_not_a_superuser_cannot_make_a_superuser(admin_client):
    student = StudentFactory()
    admin_client.post(
        f"/admin/users/edit/{student.pk}/", wagtail_edit_data(student, is_superuser="on")
    )
    student.refresh_from_db()
    assert not student.is_superuser


def test_an_admin_who_is_not_a_superuser_cannot_edit_a_superuser(admin_client):
    boss = UserFactory(is_superuser=True, is_staff=True, email="boss@example.com")
    response = admin_client.post(
        f"/admin/users/edit/{boss.pk}/",
        wagtail_edit_data(boss, password1="taken-over-123", password2="taken-over-123"),
    )
    assert response.status_code in (302, 403)
    boss.refresh_from_db()
    assert boss.check_password(PASSWORD)


def test_a_superuser_can_grant_superuser_in_the_wagtail_admin(client):
    boss = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(boss)
    student = StudentFactory()
    client.post(f"/admin/users/edit/{student.pk}/", wagtail_edit_data(student, is_superuser="on"))
    student.refresh_from_db()
    assert student.is_superuser


def test_an_admin_creates_a_user_with_profile_fields_and_a_role(admin_client):
    response = admin_client.post(
        "/admin/users/new/",
        {
            "email": "New.Teacher@Example.com",
            "first_name": "Nia",
            "last_name": "Okafor",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "display_name": "Ms Okafor",
            "timezone": "Africa/Lagos",
            "language": "en",
            "phone": "",
            "groups": group_ids("Teacher"),
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    user = User.objects.get(email="new.teacher@example.com")
    assert (user.display_name, user.timezone) == ("Ms Okafor", "Africa/Lagos")
    assert user_roles(user) == {"Teacher"}
    assert TeacherProfile.objects.filter(user=user).exists()


def test_creating_a_user_whose_email_differs_only_by_case_is_a_form_error(admin_client):
    StudentFactory(email="exists@example.com")
    response = admin_client.post(
        "/admin/users/new/",
        {
            "email": "EXISTS@example.com",
            "first_name": "A",
            "last_name": "B",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "timezone": "UTC",
            "language": "en",
            "groups": group_ids("Student"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert User.objects.filter(email__iexact="exists@example.com").count() == 1


@pytest.mark.parametrize("factory", [StudentFactory, TeacherFactory, ParentFactory])
def test_people_without_the_admin_role_cannot_enter_the_wagtail_admin(client, factory):
    client.force_login(factory())
    # Teachers enter the admin for their own course pages only (courses/migrations/0004).
    urls = ["/admin/users/", "/admin/snippets/authentication/guardianlink/"]
    if factory is not TeacherFactory:
        urls.insert(0, "/admin/")
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            # Inside the admin, a refused page sends a teacher back to the dashboard.
            expected = "/admin/" if factory is TeacherFactory else "/admin/login/"
            assert response["Location"].split("?")[0] == expected or (
                expected in response["Location"]
            ), url


def test_a_student_cannot_log_into_the_wagtail_admin(client):
    student = StudentFactory()
    client.post("/admin/login/", {"username": student.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302


def test_an_admin_logs_into_the_wagtail_admin_with_their_email(client):
    AdminFactory(email="boss.admin@example.com")
    response = client.post(
        "/admin/login/", {"username": "Boss.Admin@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# --- Wagtail admin: guardian links -----------------------------------------------------------


def test_admin_lists_guardian_links_as_a_snippet(admin_client):
    parent, child = ParentFactory(email="mum@example.com"), StudentFactory()
    guardian_invite(actor=parent, email=child.email, as_role="child")
    response = admin_client.get("/admin/snippets/authentication/guardianlink/")
    assert response.status_code == 200
    assert child.email in response.content.decode()


def test_admin_links_a_guardian_and_a_child_in_the_wagtail_admin(admin_client):
    parent, child = ParentFactory(), StudentFactory()
    assert admin_client.get("/admin/snippets/authentication/guardianlink/add/").status_code == 200
    response = admin_client.post(
        "/admin/snippets/authentication/guardianlink/add/",
        {"guardian": parent.pk, "child": child.pk},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    link = GuardianLink.objects.get(guardian=parent, child=child)
    assert link.status == GuardianLinkStatus.ACTIVE
    assert link.initiated_by == admin_client.admin
    inspect = admin_client.get(f"/admin/snippets/authentication/guardianlink/inspect/{link.pk}/")
    assert inspect.status_code == 200


def test_the_wagtail_admin_refuses_a_third_guardian(admin_client):
    child = StudentFactory()
    for _ in range(2):
        admin_client.post(
            "/admin/snippets/authentication/guardianlink/add/",
            {"guardian": ParentFactory().pk, "child": child.pk},
        )
    response = admin_client.post(
        "/admin/snippets/authentication/guardianlink/add/",
        {"guardian": ParentFactory().pk, "child": child.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert GuardianLink.objects.filter(child=child, status="active").count() == 2


def test_admin_ends_a_link_in_the_wagtail_admin_but_cannot_delete_it(admin_client):
    parent, child = ParentFactory(), StudentFactory()
    link = guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )
    edit_url = f"/admin/snippets/authentication/guardianlink/edit/{link.pk}/"
    assert admin_client.get(edit_url).status_code == 200
    # Guardian and child are fixed once linked: a posted change is ignored.
    response = admin_client.post(
        edit_url, {"status": "removed", "guardian": ParentFactory().pk, "child": child.pk}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == GuardianLinkStatus.REMOVED
    assert link.guardian == parent
    delete = admin_client.post(f"/admin/snippets/authentication/guardianlink/delete/{link.pk}/")
    assert delete.status_code in (302, 403)
    assert GuardianLink.objects.filter(pk=link.pk).exists()


# --- Django admin ----------------------------------------------------------------------------


def test_the_django_admin_user_list_and_change_page_work_for_a_superuser(client):
    boss = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(boss)
    student = StudentFactory()
    assert client.get("/django-admin/authentication/user/").status_code == 200
    assert client.get(f"/django-admin/authentication/user/{student.pk}/change/").status_code == 200
    assert client.get("/django-admin/authentication/user/add/").status_code == 200


def test_the_django_admin_adds_a_user_by_email(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        "/django-admin/authentication/user/add/",
        {
            "email": "Added@Example.com",
            "usable_password": "true",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="added@example.com")
    assert user.check_password("a-long-and-unusual-passphrase")


def test_the_admin_role_uses_the_django_admin_but_does_not_see_superusers(admin_client):
    boss = UserFactory(is_superuser=True, is_staff=True, email="boss@example.com")
    response = admin_client.get("/django-admin/authentication/user/")
    assert response.status_code == 200
    assert "boss@example.com" not in response.content.decode()
    assert admin_client.get(f"/django-admin/authentication/user/{boss.pk}/change/").status_code in (
        302,
        404,
    )


def test_the_django_admin_lists_to_an_admin_only_the_people_they_may_manage(admin_client):
    student = StudentFactory(email="sam@example.com")
    moderator = UserFactory(email="mona@example.com")
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    listing = admin_client.get("/django-admin/authentication/user/").content.decode()
    assert "sam@example.com" in listing
    assert "mona@example.com" not in listing
    for view in ("change", "password", "delete", "history"):
        url = f"/django-admin/authentication/user/{moderator.pk}/{view}/"
        assert admin_client.get(url).status_code in (302, 404), view
    assert (
        admin_client.get(f"/django-admin/authentication/user/{student.pk}/change/").status_code
        == 200
    )


def test_the_wagtail_user_form_never_saves_someone_the_requester_may_not_manage():
    from authentication.forms import WagtailUserEditForm

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    data = wagtail_edit_data(
        moderator,
        groups=group_ids(MODERATORS),
        password1="taken-over-123",
        password2="taken-over-123",
    )
    form = WagtailUserEditForm(data=data, instance=moderator, for_user=AdminFactory())
    assert not form.is_valid()
    assert [e.code for e in form.non_field_errors().as_data()] == ["not_manageable"]
    boss = UserFactory(is_superuser=True, is_staff=True)
    form = WagtailUserEditForm(data=data, instance=User.objects.get(pk=moderator.pk), for_user=boss)
    assert form.is_valid(), form.errors


def test_the_admin_role_cannot_make_a_superuser_in_the_django_admin(admin_client):
    student = StudentFactory()
    page = admin_client.get(f"/django-admin/authentication/user/{student.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields


def test_a_student_cannot_enter_the_django_admin(client):
    client.force_login(StudentFactory())
    response = client.get("/django-admin/authentication/user/")
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]
