from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageFolder(models.TextChoices):
    """Where a direct message sits for one person: received and current (inbox), sent, archived,
    or deleted (the trash, from which it can be restored)."""

    INBOX = "inbox", _("Inbox")
    SENT = "sent", _("Sent")
    ARCHIVE = "archive", _("Archive")
    TRASH = "trash", _("Trash")
