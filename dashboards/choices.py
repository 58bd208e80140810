from django.db import models
from django.utils.translation import gettext_lazy as _


class TodoCode(models.TextChoices):
    """What a learner's (or their parent's) to-do is about; a client branches on it."""

    GUARDIAN_CONSENT = "guardian_consent", _("A guardian's consent is needed")
    DATE_OF_BIRTH = "date_of_birth", _("A date of birth is needed")
    ENROLLMENT_PENDING = "enrollment_pending", _("An enrolment waits for its payment")
    GUARDIAN_INVITATION = "guardian_invitation", _("A family link waits for an answer")


class OnboardingStep(models.TextChoices):
    PROFILE = "profile", _("Teaching profile")
    AVAILABILITY = "availability", _("Weekly availability")
    FIRST_COURSE = "first_course", _("First course")


class TeacherListing(models.TextChoices):
    """Whether students find the teacher in the directory."""

    LISTED = "listed", _("Listed in the directory")
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for approval")
    HIDDEN = "hidden", _("Not public")


class AdminArea(models.TextChoices):
    CONTENT = "content", _("Pages")
    REVIEW = "review", _("Pages in review")
    TEACHERS = "teachers", _("Teacher profiles")
    USERS = "users", _("Users and roles")
    GUARDIANS = "guardians", _("Guardian links")
    COURSES = "courses", _("All courses")
    LESSONS = "lessons", _("All lessons")
    WAGTAIL = "wagtail", _("Site administration")
    DJANGO = "django", _("Django administration")
