"""The date of birth drives the guardian-consent gate, so once it says under 16 the child cannot change
or clear it: a guardian or an admin does (service, `PUT /api/v1/students/{id}/date-of-birth`, the
guardian's page). The student's own form shows it read-only and the API refuses with a field error.
A date in the future or absurdly far back is refused everywhere."""

from datetime import date, timedelta

import pytest

from classroom.models import StudentProfile
from classroom.services import student_date_of_birth_set, student_profile_update
from cplatform.exceptions import NotFound, PermissionDenied, ValidationFailed
from tests.authentication.consent import born_years_ago, child, set_birthday
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.conftest import login_token

pytestmark = pytest.mark.django_db

ME_STUDENT = "/api/v1/me/student-profile"
STUDENT_EDIT = "/students/me/edit/"


def born(user) -> date | None:
    return StudentProfile.objects.get(user=user).date_of_birth


def date_input(html: str) -> str:
    """The date-of-birth <input> tag of a page."""
    tag = html[html.rindex("<input", 0, html.index('name="date_of_birth"')) :]
    return tag[: tag.index(">")]


def auth(client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email, PASSWORD)}


# The child's own edits


@pytest.mark.parametrize("new", [None, date(1990, 1, 1), "older"])
def test_a_child_under_16_cannot_change_or_clear_their_date_of_birth(new):
    kid, _parent = child(age=12, consent=True)
    before = born(kid)
    new = before - timedelta(days=400) if new == "older" else new
    with pytest.raises(ValidationFailed) as refused:
        student_profile_update(user=kid, data={"date_of_birth": new})
    assert refused.value.code == "date_of_birth_locked"
    assert "date_of_birth" in refused.value.errors
    assert born(kid) == before


def test_a_child_may_resend_the_same_date_and_edit_everything_else():
    kid, _parent = child(age=12)
    before = born(kid)
    profile = student_profile_update(
        user=kid, data={"date_of_birth": before, "learning_goals": "Fractions"}
    )
    assert (profile.date_of_birth, profile.learning_goals) == (before, "Fractions")


def test_a_first_date_of_birth_is_the_students_to_give_and_then_locks_if_under_16():
    learner = StudentFactory()
    set_birthday(learner, None)
    student_profile_update(user=learner, data={"date_of_birth": born_years_ago(13)})
    with pytest.raises(ValidationFailed):
        student_profile_update(user=learner, data={"date_of_birth": born_years_ago(20)})
    assert born(learner) == born_years_ago(13)


def test_a_student_of_16_or_over_changes_their_own_date_freely():
    learner = StudentFactory()
    student_profile_update(user=learner, data={"date_of_birth": born_years_ago(17)})
    student_profile_update(user=learner, data={"date_of_birth": born_years_ago(30)})
    assert born(learner) == born_years_ago(30)


@pytest.mark.parametrize(
    "bad", [date.today() + timedelta(days=2), date(date.today().year - 121, 1, 1), date(1900, 1, 1)]
)
def test_a_date_of_birth_in_the_future_or_over_120_years_ago_is_refused(bad):
    learner = StudentFactory()
    with pytest.raises(ValidationFailed) as refused:
        student_profile_update(user=learner, data={"date_of_birth": bad})
    assert "date_of_birth" in refused.value.errors
    kid, parent = child(age=10)
    with pytest.raises(ValidationFailed):
        student_date_of_birth_set(actor=parent, student=kid, date_of_birth=bad)


# Guardians and admins


def test_a_guardian_or_an_admin_changes_a_locked_date_of_birth():
    kid, parent = child(age=12)
    student_date_of_birth_set(actor=parent, student=kid, date_of_birth=born_years_ago(11))
    assert born(kid) == born_years_ago(11)
    student_date_of_birth_set(actor=AdminFactory(), student=kid, date_of_birth=born_years_ago(17))
    assert born(kid) == born_years_ago(17)


def test_nobody_else_changes_a_students_date_of_birth():
    kid, _parent = child(age=12)
    before = born(kid)
    with pytest.raises(PermissionDenied):  # the child sees themself, but may not change it
        student_date_of_birth_set(actor=kid, student=kid, date_of_birth=date(1990, 1, 1))
    for stranger in (ParentFactory(), TeacherFactory(), StudentFactory()):
        with pytest.raises(NotFound):  # a student they may not see answers like a missing one
            student_date_of_birth_set(actor=stranger, student=kid, date_of_birth=date(1990, 1, 1))
    assert born(kid) == before


def test_a_guardian_gives_a_date_not_an_empty_one():
    kid, parent = child(age=12)
    with pytest.raises(ValidationFailed):
        student_date_of_birth_set(actor=parent, student=kid, date_of_birth=None)


# API


def test_the_childs_patch_of_the_date_answers_422_with_a_field_error_and_code(client):
    kid, _parent = child(age=12)
    before = born(kid)
    for value in (None, "2000-01-01"):
        response = client.patch(
            ME_STUDENT,
            {"date_of_birth": value},
            content_type="application/json",
            **auth(client, kid),
        )
        assert response.status_code == 422, response.content
        assert response.json()["code"] == "date_of_birth_locked"
        assert response.json()["errors"]["date_of_birth"]
    assert born(kid) == before


def test_the_guardian_sets_the_date_through_the_api_and_others_are_refused(client):
    kid, parent = child(age=12)
    path = f"/api/v1/students/{kid.pk}/date-of-birth"
    body = {"date_of_birth": born_years_ago(13).isoformat()}

    def put(user):
        return client.put(path, body, content_type="application/json", **auth(client, user))

    response = put(parent)
    assert response.status_code == 200, response.content
    assert response.json()["date_of_birth"] == body["date_of_birth"]
    assert put(AdminFactory(is_staff=True)).status_code == 200
    assert put(kid).status_code == 403  # a student: the role may not
    assert put(TeacherFactory()).status_code == 403
    other_parent = put(ParentFactory())
    missing = client.put(
        "/api/v1/students/987654321/date-of-birth",
        body,
        content_type="application/json",
        **auth(client, ParentFactory()),
    )
    assert other_parent.status_code == missing.status_code == 404
    assert other_parent.json() == missing.json()
    future = {"date_of_birth": (date.today() + timedelta(days=2)).isoformat()}
    response = client.put(path, future, content_type="application/json", **auth(client, parent))
    assert response.status_code == 422
    assert response.json()["errors"]["date_of_birth"]


# Pages


def test_the_childs_profile_page_shows_the_date_read_only_with_why(client):
    kid, _parent = child(age=12)
    before = born(kid)
    client.force_login(kid)
    page = client.get(STUDENT_EDIT).content.decode()
    assert "Only your guardian or an admin can change your date of birth" in page
    assert " disabled" in date_input(page)
    response = client.post(
        STUDENT_EDIT, {"date_of_birth": "2000-01-01", "level": "", "learning_goals": "Maps"}
    )
    assert response.status_code == 302
    profile = StudentProfile.objects.get(user=kid)
    assert (profile.date_of_birth, profile.learning_goals) == (before, "Maps")


def test_the_profile_page_of_an_adult_keeps_the_date_editable(client):
    learner = StudentFactory()
    client.force_login(learner)
    page = client.get(STUDENT_EDIT).content.decode()
    assert "Only your guardian or an admin" not in page
    assert " disabled" not in date_input(page)


def test_the_guardian_sets_the_childs_date_from_family_links(client):
    kid, parent = child(age=12)
    client.force_login(parent)
    links = client.get("/auth/guardians/").content.decode()
    assert f'href="/students/{kid.pk}/date-of-birth/"' in links
    assert "Until you give consent" in links
    new = born_years_ago(11)
    response = client.post(f"/students/{kid.pk}/date-of-birth/", {"date_of_birth": new.isoformat()})
    assert response.status_code == 302
    assert born(kid) == new
    assert client.get(f"/students/{StudentFactory().pk}/date-of-birth/").status_code == 404


def test_the_profile_page_asks_a_student_without_a_date_to_give_it(client):
    learner = StudentFactory()
    set_birthday(learner, None)
    client.force_login(learner)
    html = client.get("/auth/profile/").content.decode()
    assert "Add your date of birth before your first booking or payment." in html
    assert 'href="/students/me/edit/"' in html
