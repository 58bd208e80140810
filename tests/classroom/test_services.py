from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from authentication.choices import Role
from authentication.services import user_add_role
from classroom.models import StudentProfile, TeacherProfile
from classroom.services import (
    student_profile_ensure,
    student_profile_update,
    teacher_profile_approve,
    teacher_profile_ensure,
    teacher_profile_update,
)
from cplatform.exceptions import PermissionDenied, ValidationFailed
from tests.authentication.factories import (
    ADULT_BIRTHDAY,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from tests.classroom.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def codes(manager, field):
    return sorted(getattr(obj, field) for obj in manager.all())


# --- profiles come with the role -------------------------------------------------------------------


def test_granting_the_teacher_role_creates_an_empty_unlisted_teacher_profile():
    user = UserFactory()
    assert not TeacherProfile.objects.filter(user=user).exists()

    user_add_role(user=user, role=Role.TEACHER)

    profile = TeacherProfile.objects.get(user=user)
    assert (profile.is_public, profile.is_approved, profile.headline) == (False, False, "")


def test_granting_the_student_role_creates_a_student_profile():
    user = UserFactory()
    user_add_role(user=user, role=Role.STUDENT)
    assert StudentProfile.objects.filter(user=user).count() == 1


def test_ensuring_a_profile_twice_keeps_one_profile():
    user = TeacherFactory()
    first = teacher_profile_ensure(user=user)
    assert teacher_profile_ensure(user=user).pk == first.pk
    assert student_profile_ensure(user=user).pk == student_profile_ensure(user=user).pk


def test_two_teachers_with_the_same_name_get_different_slugs():
    a = TeacherFactory(first_name="Ana", last_name="Ruiz", display_name="")
    b = TeacherFactory(first_name="Ana", last_name="Ruiz", display_name="")
    assert a.teacher_profile.slug == "ana-ruiz"
    assert b.teacher_profile.slug == "ana-ruiz-2"


def test_a_teacher_named_me_does_not_take_the_slug_of_the_edit_page():
    user = TeacherFactory(first_name="Me", last_name="", display_name="")
    assert user.teacher_profile.slug == "me-2"


# --- teacher_profile_update ------------------------------------------------------------------------


def test_patch_changes_only_the_given_fields():
    user = TeacherFactory()
    teacher_profile_update(
        user=user,
        actor=user,
        data={
            "headline": "Maths",
            "bio": "Long bio",
            "subjects": ["mathematics"],
            "hourly_rate": "30",
        },
    )

    profile = teacher_profile_update(user=user, actor=user, data={"headline": "Physics"})

    profile.refresh_from_db()
    assert profile.headline == "Physics"
    assert profile.bio == "Long bio"
    assert profile.hourly_rate == Decimal("30.00")
    assert codes(profile.subjects, "slug") == ["mathematics"]


def test_replace_resets_what_the_payload_leaves_out():
    user = TeacherFactory()
    teacher_profile_update(
        user=user,
        actor=user,
        data={
            "headline": "Maths",
            "bio": "Bio",
            "subjects": ["mathematics"],
            "levels": ["beginner"],
            "languages": ["es"],
            "hourly_rate": "30",
            "currency": "USD",
            "teaches_in_person": True,
            "location": "Madrid",
            "is_public": True,
        },
    )

    profile = teacher_profile_update(
        user=user, actor=user, data={"headline": "Only this"}, replace=True
    )

    profile.refresh_from_db()
    assert profile.headline == "Only this"
    assert (profile.bio, profile.location, profile.hourly_rate, profile.currency) == (
        "",
        "",
        None,
        "EUR",
    )
    assert (profile.teaches_online, profile.teaches_in_person, profile.is_public) == (
        True,
        False,
        False,
    )
    assert profile.subjects.count() == profile.levels.count() == profile.languages.count() == 0


def test_a_teacher_cannot_approve_themself_or_change_owner_or_slug_through_the_data():
    user, other = TeacherFactory(), TeacherFactory()
    slug = user.teacher_profile.slug

    teacher_profile_update(
        user=user,
        actor=user,
        data={
            "headline": "Hi",
            "is_approved": True,
            "approved_at": timezone.now(),
            "approved_by": other,
            "user": other,
            "user_id": other.pk,
            "slug": "chosen",
        },
    )

    profile = TeacherProfile.objects.get(user=user)
    assert profile.headline == "Hi"
    assert (profile.is_approved, profile.approved_at, profile.approved_by) == (False, None, None)
    assert profile.slug == slug
    assert TeacherProfile.objects.get(user=other).headline == ""


def test_an_unknown_subject_is_refused_and_nothing_changes():
    user = TeacherFactory()
    teacher_profile_update(
        user=user, actor=user, data={"headline": "Before", "subjects": ["mathematics"]}
    )

    with pytest.raises(ValidationFailed) as caught:
        teacher_profile_update(
            user=user,
            actor=user,
            data={"headline": "After", "subjects": ["mathematics", "alchemy"]},
        )

    assert caught.value.errors == {"subjects": ["Unknown: alchemy"]}
    profile = TeacherProfile.objects.get(user=user)
    assert profile.headline == "Before"
    assert codes(profile.subjects, "slug") == ["mathematics"]


@pytest.mark.parametrize(
    ("field", "values"),
    [("levels", ["beginner", "expert"]), ("languages", ["es", "klingon"])],
)
def test_unknown_levels_and_languages_are_refused(field, values):
    with pytest.raises(ValidationFailed) as caught:
        teacher_profile_update(
            user=(teacher := TeacherFactory()), actor=teacher, data={field: values}
        )
    assert list(caught.value.errors) == [field]


def test_teaching_in_person_needs_a_location():
    with pytest.raises(ValidationFailed) as caught:
        teacher_profile_update(
            user=(teacher := TeacherFactory()), actor=teacher, data={"teaches_in_person": True}
        )
    assert "location" in caught.value.errors


def test_clearing_the_location_of_an_in_person_teacher_is_refused():
    user = TeacherFactory()
    teacher_profile_update(
        user=user, actor=user, data={"teaches_in_person": True, "location": "Madrid"}
    )

    with pytest.raises(ValidationFailed) as caught:
        teacher_profile_update(user=user, actor=user, data={"location": "  "})

    assert "location" in caught.value.errors
    assert TeacherProfile.objects.get(user=user).location == "Madrid"


def test_a_teacher_must_offer_at_least_one_lesson_format():
    with pytest.raises(ValidationFailed) as caught:
        teacher_profile_update(
            user=(teacher := TeacherFactory()),
            actor=teacher,
            data={"teaches_online": False, "teaches_in_person": False},
        )
    assert "teaches_online" in caught.value.errors


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"hourly_rate": Decimal("-1")}, "hourly_rate"),
        ({"hourly_rate": Decimal("12345678.00")}, "hourly_rate"),
        ({"hourly_rate": "twelve"}, "hourly_rate"),
        ({"currency": "BTC"}, "currency"),
        ({"headline": "x" * 161}, "headline"),
        ({"bio": "x" * 5001}, "bio"),
        ({"headline": "nul\x00byte"}, "headline"),
        ({"subjects": ["math\x00"]}, "subjects"),
        ({"translations": {"es": {"bio": "a\x00"}}}, "translations"),
        ({"translations": {"fr": {"headline": "Bonjour"}}}, "translations"),
        ({"translations": {"es": "Hola"}}, "translations"),
        ({"translations": {"es": {"title": "Hola"}}}, "translations"),
        ({"translations": {"es": {"headline": 3}}}, "translations"),
        ({"translations": {"es": {"headline": "x" * 161}}}, "translations"),
        ({"translations": ["es"]}, "translations"),
        ({"subjects": "mathematics"}, "subjects"),
    ],
)
def test_invalid_teacher_data_is_refused_with_a_field_error(data, field):
    user = TeacherFactory()
    with pytest.raises(ValidationFailed) as caught:
        teacher_profile_update(user=user, actor=user, data=data)
    assert field in caught.value.errors
    assert TeacherProfile.objects.get(user=user).headline == ""


def test_translations_are_trimmed_and_empty_ones_dropped():
    profile = teacher_profile_update(
        user=(teacher := TeacherFactory()),
        actor=teacher,
        data={
            "translations": {
                "es": {"headline": "  Profesora  ", "bio": ""},
                "en": {"headline": None, "bio": "   "},
            }
        },
    )
    profile.refresh_from_db()
    assert profile.translations == {"es": {"headline": "Profesora"}}


def test_the_headline_is_shown_in_the_visitors_language_with_a_fallback():
    profile = TeacherProfileFactory(
        headline="Maths teacher", bio="English bio", translations={"es": {"headline": "Profesor"}}
    )
    with override("es"):
        assert profile.headline_display == "Profesor"
        assert profile.bio_display == "English bio"  # no Spanish bio: the main text
    with override("en"):
        assert profile.headline_display == "Maths teacher"


def test_malformed_translations_typed_into_the_admin_never_break_the_display():
    profile = TeacherProfileFactory(headline="Main", translations={"es": "not a dict"})
    with override("es"):
        assert profile.headline_display == "Main"
    profile.translations = ["odd"]
    with override("es"):
        assert profile.headline_display == "Main"


# --- teacher_profile_approve -----------------------------------------------------------------------


def test_an_admin_approves_a_teacher_and_is_recorded():
    admin = AdminFactory()
    profile = TeacherProfileFactory(is_public=True)

    profile = teacher_profile_approve(profile=profile, actor=admin)

    profile.refresh_from_db()
    assert profile.is_approved is True
    assert profile.approved_by == admin
    assert timezone.now() - profile.approved_at < timedelta(minutes=1)


def test_withdrawing_approval_clears_the_approval_time():
    admin = AdminFactory()
    profile = teacher_profile_approve(profile=TeacherProfileFactory(), actor=admin)

    profile = teacher_profile_approve(profile=profile, approved=False, actor=admin)

    profile.refresh_from_db()
    assert (profile.is_approved, profile.approved_at, profile.approved_by) == (False, None, admin)


@pytest.mark.parametrize("make_actor", [TeacherFactory, StudentFactory, ParentFactory])
def test_only_admins_approve_teacher_profiles(make_actor):
    profile = TeacherProfileFactory()
    actor = make_actor()

    with pytest.raises(PermissionDenied):
        teacher_profile_approve(profile=profile, actor=actor)

    assert TeacherProfile.objects.get(pk=profile.pk).is_approved is False


def test_a_teacher_cannot_approve_their_own_profile():
    profile = TeacherProfileFactory()
    with pytest.raises(PermissionDenied):
        teacher_profile_approve(profile=profile, actor=profile.user)


def test_a_deactivated_admin_cannot_approve():
    admin = AdminFactory(is_active=False)
    with pytest.raises(PermissionDenied):
        teacher_profile_approve(profile=TeacherProfileFactory(), actor=admin)


def test_the_system_may_approve_without_an_actor_for_demo_data():
    profile = teacher_profile_approve(profile=TeacherProfileFactory())
    assert profile.is_approved is True
    assert profile.approved_by is None


# --- student_profile_update ------------------------------------------------------------------------


def test_a_student_sets_level_goals_and_date_of_birth():
    user = StudentFactory()

    profile = student_profile_update(
        user=user,
        data={
            "level": "intermediate",
            "learning_goals": "Pass B2",
            "date_of_birth": date(2005, 5, 1),
        },
    )

    profile.refresh_from_db()
    assert profile.level.code == "intermediate"
    assert profile.learning_goals == "Pass B2"
    assert profile.date_of_birth == date(2005, 5, 1)


def test_a_student_patch_keeps_the_fields_it_does_not_mention():
    user = StudentFactory()
    student_profile_update(user=user, data={"level": "beginner", "learning_goals": "Speak"})

    profile = student_profile_update(user=user, data={"learning_goals": "Write"})

    assert profile.level.code == "beginner"
    assert profile.learning_goals == "Write"


def test_a_student_clears_their_level_and_date_of_birth_with_none():
    user = StudentFactory()
    student_profile_update(user=user, data={"level": "beginner", "date_of_birth": date(2001, 1, 1)})

    profile = student_profile_update(user=user, data={"level": None, "date_of_birth": None})

    assert (profile.level, profile.date_of_birth) == (None, None)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date_of_birth": date.today() + timedelta(days=2)}, "date_of_birth"),  # future anywhere
        ({"date_of_birth": date(1899, 12, 31)}, "date_of_birth"),
        ({"level": "wizard"}, "level"),
        ({"learning_goals": "x" * 2001}, "learning_goals"),
        ({"learning_goals": "a\x00b"}, "learning_goals"),
    ],
)
def test_invalid_student_data_is_refused_with_a_field_error(data, field):
    user = StudentFactory()
    with pytest.raises(ValidationFailed) as caught:
        student_profile_update(user=user, data=data)
    assert field in caught.value.errors
    profile = StudentProfile.objects.get(user=user)
    assert (profile.level, profile.date_of_birth, profile.learning_goals) == (
        None,
        ADULT_BIRTHDAY,
        "",
    )


def test_a_student_cannot_reassign_their_profile_through_the_data():
    user, other = StudentFactory(), StudentFactory()
    student_profile_update(
        user=user, data={"user": other, "user_id": other.pk, "learning_goals": "Mine"}
    )
    assert StudentProfile.objects.get(user=user).learning_goals == "Mine"
    assert StudentProfile.objects.get(user=other).learning_goals == ""
