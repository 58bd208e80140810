from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseFormat(models.TextChoices):
    GROUP = "group", _("Group course")
    ONE_TO_ONE = "one_to_one", _("1:1 tutoring")
    SELF_PACED = "self_paced", _("Self-paced")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class EnrollmentStatus(models.TextChoices):
    PENDING = "pending", _("Pending payment")
    ACTIVE = "active", _("Active")
    WAITLISTED = "waitlisted", _("On the waitlist")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REMOVED = "removed", _("Removed")
    EXPIRED = "expired", _("Expired — not paid in time")


# Statuses that hold a seat: a pending (paid, not yet settled) enrolment keeps its seat, so billing
# can activate it later without overbooking.
SEAT_STATUSES = (EnrollmentStatus.PENDING, EnrollmentStatus.ACTIVE)
# Statuses of an enrolment that is still going on (at most one per student and course).
LIVE_STATUSES = (*SEAT_STATUSES, EnrollmentStatus.WAITLISTED)


class MaterialKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    TEXT = "text", _("Text")
