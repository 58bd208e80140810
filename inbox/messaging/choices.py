from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageFolder(models.TextChoices):
    """Where a direct message sits for one person: received and current (inbox), sent, archived,
    or deleted (the trash, from which it can be restored). `children`: for a guardian, the first
    messages of the threads between their children under 16 and those children's teachers, which
    they read but are not part of."""

    INBOX = "inbox", _("Inbox")
    SENT = "sent", _("Sent")
    ARCHIVE = "archive", _("Archive")
    TRASH = "trash", _("Trash")
    CHILDREN = "children", _("Your children's conversations")
