"""`manage.py load_demo_data` creates the README's logins, is idempotent and never runs in production."""

import io
import subprocess
import sys
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation

from authentication.choices import GuardianLinkStatus, Role
from authentication.models import GuardianLink, User
from authentication.selectors import user_needs_guardian_consent
from classroom.models import StudentProfile, TeacherProfile
from classroom.selectors import teacher_list_public
from cplatform.management.commands.load_demo_data import PASSWORD
from tests.test_settings import PRODUCTION_ENV, ROOT, controlled_env

pytestmark = pytest.mark.django_db

TEACHERS = {"ana.garcia@example.com", "ben.carter@example.com", "chloe.martin@example.com"}
PARENTS = {"maria.lopez@example.com", "david.brown@example.com"}


def members(role: Role) -> set[str]:
    return set(Group.objects.get(name=role).user_set.values_list("email", flat=True))


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "role memberships": User.groups.through.objects.count(),
        "teacher profiles": TeacherProfile.objects.count(),
        "student profiles": StudentProfile.objects.count(),
        "guardian links": GuardianLink.objects.count(),
        "consents": GuardianLink.objects.filter(consent_given_at__isnull=False).count(),
    }


def age(born: date) -> int:
    today = date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", stdout=io.StringIO())


def test_demo_data_has_an_admin_who_can_log_in(demo):
    admin = User.objects.get(email="admin@example.com")

    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(PASSWORD)
    assert members(Role.ADMIN) == {"admin@example.com"}


def test_demo_data_lists_three_approved_teachers_with_spanish_translations(demo):
    listed = list(teacher_list_public())

    assert {p.user.email for p in listed} == TEACHERS
    assert members(Role.TEACHER) == TEACHERS
    for profile in listed:
        assert profile.is_approved and profile.is_public
        assert profile.subjects.exists() and profile.levels.exists() and profile.languages.exists()
        spanish = profile.translations["es"]
        assert spanish["headline"] and spanish["bio"]
        with translation.override("es"):
            assert profile.headline_display == spanish["headline"] != profile.headline
        with translation.override("en"):
            assert profile.headline_display == profile.headline


def test_demo_data_has_eight_students_one_under_sixteen_with_consent(demo):
    students = members(Role.STUDENT)
    under_16 = [
        p.user
        for p in StudentProfile.objects.filter(
            user__email__in=students, date_of_birth__isnull=False
        )
        if age(p.date_of_birth) < 16
    ]

    assert len(students) == 8
    assert [u.email for u in under_16] == ["lucas.lopez@example.com"]
    link = GuardianLink.objects.get(
        child=under_16[0], status=GuardianLinkStatus.ACTIVE, consent_given_at__isnull=False
    )
    assert link.guardian.email == "maria.lopez@example.com"
    assert link.consent_given_by == link.guardian
    assert not user_needs_guardian_consent(user=under_16[0])


def test_demo_data_has_two_parents_with_their_children(demo):
    assert members(Role.PARENT) == PARENTS
    children = set(
        GuardianLink.objects.filter(
            guardian__email="maria.lopez@example.com", status=GuardianLinkStatus.ACTIVE
        ).values_list("child__email", flat=True)
    )
    assert children == {"lucas.lopez@example.com", "mia.lopez@example.com"}
    assert GuardianLink.objects.filter(
        guardian__email="david.brown@example.com",
        invited_email="hugo.moreau@example.com",
        status="pending",
    ).exists()


def test_every_demo_login_uses_the_readme_password_and_a_verified_email(demo):
    demo_users = User.objects.filter(
        email__in=members(Role.STUDENT) | members(Role.PARENT) | TEACHERS
    )

    assert demo_users.count() == 13
    for user in demo_users:
        assert user.check_password(PASSWORD), user.email
        assert EmailAddress.objects.filter(
            user=user, email=user.email, verified=True, primary=True
        ).exists()


def test_loading_demo_data_twice_changes_nothing(demo, django_capture_on_commit_callbacks):
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", stdout=io.StringIO())

    assert counts() == before
    assert before["users"] == 14


def test_demo_data_refuses_production_settings(settings):
    settings.SETTINGS_MODULE = "cplatform.settings.production"

    with pytest.raises(CommandError, match="refuses to run with production settings"):
        call_command("load_demo_data")

    assert not User.objects.filter(email="admin@example.com").exists()


def test_demo_data_command_line_refuses_production_settings():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "load_demo_data", "--settings=cplatform.settings.production"],
        cwd=ROOT,
        env=controlled_env(**PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert result.returncode != 0
    assert "CommandError: load_demo_data refuses to run with production settings." in result.stderr
