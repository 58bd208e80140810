"""The system check that refuses the test-only lock switches being off outside the tests."""

import pytest
from django.core.checks import Tags, run_checks
from django.test import override_settings


def lock_errors() -> list[str]:
    return sorted(e.msg for e in run_checks(tags=[Tags.compatibility]) if e.id == "cplatform.E001")


@pytest.mark.parametrize("name", ["SCHEDULING_BOOKING_LOCK", "COURSES_ENROLLMENT_LOCK"])
def test_a_lock_switched_off_outside_the_tests_is_refused(name):
    with override_settings(TESTING=False, **{name: False}):
        assert lock_errors() == [f"{name} is False outside the tests."]


@pytest.mark.parametrize("name", ["SCHEDULING_BOOKING_LOCK", "COURSES_ENROLLMENT_LOCK"])
def test_the_test_settings_may_switch_a_lock_off(name):
    with override_settings(**{name: False}):
        assert lock_errors() == []


def test_locks_on_or_unset_pass_outside_the_tests():
    with override_settings(TESTING=False, SCHEDULING_BOOKING_LOCK=True):
        assert lock_errors() == []
