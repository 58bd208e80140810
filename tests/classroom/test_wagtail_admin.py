"""Admins review and approve teacher profiles, and manage the lookups, in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from catalog.models import Subject
from classroom.models import TeacherProfile
from tests.classroom.conftest import as_user
from tests.classroom.factories import TeacherProfileFactory, listed_teacher

pytestmark = pytest.mark.django_db

BASE = "/admin/snippets/classroom/teacherprofile/"


def approve_url(profile):
    return f"{BASE}approve/{profile.pk}/"


def test_an_admin_finds_profiles_pending_approval(client, people):
    TeacherProfileFactory(user__first_name="Quincy", is_public=True, is_approved=False)
    TeacherProfileFactory(user__first_name="Rupert", is_public=False, is_approved=False)
    listed_teacher(first_name="Sigrid")
    client.force_login(people.admin)

    everyone = client.get(BASE).content.decode()
    pending = client.get(BASE + "?status=pending").content.decode()
    search = client.get(BASE + "?q=sigrid").content.decode()

    assert all(name in everyone for name in ("Quincy", "Rupert", "Sigrid"))
    assert "Quincy" in pending and "Rupert" not in pending and "Sigrid" not in pending
    assert "Sigrid" in search and "Quincy" not in search
    assert approve_url(TeacherProfile.objects.get(user__first_name="Quincy")) in everyone


def test_an_admin_approves_a_teacher_from_the_admin_and_it_is_listed(client, people):
    profile = TeacherProfileFactory(user=people.teacher, is_public=True)
    client.force_login(people.admin)

    confirm = client.get(approve_url(profile))
    response = client.post(approve_url(profile), {"approved": "true", "next": BASE})

    assert confirm.status_code == 200 and "Yes, approve" in confirm.content.decode()
    assert response.status_code == 302 and response["Location"] == BASE
    profile.refresh_from_db()
    assert (profile.is_approved, profile.approved_by) == (True, people.admin)
    assert profile.approved_at is not None
    assert ModelLogEntry.objects.filter(
        object_id=str(profile.pk), action="classroom.teacher_profile.approve"
    ).exists()
    assert client.get("/api/v1/teachers").json()["count"] == 1
    assert as_user(client, None).get(f"/teachers/{profile.slug}/").status_code == 200


def test_an_admin_withdraws_an_approval(client, people):
    profile = listed_teacher()
    client.force_login(people.admin)

    client.post(approve_url(profile), {"approved": "false"})

    profile.refresh_from_db()
    assert (profile.is_approved, profile.approved_at) == (False, None)
    assert client.get("/api/v1/teachers").json()["count"] == 0


@pytest.mark.parametrize("who", [None, "teacher", "student_a", "parent_of_a", "other_teacher"])
def test_nobody_but_admins_can_approve(client, people, who):
    profile = TeacherProfileFactory(user=people.teacher, is_public=True)
    as_user(client, getattr(people, who) if who else None)

    response = client.post(approve_url(profile), {"approved": "true"})

    # Refused: to the login page, or (teachers reach the admin for their course pages) back to the
    # listing without approving.
    assert response.status_code in (302, 403)
    assert TeacherProfile.objects.get(pk=profile.pk).is_approved is False


def test_a_staff_editor_with_the_change_permission_still_cannot_approve(client, people):
    """The Wagtail permission lets them in; the service, which only trusts admins, refuses."""
    editor = people.other_teacher
    editor.is_staff = True
    editor.save()
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_teacherprofile"),
    )
    profile = TeacherProfileFactory(user=people.teacher, is_public=True)
    client.force_login(editor)

    client.post(approve_url(profile), {"approved": "true"})

    assert TeacherProfile.objects.get(pk=profile.pk).is_approved is False


def test_the_admin_edit_form_cannot_approve_and_obeys_the_profile_rules(client, people):
    profile = TeacherProfileFactory(user=people.teacher, headline="Old", is_public=True)
    client.force_login(people.admin)
    url = f"{BASE}edit/{profile.pk}/"
    form = {
        "headline": "Fixed typo",
        "bio": "Bio",
        "translations": "{}",
        "subjects": [str(Subject.objects.get(slug="piano").pk)],
        "currency": "EUR",
        "teaches_online": "on",
        "teaching_preferences": "",
        "is_public": "on",
        "is_approved": "on",  # read-only in the form: ignored
    }

    assert client.get(url).status_code == 200
    saved = client.post(url, form)
    refused = client.post(url, {**form, "teaches_in_person": "on", "location": ""})

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "Say where in-person lessons happen." in refused.content.decode()
    profile.refresh_from_db()
    assert profile.headline == "Fixed typo"
    assert [s.slug for s in profile.subjects.all()] == ["piano"]
    assert (profile.is_approved, profile.teaches_in_person) == (False, False)


def test_admins_cannot_add_or_delete_teacher_profiles_in_the_admin(client, people):
    profile = TeacherProfileFactory()
    client.force_login(people.admin)

    assert client.get(f"{BASE}add/").status_code in (302, 403)
    client.post(f"{BASE}delete/{profile.pk}/")

    assert TeacherProfile.objects.filter(pk=profile.pk).exists()


def test_the_admin_rejects_malformed_translations(client, people):
    profile = TeacherProfileFactory(user=people.teacher)
    client.force_login(people.admin)

    response = client.post(
        f"{BASE}edit/{profile.pk}/",
        {
            "headline": "x",
            "translations": '{"es": "not an object"}',
            "currency": "EUR",
            "teaches_online": "on",
        },
    )

    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.translations == {}


def test_an_admin_manages_subjects_as_snippets(client, people):
    client.force_login(people.admin)

    response = client.post(
        "/admin/snippets/catalog/subject/add/",
        {"name": "Astronomy", "slug": "astronomy", "translations": '{"es": "Astronomía"}'},
    )

    assert response.status_code == 302
    assert Subject.objects.get(slug="astronomy").translations == {"es": "Astronomía"}
    for lookup in ("subject", "level", "teachinglanguage"):
        assert client.get(f"/admin/snippets/catalog/{lookup}/").status_code == 200


@pytest.mark.parametrize("who", ["teacher", "student_a", "parent_of_a"])
def test_non_admins_do_not_reach_the_classroom_admin(client, people, who):
    client.force_login(getattr(people, who))
    for url in (BASE, "/admin/snippets/catalog/subject/add/"):
        response = client.get(url)
        assert response.status_code in (302, 403)
