from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles are Django groups with these names (created by a data migration)."""

    STUDENT = "Student", _("Student")
    TEACHER = "Teacher", _("Teacher")
    PARENT = "Parent", _("Parent")
    ADMIN = "Admin", _("Admin")


SELF_SERVICE_ROLES = (Role.STUDENT, Role.TEACHER, Role.PARENT)


class GuardianLinkStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    REMOVED = "removed", _("Removed")


class GuardianInviteRole(models.TextChoices):
    """Who a guardian invitation invites: `child` (a parent invited their child) or `guardian`
    (a student invited a parent)."""

    CHILD = "child", _("Child")
    GUARDIAN = "guardian", _("Guardian")
