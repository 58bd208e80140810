"""The rules of authentication.services and selectors, called directly."""

import threading
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import connection

from authentication.choices import GuardianLinkStatus, Role
from authentication.models import GuardianLink, User
from authentication.roles import user_roles
from authentication.selectors import (
    children_of,
    guardian_link_list_for_user,
    guardians_of,
    user_can_use_messaging,
    user_can_use_payments,
    user_needs_guardian_consent,
)
from authentication.services import (
    guardian_accept,
    guardian_consent,
    guardian_decline_or_remove,
    guardian_invite,
    guardian_link_admin_create,
    guardian_link_admin_end,
    profile_update,
    signup_role_clean,
    user_add_role,
    user_admin_update,
    user_create,
    user_set_roles,
)
from classroom.models import StudentProfile, TeacherProfile
from cplatform.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.authentication.factories import (
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def years_ago(years: int, days: int = 0) -> date:
    today = date.today()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born + timedelta(days=days)


def linked(parent, child, consent=False):
    link = guardian_invite(actor=parent, email=child.email, as_role="child")
    link = guardian_accept(link=link, actor=child)
    if consent:
        link = guardian_consent(link=link, actor=parent)
    return link


def set_birthday(user, born):
    StudentProfile.objects.filter(user=user).update(date_of_birth=born)
    user.refresh_from_db()


# --- roles -----------------------------------------------------------------------------------


def test_signup_role_is_student_when_none_and_refuses_admin():
    assert signup_role_clean(None) == "Student"
    assert signup_role_clean("") == "Student"
    assert signup_role_clean("Parent") == "Parent"
    with pytest.raises(ValidationFailed):
        signup_role_clean("Admin")


def test_granting_the_teacher_role_creates_a_teacher_profile_once():
    user = UserFactory()
    user_add_role(user=user, role=Role.TEACHER)
    user_add_role(user=user, role=Role.TEACHER)
    assert TeacherProfile.objects.filter(user=user).count() == 1


def test_a_person_may_hold_several_roles():
    user = UserFactory()
    user_set_roles(user=user, roles=["Student", "Teacher", "Parent"])
    assert user_roles(user) == {"Student", "Teacher", "Parent"}
    assert StudentProfile.objects.filter(user=user).exists()
    assert TeacherProfile.objects.filter(user=user).exists()


def test_the_staff_flag_follows_the_admin_role():
    user = StudentFactory()
    user_set_roles(user=user, roles=["Student", "Admin"])
    user.refresh_from_db()
    assert user.is_staff
    user_set_roles(user=user, roles=["Student"])
    user.refresh_from_db()
    assert not user.is_staff


def test_role_consequences_hold_when_groups_change_outside_the_services():
    # Wagtail's bulk "assign role" adds users to a group from the group's side.
    user = UserFactory()
    Group.objects.get(name="Teacher").user_set.add(user)
    Group.objects.get(name="Admin").user_set.add(user)
    user.refresh_from_db()
    assert TeacherProfile.objects.filter(user=user).exists()
    assert user.is_staff
    Group.objects.get(name="Admin").user_set.remove(user)
    user.refresh_from_db()
    assert not user.is_staff


def test_clearing_all_groups_removes_the_staff_flag():
    user = AdminFactory()
    assert user.is_staff
    user.groups.clear()
    user.refresh_from_db()
    assert not user.is_staff
    assert user_roles(user) == set()


def test_a_superuser_keeps_the_staff_flag_without_the_admin_group():
    user = UserFactory(is_superuser=True, is_staff=True)
    user_set_roles(user=user, roles=["Admin"])
    user_set_roles(user=user, roles=[])
    user.refresh_from_db()
    assert user.is_staff
    assert user_roles(user) == {"Admin"}  # superusers are admins


def test_only_an_admin_can_change_roles():
    with pytest.raises(PermissionDenied):
        user_set_roles(user=StudentFactory(), roles=["Admin"], actor=TeacherFactory())


def test_unknown_roles_are_refused():
    with pytest.raises(ValidationFailed) as exc:
        user_set_roles(user=StudentFactory(), roles=["Wizard"])
    assert "roles" in exc.value.errors


# --- accounts --------------------------------------------------------------------------------


def test_user_create_lowercases_the_email_and_records_its_verification():
    user = user_create(
        email="New.Person@Example.COM", password="x-long-password", email_verified=True
    )
    assert user.email == "new.person@example.com"
    assert EmailAddress.objects.get(user=user).verified
    assert user_roles(user) == {"Student"}


def test_user_create_refuses_an_email_differing_only_by_case():
    StudentFactory(email="dup@example.com")
    with pytest.raises(Conflict):
        user_create(email="DUP@example.com")
    assert User.objects.filter(email__iexact="dup@example.com").count() == 1


def test_user_create_by_a_non_admin_is_refused():
    with pytest.raises(PermissionDenied):
        user_create(email="x@example.com", roles=["Admin"], actor=TeacherFactory())


def test_user_create_refuses_a_malformed_email():
    with pytest.raises(ValidationFailed):
        user_create(email="not-an-email")


def test_profile_update_changes_profile_fields_only():
    user = StudentFactory()
    profile_update(
        user=user,
        data={
            "display_name": "  Ana B.  ",
            "timezone": "America/Bogota",
            "language": "es",
            "phone": "+34 600 000 000",
            "is_staff": True,
            "is_superuser": True,
            "email": "other@example.com",
            "roles": ["Admin"],
            "groups": [Group.objects.get(name="Admin").pk],
        },
    )
    user.refresh_from_db()
    assert user.display_name == "Ana B."
    assert (user.timezone, user.language, user.phone) == ("America/Bogota", "es", "+34 600 000 000")
    assert not user.is_staff
    assert not user.is_superuser
    assert user.email.startswith("person")
    assert user_roles(user) == {"Student"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Mars/Olympus"),
        ("timezone", "EST5EDT; DROP TABLE"),
        ("language", "fr"),
        ("phone", "call me maybe"),
        ("phone", "+1"),
        ("display_name", "x" * 81),
        ("bio", "x" * 2001),
    ],
)
def test_profile_update_refuses_invalid_values_field_by_field(field, value):
    user = StudentFactory()
    before = getattr(user, field)
    with pytest.raises(ValidationFailed) as exc:
        profile_update(user=user, data={field: value})
    assert field in exc.value.errors
    user.refresh_from_db()
    assert getattr(user, field) == before


def test_admin_update_cannot_remove_own_admin_role_or_deactivate_self():
    admin = AdminFactory()
    with pytest.raises(ValidationFailed):
        user_admin_update(user=admin, actor=admin, roles=["Student"])
    with pytest.raises(ValidationFailed):
        user_admin_update(user=admin, actor=admin, is_active=False)


def test_an_admin_who_is_not_a_superuser_cannot_change_a_superuser():
    boss = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        user_admin_update(user=boss, actor=AdminFactory(), is_active=False)
    boss.refresh_from_db()
    assert boss.is_active


def _with_more_rights(kind: str) -> User:
    from django.contrib.auth.models import Permission

    from cplatform.editorial import EDITORS, MODERATORS

    if kind == "own permission":
        person = StudentFactory()
        person.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        return person
    group = {"editor": EDITORS, "moderator": MODERATORS, "custom group": "Course reviewers"}[kind]
    person = StudentFactory()
    person.groups.add(Group.objects.get_or_create(name=group)[0])
    return person


@pytest.mark.parametrize("kind", ["editor", "moderator", "custom group", "own permission"])
def test_an_admin_who_is_not_a_superuser_cannot_change_someone_with_more_rights(kind):
    person = _with_more_rights(kind)
    admin = AdminFactory()
    groups = set(person.groups.values_list("name", flat=True))
    with pytest.raises(PermissionDenied):
        user_admin_update(user=person, actor=admin, is_active=False)
    with pytest.raises(PermissionDenied):
        user_admin_update(user=person, actor=admin, roles=["Student", "Teacher"])
    with pytest.raises(PermissionDenied):
        user_set_roles(user=person, roles=["Parent"], actor=admin)
    person = User.objects.get(pk=person.pk)
    assert person.is_active
    assert set(person.groups.values_list("name", flat=True)) == groups
    # A superuser may.
    boss = UserFactory(is_superuser=True, is_staff=True)
    user_admin_update(user=person, actor=boss, is_active=False, roles=["Student", "Teacher"])
    person = User.objects.get(pk=person.pk)
    assert not person.is_active
    assert set(person.groups.values_list("name", flat=True)) == groups | {"Teacher"}


# --- guardians -------------------------------------------------------------------------------


def test_parent_invites_a_child_who_accepts():
    parent, child = ParentFactory(), StudentFactory()
    link = guardian_invite(actor=parent, email=child.email.upper(), as_role="child")
    assert link.status == GuardianLinkStatus.PENDING
    assert link.child is None
    assert link.invited_email == child.email
    link = guardian_accept(link=link, actor=child)
    assert link.status == GuardianLinkStatus.ACTIVE
    assert (link.guardian, link.child) == (parent, child)
    assert link.responded_at is not None
    assert list(children_of(guardian=parent)) == [child]
    assert list(guardians_of(child=child)) == [parent]


def test_student_invites_a_guardian_who_accepts_and_becomes_a_parent():
    child, adult = StudentFactory(), TeacherFactory()
    link = guardian_invite(actor=child, email=adult.email, as_role="guardian")
    link = guardian_accept(link=link, actor=adult)
    assert link.guardian == adult
    assert "Parent" in user_roles(User.objects.get(pk=adult.pk))


def test_the_invitation_email_is_sent_once_the_invitation_is_committed(
    mailoutbox, django_capture_on_commit_callbacks
):
    parent = ParentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        guardian_invite(actor=parent, email="kid@example.com", as_role="child")
    assert [m.to for m in mailoutbox] == [["kid@example.com"]]
    body = mailoutbox[0].body
    assert parent.name in body
    assert "as your parent or guardian" in body
    assert "/auth/guardians/" in body


def test_only_the_owner_of_the_verified_invited_email_can_accept():
    parent, child = ParentFactory(), StudentFactory()
    stranger = StudentFactory()
    link = guardian_invite(actor=parent, email=child.email, as_role="child")
    with pytest.raises(NotFound):  # not theirs: it does not exist for them
        guardian_accept(link=link, actor=stranger)


def test_an_unverified_email_cannot_accept():
    parent = ParentFactory()
    child = StudentFactory()
    EmailAddress.objects.filter(user=child).update(verified=False)
    link = guardian_invite(actor=parent, email=child.email, as_role="child")
    assert link not in guardian_link_list_for_user(user=child)
    with pytest.raises(NotFound):
        guardian_accept(link=link, actor=child)


def test_the_inviter_cannot_accept_their_own_invitation():
    parent = ParentFactory()
    link = guardian_invite(actor=parent, email="kid@example.com", as_role="child")
    with pytest.raises(Conflict):
        guardian_accept(link=link, actor=parent)


def test_only_parents_invite_children_and_only_students_invite_guardians():
    with pytest.raises(PermissionDenied):
        guardian_invite(actor=TeacherFactory(), email="kid@example.com", as_role="child")
    with pytest.raises(PermissionDenied):
        guardian_invite(actor=ParentFactory(), email="mum@example.com", as_role="guardian")


def test_a_teacher_invited_as_a_child_cannot_accept():
    parent, teacher = ParentFactory(), TeacherFactory()
    link = guardian_invite(actor=parent, email=teacher.email, as_role="child")
    with pytest.raises(PermissionDenied):
        guardian_accept(link=link, actor=teacher)


def test_inviting_yourself_or_a_bad_email_is_refused():
    parent = ParentFactory()
    with pytest.raises(ValidationFailed):
        guardian_invite(actor=parent, email=parent.email.upper(), as_role="child")
    with pytest.raises(ValidationFailed):
        guardian_invite(actor=parent, email="nope", as_role="child")
    with pytest.raises(ValidationFailed):
        guardian_invite(actor=parent, email="kid@example.com", as_role="uncle")


def test_the_same_invitation_twice_is_a_conflict():
    parent, child = ParentFactory(), StudentFactory()
    guardian_invite(actor=parent, email=child.email, as_role="child")
    with pytest.raises(Conflict):
        guardian_invite(actor=parent, email=child.email.upper(), as_role="child")


def test_inviting_an_already_linked_child_is_a_conflict():
    parent, child = ParentFactory(), StudentFactory()
    linked(parent, child)
    with pytest.raises(Conflict):
        guardian_invite(actor=parent, email=child.email, as_role="child")


def test_a_parent_may_have_many_children():
    parent = ParentFactory()
    children = StudentFactory.create_batch(4)
    for child in children:
        linked(parent, child)
    assert set(children_of(guardian=parent)) == set(children)


def test_a_child_has_at_most_two_guardians_whoever_invites():
    child = StudentFactory()
    first, second, third = ParentFactory.create_batch(3)
    linked(first, child)
    invite_from_third = guardian_invite(actor=third, email=child.email, as_role="child")
    own_invite = guardian_invite(actor=child, email=second.email, as_role="guardian")
    guardian_accept(link=own_invite, actor=second)
    with pytest.raises(Conflict):
        guardian_accept(link=invite_from_third, actor=child)
    with pytest.raises(Conflict):
        guardian_invite(actor=child, email="third@example.com", as_role="guardian")
    assert guardians_of(child=child).count() == 2


def test_a_child_with_two_pending_guardian_invitations_cannot_send_a_third():
    child = StudentFactory()
    guardian_invite(actor=child, email="a@example.com", as_role="guardian")
    guardian_invite(actor=child, email="b@example.com", as_role="guardian")
    with pytest.raises(Conflict):
        guardian_invite(actor=child, email="c@example.com", as_role="guardian")


def test_declining_and_removing():
    parent, child = ParentFactory(), StudentFactory()
    pending = guardian_invite(actor=parent, email=child.email, as_role="child")
    declined = guardian_decline_or_remove(link=pending, actor=child)
    assert declined.status == GuardianLinkStatus.DECLINED
    with pytest.raises(NotFound):
        guardian_decline_or_remove(link=declined, actor=child)

    link = linked(parent, child)
    removed = guardian_decline_or_remove(link=link, actor=child)
    assert removed.status == GuardianLinkStatus.REMOVED
    assert not children_of(guardian=parent).exists()
    # After a removal they can link again.
    assert linked(parent, child).status == GuardianLinkStatus.ACTIVE


def test_the_inviter_withdrawing_a_pending_invitation_marks_it_removed():
    parent = ParentFactory()
    link = guardian_invite(actor=parent, email="kid@example.com", as_role="child")
    assert guardian_decline_or_remove(link=link, actor=parent).status == GuardianLinkStatus.REMOVED


def test_the_database_refuses_a_self_link():
    from django.db import IntegrityError, transaction

    user = StudentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        GuardianLink.objects.create(
            guardian=user, child=user, invited_email=user.email, initiated_by=user
        )


# --- consent ---------------------------------------------------------------------------------


def test_a_student_under_16_needs_a_linked_guardians_consent():
    parent, child = ParentFactory(), StudentFactory()
    set_birthday(child, years_ago(15, days=-1))
    assert user_needs_guardian_consent(user=child)
    assert not user_can_use_messaging(user=child)
    assert not user_can_use_payments(user=child)

    link = linked(parent, child)
    assert user_needs_guardian_consent(user=child)  # linked is not enough

    link = guardian_consent(link=link, actor=parent)
    assert link.consent_given_by == parent
    assert link.consent_given_at is not None
    assert not user_needs_guardian_consent(user=child)
    assert user_can_use_messaging(user=child)
    assert user_can_use_payments(user=child)


def test_consent_ends_with_the_link():
    parent, child = ParentFactory(), StudentFactory()
    set_birthday(child, years_ago(12))
    link = linked(parent, child, consent=True)
    guardian_decline_or_remove(link=link, actor=parent)
    assert user_needs_guardian_consent(user=child)


@pytest.mark.parametrize(
    ("born", "needs"),
    [
        (years_ago(16), False),  # 16 today
        (years_ago(16, days=1), True),  # 16 tomorrow
        (years_ago(30), False),
        (None, False),  # no date of birth given
    ],
)
def test_the_consent_age_boundary(born, needs):
    child = StudentFactory()
    set_birthday(child, born)
    assert user_needs_guardian_consent(user=child) is needs


def test_people_who_are_not_students_never_need_consent():
    assert not user_needs_guardian_consent(user=TeacherFactory())
    assert not user_needs_guardian_consent(user=ParentFactory())


def test_only_the_linked_guardian_can_give_consent():
    parent, child = ParentFactory(), StudentFactory()
    link = linked(parent, child)
    with pytest.raises(PermissionDenied):  # the child sees the link but cannot consent
        guardian_consent(link=link, actor=child)
    for someone in (ParentFactory(), AdminFactory()):
        with pytest.raises(NotFound):
            guardian_consent(link=link, actor=someone)
    pending = guardian_invite(actor=ParentFactory(), email=StudentFactory().email, as_role="child")
    with pytest.raises(PermissionDenied):
        guardian_consent(link=pending, actor=pending.guardian)


def test_consent_keeps_who_gave_it_first():
    parent, child = ParentFactory(), StudentFactory()
    link = linked(parent, child, consent=True)
    first = link.consent_given_at
    link = guardian_consent(link=link, actor=parent)
    assert link.consent_given_at == first


# --- admin link management -------------------------------------------------------------------


def test_admin_links_a_guardian_and_child_directly_within_the_limit():
    admin, child = AdminFactory(), StudentFactory()
    adult = UserFactory()
    link = guardian_link_admin_create(actor=admin, guardian=adult, child=child)
    assert link.status == GuardianLinkStatus.ACTIVE
    assert "Parent" in user_roles(User.objects.get(pk=adult.pk))
    guardian_link_admin_create(actor=admin, guardian=ParentFactory(), child=child)
    with pytest.raises(Conflict):
        guardian_link_admin_create(actor=admin, guardian=ParentFactory(), child=child)
    with pytest.raises(ValidationFailed):
        guardian_link_admin_create(actor=admin, guardian=child, child=child)
    with pytest.raises(PermissionDenied):
        guardian_link_admin_create(
            actor=TeacherFactory(), guardian=ParentFactory(), child=StudentFactory()
        )


def test_admin_ends_a_link():
    link = linked(ParentFactory(), StudentFactory())
    ended = guardian_link_admin_end(actor=AdminFactory(), link=link)
    assert ended.status == GuardianLinkStatus.REMOVED


# --- concurrency (real transactions, one connection per thread) -----------------------------


def _race(functions):
    barrier = threading.Barrier(len(functions))
    outcomes = []

    def run(fn):
        try:
            barrier.wait()
            outcomes.append(fn())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_never_give_a_child_a_third_guardian():
    child = StudentFactory()
    links = [
        guardian_invite(actor=ParentFactory(), email=child.email, as_role="child") for _ in range(4)
    ]
    outcomes = _race([lambda link=link: guardian_accept(link=link, actor=child) for link in links])
    assert sum(isinstance(o, GuardianLink) for o in outcomes) == 2
    assert all(isinstance(o, (GuardianLink, Conflict)) for o in outcomes), outcomes
    assert GuardianLink.objects.filter(child=child, status="active").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_guardian_acceptances_of_a_childs_invitations_respect_the_limit():
    child = StudentFactory()
    adults = ParentFactory.create_batch(3)
    # One parent invited the child; two invitations from the child: three ways to a guardian at once.
    from_parent = guardian_invite(actor=adults[0], email=child.email, as_role="child")
    own = [guardian_invite(actor=child, email=a.email, as_role="guardian") for a in adults[1:]]
    outcomes = _race(
        [lambda: guardian_accept(link=from_parent, actor=child)]
        + [
            lambda link=link, a=a: guardian_accept(link=link, actor=a)
            for link, a in zip(own, adults[1:], strict=True)
        ]
    )
    assert all(isinstance(o, (GuardianLink, Conflict)) for o in outcomes), outcomes
    assert GuardianLink.objects.filter(child=child, status="active").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_invitations_by_a_child_never_exceed_two():
    child = StudentFactory()
    outcomes = _race(
        [
            lambda n=n: guardian_invite(
                actor=child, email=f"adult{n}@example.com", as_role="guardian"
            )
            for n in range(4)
        ]
    )
    assert all(isinstance(o, (GuardianLink, Conflict)) for o in outcomes), outcomes
    assert GuardianLink.objects.filter(child=child).count() == 2
