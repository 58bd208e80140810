from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils.translation import override

from authentication.choices import GuardianLinkStatus, Role
from authentication.services import guardian_invite
from classroom.selectors import (
    TeacherFilters,
    student_get_for_user,
    student_list_for_user,
    teacher_get_for_viewer,
    teacher_get_public,
    teacher_list_public,
)
from cplatform.exceptions import NotFound
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.classroom.factories import TeacherProfileFactory, listed_teacher

pytestmark = pytest.mark.django_db


def names(queryset):
    return [p.user.first_name for p in queryset]


# --- who is listed ---------------------------------------------------------------------------------


def test_only_public_approved_teachers_of_active_accounts_are_listed():
    listed = listed_teacher(first_name="Listed")
    TeacherProfileFactory(user__first_name="Private", is_public=False, is_approved=True)
    TeacherProfileFactory(user__first_name="Pending", is_public=True, is_approved=False)
    TeacherProfileFactory(
        user__first_name="Gone", user__is_active=False, is_public=True, is_approved=True
    )

    assert list(teacher_list_public()) == [listed]


def test_a_profile_whose_owner_lost_the_teacher_role_is_not_listed():
    profile = listed_teacher(first_name="Former")
    profile.user.groups.remove(Group.objects.get(name=Role.TEACHER))

    assert list(teacher_list_public()) == []


def test_teachers_are_listed_by_name():
    for name in ("Zoe", "Ana", "Mia"):
        listed_teacher(first_name=name)
    assert names(teacher_list_public()) == ["Ana", "Mia", "Zoe"]


# --- filters ---------------------------------------------------------------------------------------


@pytest.fixture
def three_teachers():
    return {
        "ana": listed_teacher(
            first_name="Ana",
            subjects=("mathematics", "physics"),
            levels=("beginner", "intermediate"),
            languages=("es", "en"),
            rate="20.00",
            translations={"es": {"headline": "Profesora de álgebra", "bio": "Paciente y clara"}},
        ),
        "ben": listed_teacher(
            first_name="Ben",
            subjects=("english",),
            levels=("advanced",),
            languages=("en",),
            rate="40.00",
        ),
        "chloe": listed_teacher(
            first_name="Chloe",
            subjects=("piano",),
            levels=("beginner",),
            languages=("fr",),
            rate=None,
        ),
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (TeacherFilters(), ["Ana", "Ben", "Chloe"]),
        (TeacherFilters(subject="mathematics"), ["Ana"]),
        (TeacherFilters(subject="piano"), ["Chloe"]),
        (TeacherFilters(subject="no-such-subject"), []),
        (TeacherFilters(language="en"), ["Ana", "Ben"]),
        (TeacherFilters(level="beginner"), ["Ana", "Chloe"]),
        (TeacherFilters(level="beginner", language="fr"), ["Chloe"]),
        (TeacherFilters(min_price=Decimal("20")), ["Ana", "Ben"]),
        (TeacherFilters(min_price=Decimal("20.01")), ["Ben"]),
        (TeacherFilters(max_price=Decimal("40")), ["Ana", "Ben"]),
        (TeacherFilters(min_price=Decimal("21"), max_price=Decimal("39")), []),
        (TeacherFilters(q="ben"), ["Ben"]),
        (TeacherFilters(q="PHYSICS"), ["Ana"]),
        (TeacherFilters(q="física"), ["Ana"]),  # the Spanish name of a subject
        (TeacherFilters(q="álgebra"), ["Ana"]),  # the Spanish headline
        (TeacherFilters(q="paciente"), ["Ana"]),  # the Spanish bio
        (TeacherFilters(q="ana physics"), ["Ana"]),
        (TeacherFilters(q="ana piano"), []),  # every term must match
        (TeacherFilters(q="   "), ["Ana", "Ben", "Chloe"]),
        (TeacherFilters(q="a\x00na"), ["Ana"]),  # NUL dropped, not a database error
        (TeacherFilters(subject="piano\x00"), ["Chloe"]),
    ],
)
def test_the_directory_filters(three_teachers, filters, expected):
    assert names(teacher_list_public(filters=filters)) == expected


def test_a_teacher_matching_several_subjects_and_terms_is_listed_once(three_teachers):
    # "i" is in mathematics and physics (and their Spanish names), "a" in almost everything.
    result = teacher_list_public(filters=TeacherFilters(q="i a", language="es", level="beginner"))
    assert names(result) == ["Ana"]
    assert result.count() == 1


def test_the_filters_ignore_unlisted_teachers(three_teachers):
    TeacherProfileFactory(user__first_name="Hidden", subjects=["mathematics"], is_public=False)
    assert names(teacher_list_public(filters=TeacherFilters(subject="mathematics"))) == ["Ana"]


# --- single teachers -------------------------------------------------------------------------------


def test_a_listed_teacher_is_found_by_id():
    profile = listed_teacher()
    assert teacher_get_public(teacher_id=profile.pk) == profile


@pytest.mark.parametrize("teacher_id", [0, -1, 10**12, 2**63])
def test_a_missing_teacher_id_is_not_found(teacher_id):
    with pytest.raises(NotFound):
        teacher_get_public(teacher_id=teacher_id)


def test_an_unlisted_teacher_is_not_found_by_id():
    profile = TeacherProfileFactory(is_public=True, is_approved=False)
    with pytest.raises(NotFound):
        teacher_get_public(teacher_id=profile.pk)


def test_anyone_sees_a_listed_profile_page(people):
    profile = listed_teacher()
    for viewer in (AnonymousUser(), people.student_a, people.other_teacher):
        found = teacher_get_for_viewer(viewer=viewer, slug=profile.slug)
        assert found == profile
        assert found.is_listed is True


def test_an_unlisted_profile_is_previewed_by_its_owner_and_admins_only(people):
    profile = TeacherProfileFactory(user=people.teacher, is_public=True, is_approved=False)

    for viewer in (people.teacher, people.admin):
        assert teacher_get_for_viewer(viewer=viewer, slug=profile.slug).is_listed is False
    for viewer in (
        AnonymousUser(),
        people.student_a,
        people.student_b,
        people.parent_of_a,
        people.other_teacher,
    ):
        with pytest.raises(NotFound):
            teacher_get_for_viewer(viewer=viewer, slug=profile.slug)


def test_an_unknown_slug_is_not_found(people):
    with pytest.raises(NotFound):
        teacher_get_for_viewer(viewer=people.admin, slug="nobody")


def test_search_follows_the_active_language_only_for_display(three_teachers):
    with override("es"):
        ana = teacher_list_public(filters=TeacherFilters(subject="physics")).get()
        assert ana.headline_display == "Profesora de álgebra"
        assert [s.label for s in ana.subjects.all()] == ["Matemáticas", "Física"]


# --- students --------------------------------------------------------------------------------------


def emails(queryset):
    return [p.user.email for p in queryset]


def test_an_admin_sees_every_student(people):
    assert emails(student_list_for_user(user=people.admin)) == [
        "student.a@example.com",
        "student.b@example.com",
    ]


def test_a_teacher_sees_no_students_until_scheduling_exists(people):
    assert emails(student_list_for_user(user=people.teacher)) == []
    assert emails(student_list_for_user(user=people.other_teacher)) == []


def test_a_parent_sees_their_linked_children_only(people):
    assert emails(student_list_for_user(user=people.parent_of_a)) == ["student.a@example.com"]


def test_a_pending_or_removed_guardian_link_shows_nothing(people):
    link = guardian_invite(actor=people.parent_of_a, email=people.student_b.email, as_role="child")
    assert link.status == GuardianLinkStatus.PENDING
    assert emails(student_list_for_user(user=people.parent_of_a)) == ["student.a@example.com"]

    people.parent_of_a.child_links.filter(child=people.student_a).update(
        status=GuardianLinkStatus.REMOVED
    )
    assert emails(student_list_for_user(user=people.parent_of_a)) == []


def test_a_student_sees_only_themself(people):
    assert emails(student_list_for_user(user=people.student_a)) == ["student.a@example.com"]
    assert emails(student_list_for_user(user=people.student_b)) == ["student.b@example.com"]


def test_a_teacher_who_is_also_a_student_sees_only_themself():
    user = TeacherFactory(roles=[Role.TEACHER, Role.STUDENT])
    StudentFactory()
    assert emails(student_list_for_user(user=user)) == [user.email]


def test_a_deactivated_child_disappears_from_the_parents_list(people):
    people.student_a.is_active = False
    people.student_a.save()
    assert emails(student_list_for_user(user=people.parent_of_a)) == []


def test_a_student_the_viewer_may_not_see_is_not_found(people):
    a, b = people.student_a.pk, people.student_b.pk
    assert student_get_for_user(user=people.parent_of_a, student_id=a).user == people.student_a
    assert student_get_for_user(user=people.admin, student_id=b).user == people.student_b
    for viewer, student_id in [
        (people.parent_of_a, b),
        (people.student_a, b),
        (people.student_b, a),
        (people.teacher, a),
        (people.admin, people.teacher.pk),  # not a student at all
        (people.admin, 10**12),
    ]:
        with pytest.raises(NotFound):
            student_get_for_user(user=viewer, student_id=student_id)
