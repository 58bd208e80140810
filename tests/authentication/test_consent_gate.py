"""The one predicate behind the guardian-consent gate (`guardian_consent_problem`), the checks built on
it (`guardian_consent_require`, `user_can_use_messaging` / `user_can_use_payments`, which the inbox
and billing call), and how /api/v1/me and the profile page tell a student what is missing."""

import pytest

from authentication.choices import Role
from authentication.selectors import (
    CONSENT_REQUIRED,
    DATE_OF_BIRTH_REQUIRED,
    guardian_consent_problem,
    guardian_consent_require,
    students_held_by_consent,
    user_can_use_messaging,
    user_can_use_payments,
)
from authentication.services import guardian_decline_or_remove, guardian_invite
from cplatform.exceptions import PermissionDenied
from tests.authentication.consent import born_years_ago, child, link, set_birthday
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.conftest import login_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("age", "consent", "problem"),
    [
        (12, False, CONSENT_REQUIRED),
        (15, False, CONSENT_REQUIRED),
        (12, True, None),
        (16, False, None),
        (40, False, None),
        (None, False, DATE_OF_BIRTH_REQUIRED),  # an empty date is no way around the gate
        (None, True, None),  # a guardian's consent makes the date moot
    ],
)
def test_the_consent_problem_of_a_student(age, consent, problem):
    kid, _parent = child(consent=consent)
    set_birthday(kid, None if age is None else born_years_ago(age))
    assert guardian_consent_problem(user=kid) == problem
    allowed = problem is None
    assert user_can_use_messaging(user=kid) is allowed
    assert user_can_use_payments(user=kid) is allowed


def test_the_bulk_check_follows_the_same_rule_in_one_query(django_assert_num_queries):
    people = {}
    for age, consent in [(12, False), (12, True), (16, False), (None, False), (None, True)]:
        kid, _parent = child(consent=consent)
        set_birthday(kid, None if age is None else born_years_ago(age))
        people[kid.pk] = kid
    for person in (TeacherFactory(), ParentFactory(), AdminFactory()):
        people[person.pk] = person
    expected = {pk for pk, user in people.items() if guardian_consent_problem(user=user)}
    assert len(expected) == 2
    with django_assert_num_queries(1):
        assert students_held_by_consent(student_ids=list(people)) == expected
    assert students_held_by_consent(student_ids=[]) == set()


def test_people_who_are_not_students_are_never_held_back():
    for person in (TeacherFactory(), ParentFactory(), AdminFactory()):
        assert guardian_consent_problem(user=person) is None
        assert user_can_use_messaging(user=person)


def test_a_pending_or_ended_link_is_no_consent():
    kid, parent = child(age=13, consent=True)
    guardian_decline_or_remove(link=kid.guardian_links.get(), actor=parent)
    assert guardian_consent_problem(user=kid) == CONSENT_REQUIRED
    pending = StudentFactory()
    set_birthday(pending, born_years_ago(13))
    guardian_invite(actor=ParentFactory(), email=pending.email, as_role="child")
    assert guardian_consent_problem(user=pending) == CONSENT_REQUIRED


def test_the_refusal_tells_the_child_and_the_parent_what_to_do_next():
    lonely = StudentFactory()
    set_birthday(lonely, born_years_ago(13))
    with pytest.raises(PermissionDenied) as refused:
        guardian_consent_require(student=lonely, actor=lonely)
    assert refused.value.code == CONSENT_REQUIRED
    assert "Invite a parent or guardian" in refused.value.detail  # no guardian linked yet

    kid, parent = child(age=13)
    with pytest.raises(PermissionDenied) as refused:
        guardian_consent_require(student=kid, actor=kid)
    assert "Ask your guardian" in refused.value.detail  # a guardian is linked
    with pytest.raises(PermissionDenied) as refused:
        guardian_consent_require(student=kid, actor=parent)
    assert "Give it on your Family links page" in refused.value.detail
    assert refused.value.errors == {"guardian_consent": [refused.value.detail]}

    set_birthday(lonely, None)
    with pytest.raises(PermissionDenied) as refused:
        guardian_consent_require(student=lonely, actor=lonely)
    assert refused.value.code == DATE_OF_BIRTH_REQUIRED
    assert refused.value.errors == {"date_of_birth": [refused.value.detail]}


def test_the_refusal_speaks_of_the_student_to_an_admin_or_the_system():
    kid, _parent = child(age=13)
    admin_who_is_a_parent = AdminFactory(roles=[Role.ADMIN, Role.PARENT])
    link(admin_who_is_a_parent, StudentFactory())  # a parent, but not of this child
    for actor in (AdminFactory(), admin_who_is_a_parent, None):
        with pytest.raises(PermissionDenied) as refused:
            guardian_consent_require(student=kid, actor=actor)
        assert refused.value.code == CONSENT_REQUIRED
        assert "This student is under 16" in refused.value.detail
        assert refused.value.errors == {"guardian_consent": [refused.value.detail]}
    set_birthday(kid, None)
    with pytest.raises(PermissionDenied) as refused:
        guardian_consent_require(student=kid, actor=None)
    assert refused.value.code == DATE_OF_BIRTH_REQUIRED
    assert "This student has not given a date of birth" in refused.value.detail
    assert refused.value.errors == {"date_of_birth": [refused.value.detail]}


def test_me_says_when_a_date_of_birth_is_needed(client):
    learner = StudentFactory()
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, learner.email, PASSWORD)}
    assert client.get("/api/v1/me", **headers).json()["needs_date_of_birth"] is False
    set_birthday(learner, None)
    body = client.get("/api/v1/me", **headers).json()
    assert (body["needs_date_of_birth"], body["needs_guardian_consent"]) == (True, False)
    link(ParentFactory(), learner, consent=True)
    assert client.get("/api/v1/me", **headers).json()["needs_date_of_birth"] is False
