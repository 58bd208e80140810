"""System checks on settings the feature apps read. By setting name only: cplatform imports no
feature app."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Switches that exist only so the race tests can show what happens without the row locks.
TEST_ONLY_LOCKS = ("SCHEDULING_BOOKING_LOCK", "COURSES_ENROLLMENT_LOCK")


@register(Tags.compatibility, deploy=False)
def check_test_only_locks(app_configs=None, **kwargs) -> list[Error]:
    """A lock switch set to False outside the test settings (which set TESTING = True) would let two
    requests book the same slot or take the last seat twice."""
    if getattr(settings, "TESTING", False):
        return []
    return [
        Error(
            f"{name} is False outside the tests.",
            hint="Only the race-control tests turn the row locks off; remove the setting.",
            id="cplatform.E001",
        )
        for name in TEST_ONLY_LOCKS
        if getattr(settings, name, True) is False
    ]
