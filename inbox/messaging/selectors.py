"""Reads of direct messages (postman's `Message` rows), each for the person who asks: their
folders, one message, a thread, the unread count and whom they may write to. A message or thread
the person may not read answers exactly like a missing one (NotFound). Who may read what is
inbox/rules.py's `message_visibility`; who may write to whom its `message_partners_for`."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from postman.models import OPTION_MESSAGES, STATUS_ACCEPTED, Message

from authentication.choices import Role
from authentication.roles import has_role
from cplatform.exceptions import NotFound

from .. import rules
from ..attachments.selectors import attachments_prefetch
from .choices import MessageFolder

User = get_user_model()

FOLDER_MANAGERS = {
    MessageFolder.INBOX: "inbox",
    MessageFolder.SENT: "sent",
    MessageFolder.ARCHIVE: "archives",
    MessageFolder.TRASH: "trash",
}


def _readable(user) -> Q:
    """What `user` may read: `message_visibility`, less messages held for moderation that they did
    not send (none today: allowed exchanges are accepted at once)."""
    return rules.message_visibility(user) & (Q(moderation_status=STATUS_ACCEPTED) | Q(sender=user))


def message_list_for(*, user, folder: str = MessageFolder.INBOX) -> QuerySet[Message]:
    """One of `user`'s folders, message by message (not grouped by thread), newest first, with
    sender and recipient loaded: postman's own folder managers, so the folders mean what postman
    means by them."""
    if MessageFolder(folder) == MessageFolder.CHILDREN:
        return guardian_thread_list_for(user=user)
    manager = getattr(Message.objects, FOLDER_MANAGERS[MessageFolder(folder)])
    return (
        manager(user, option=OPTION_MESSAGES)
        .select_related("sender", "recipient")
        .prefetch_related(attachments_prefetch())
        .order_by("-sent_at", "-pk")
    )


def message_get_for(*, user, message_id: int) -> Message:
    """One message `user` may read (theirs, or a child's teacher thread for a guardian)."""
    message = (
        Message.objects.filter(_readable(user), pk=message_id)
        .select_related("sender", "recipient")
        .prefetch_related(attachments_prefetch())
        .first()
    )
    if message is None:
        raise NotFound()
    return message


def thread_root_id(message: Message) -> int:
    return message.thread_id or message.pk


@dataclass
class Thread:
    """A conversation as one person reads it: its messages (oldest first), the two people in it,
    and whether guardians may read it (a teacher and a student under 16) and whether the reader
    reads it as a guardian rather than a participant."""

    id: int
    subject: str
    messages: list[Message]
    participants: list
    guardians_can_read: bool
    read_as_guardian: bool
    reader: object

    @property
    def last(self) -> Message:
        return self.messages[-1]

    def other_party(self):
        """The person the reader talks to (for a guardian reader: the teacher)."""
        others = [p for p in self.participants if p.pk != self.reader.pk]
        return others[0] if others else self.participants[0]


def thread_get_for(*, user, thread_id: int) -> Thread:
    """The thread whose first message is `thread_id`, every message of it `user` may read."""
    messages = list(
        Message.objects.filter(
            _readable(user), Q(pk=thread_id, thread__isnull=True) | Q(thread_id=thread_id)
        )
        .select_related("sender", "recipient", "sender__student_profile")
        .prefetch_related(attachments_prefetch())
        .order_by("sent_at", "pk")
    )
    if not messages:
        raise NotFound()
    first = messages[0]
    participants = [first.sender, first.recipient]
    return Thread(
        id=thread_id,
        subject=first.subject,
        messages=messages,
        participants=participants,
        guardians_can_read=guardians_can_read(participants),
        read_as_guardian=user.pk not in {p.pk for p in participants},
        reader=user,
    )


def guardians_can_read(participants) -> bool:
    """A thread between a teacher and a student under 16: the student's guardians may read it."""
    teacher = any(has_role(p, Role.TEACHER) for p in participants)
    return teacher and any(has_role(p, Role.STUDENT) and rules.is_minor(p) for p in participants)


def guardian_thread_list_for(*, user) -> QuerySet[Message]:
    """For a guardian: the first messages of the threads between their children under 16 and
    those children's teachers (which they read but are not part of), newest first."""
    if not has_role(user, Role.PARENT):
        return Message.objects.none()
    own = Q(sender=user) | Q(recipient=user)
    return (
        Message.objects.filter(_readable(user), Q(thread__isnull=True) | Q(thread=F("pk")))
        .exclude(own)
        .select_related("sender", "recipient")
        .prefetch_related(attachments_prefetch())
        .order_by("-sent_at", "-pk")
    )


_UNREAD_ATTR = "_inbox_unread_count"


def unread_count_for(*, user, cached: bool = False) -> int:
    """How many messages in `user`'s inbox they have not opened (one query). `cached`: reuse the
    count already read for this user object in this request (the header and the role home both
    show it); the services that change it forget it (`forget_unread_count`)."""
    if not user.is_authenticated:
        return 0
    if cached and hasattr(user, _UNREAD_ATTR):
        return getattr(user, _UNREAD_ATTR)
    count = Message.objects.inbox_unread_count(user)
    setattr(user, _UNREAD_ATTR, count)
    return count


def forget_unread_count(user) -> None:
    if hasattr(user, _UNREAD_ATTR):
        delattr(user, _UNREAD_ATTR)


def message_partners_for(*, user) -> QuerySet:
    """Everyone `user` may write to, by name, with their roles loaded (to group them)."""
    return (
        rules.message_partners_for(user)
        .prefetch_related("groups")
        .order_by("first_name", "last_name", "display_name", "pk")
    )
