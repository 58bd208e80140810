"""Writes of direct messages: send, reply, archive / unarchive, delete (to the trash) / restore,
mark read. The one write path of the inbox's pages and API; postman's own views are not mounted.
Every send goes through the one rule (inbox/rules.py): a recipient the sender may not write to
answers exactly like one that does not exist (422 `recipient_not_allowed`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from postman.models import STATUS_ACCEPTED, Message

from authentication.selectors import (
    CONSENT_REQUIRED,
    DATE_OF_BIRTH_REQUIRED,
    guardian_consent_problem,
)
from cplatform.exceptions import PermissionDenied, ValidationFailed, refused
from cplatform.signals import announce

from .. import rules
from ..attachments.services import attachments_save, stored_files_cleanup
from ..attachments.validators import attachments_check
from ..signals import (
    direct_message_sent,
    direct_message_sent_committed,
    direct_messages_read,
    direct_messages_read_committed,
)
from .selectors import forget_unread_count, message_get_for

SUBJECT_MAX_LENGTH = Message.SUBJECT_MAX_LENGTH
BODY_MAX_LENGTH = 5000


def _refuse_recipient() -> ValidationFailed:
    message = _("You cannot write to this person.")
    return ValidationFailed(
        message, errors={"recipient_id": [message]}, code=rules.RECIPIENT_NOT_ALLOWED
    )


def _require_messaging(sender) -> None:
    """A student held back by the consent gate writes to nobody; the message says what to do."""
    problem = guardian_consent_problem(user=sender)
    if problem == CONSENT_REQUIRED:
        message = _(
            "You can send messages once a parent or guardian has given their consent. Invite one, "
            "or ask the one you linked to give it, on your Family links page."
        )
        raise PermissionDenied(message, errors={"guardian_consent": [message]}, code=problem)
    if problem == DATE_OF_BIRTH_REQUIRED:
        message = _("Add your date of birth to your learning profile to send messages.")
        raise PermissionDenied(message, errors={"date_of_birth": [message]}, code=problem)


def _clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(errors={field: [_("This field is required.")]})
    if len(value) > max_length:
        raise ValidationFailed(
            errors={
                field: [_("Enter at most %(n)d characters.") % {"n": max_length}],
            }
        )
    return value


def _announce(message: Message, actor) -> None:
    announce(
        direct_message_sent,
        direct_message_sent_committed,
        sender=Message,
        message=message,
        actor=actor,
    )


def message_send(*, sender, recipient_id: int, subject: str, body: str, attachments=()) -> Message:
    """A first message from `sender` to the person with id `recipient_id`, accepted at once, with
    its `attachments` (uploads; checked before anything is written)."""
    _require_messaging(sender)
    subject = _clean_text(subject, field="subject", max_length=SUBJECT_MAX_LENGTH)
    body = _clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    recipient = rules.message_partners_for(sender).filter(pk=recipient_id).first()
    if recipient is None:
        raise _refuse_recipient()
    files = attachments_check(attachments)
    now = timezone.now()
    with stored_files_cleanup() as written, transaction.atomic():
        message = Message.objects.create(
            sender=sender,
            recipient=recipient,
            subject=subject,
            body=body,
            sent_at=now,
            moderation_status=STATUS_ACCEPTED,
            moderation_date=now,
        )
        attachments_save(files=files, uploaded_by=sender, written=written, message=message)
        _announce(message, sender)
    return message


def _participant_message(*, user, message_id: int) -> Message:
    """A message `user` sent or received. One they only read (a guardian) is refused with 403; one
    they cannot read at all is NotFound, as a missing one."""
    message = message_get_for(user=user, message_id=message_id)
    if user.pk not in (message.sender_id, message.recipient_id):
        raise refused(
            visible=True, detail=_("You read this conversation as a guardian; you are not in it.")
        )
    return message


def message_reply(*, sender, message_id: int, body: str, attachments=()) -> Message:
    """A reply in the thread of `message_id`, to the other person in it, under the same rule as a
    first message (a block or a lost link since then refuses it)."""
    _require_messaging(sender)
    parent = _participant_message(user=sender, message_id=message_id)
    body = _clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    other_id = parent.recipient_id if parent.sender_id == sender.pk else parent.sender_id
    recipient = rules.message_partners_for(sender).filter(pk=other_id).first()
    if recipient is None:
        raise _refuse_recipient()
    subject = parent.subject
    prefix = _("Re: ")
    if not subject.startswith(prefix):
        subject = (prefix + subject)[:SUBJECT_MAX_LENGTH]
    files = attachments_check(attachments)
    now = timezone.now()
    with stored_files_cleanup() as written, transaction.atomic():
        parent = Message.objects.select_for_update().get(pk=parent.pk)
        root_id = parent.thread_id or parent.pk
        if parent.thread_id is None:
            parent.thread_id = parent.pk
        if parent.recipient_id == sender.pk and parent.replied_at is None:
            parent.replied_at = now
        parent.save(update_fields=["thread", "replied_at"])
        message = Message.objects.create(
            sender=sender,
            recipient=recipient,
            subject=subject,
            body=body,
            parent=parent,
            thread_id=root_id,
            sent_at=now,
            moderation_status=STATUS_ACCEPTED,
            moderation_date=now,
        )
        attachments_save(files=files, uploaded_by=sender, written=written, message=message)
        _announce(message, sender)
    return message


def _set_own_side(message: Message, user, **values) -> Message:
    """Set `<side>_<field>` for the side(s) of `user` in the message (sender, recipient)."""
    fields = []
    for side in ("sender", "recipient"):
        if getattr(message, f"{side}_id") == user.pk:
            for name, value in values.items():
                setattr(message, f"{side}_{name}", value)
                fields.append(f"{side}_{name}")
    with transaction.atomic():
        message.save(update_fields=fields)
    forget_unread_count(user)
    return message


def message_archive(*, user, message_id: int) -> Message:
    """Move the message to `user`'s archive (their side only; the other person keeps theirs)."""
    message = _participant_message(user=user, message_id=message_id)
    return _set_own_side(message, user, archived=True)


def message_unarchive(*, user, message_id: int) -> Message:
    """Back from the archive to the inbox (or the sent folder)."""
    message = _participant_message(user=user, message_id=message_id)
    return _set_own_side(message, user, archived=False)


def message_delete(*, user, message_id: int) -> Message:
    """Move the message to `user`'s trash (their side only). A message already in their trash is
    not there to delete: NotFound, like a missing one (a repeated DELETE answers 404)."""
    message = _participant_message(user=user, message_id=message_id)
    side = "sender" if message.sender_id == user.pk else "recipient"
    if getattr(message, f"{side}_deleted_at") is not None:
        raise refused(visible=False)
    return _set_own_side(message, user, deleted_at=timezone.now())


def message_restore(*, user, message_id: int) -> Message:
    """Take the message out of `user`'s trash."""
    message = _participant_message(user=user, message_id=message_id)
    return _set_own_side(message, user, deleted_at=None)


def message_mark_read(*, user, message_id: int) -> Message:
    """Mark a received message read (a sent one is left as it is: it is the recipient's mark)."""
    message = _participant_message(user=user, message_id=message_id)
    if message.recipient_id == user.pk and message.read_at is None:
        message.read_at = timezone.now()
        with transaction.atomic():
            message.save(update_fields=["read_at"])
            _announce_read(user=user, count=1)
        forget_unread_count(user)
    return message


def _announce_read(*, user, count: int) -> None:
    """The reader's unread count went down: their open sockets hear the new one (after commit)."""
    announce(
        direct_messages_read,
        direct_messages_read_committed,
        sender=Message,
        user_id=user.pk,
        count=count,
    )


def thread_mark_read(*, user, thread_id: int) -> int:
    """Mark every message of the thread that `user` received read (opening the thread's page)."""
    forget_unread_count(user)
    with transaction.atomic():
        count = Message.objects.filter(
            thread_id=thread_id, recipient=user, read_at__isnull=True
        ).update(read_at=timezone.now()) + Message.objects.filter(
            pk=thread_id, thread__isnull=True, recipient=user, read_at__isnull=True
        ).update(read_at=timezone.now())
        if count:
            _announce_read(user=user, count=count)
    return count
