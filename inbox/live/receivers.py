"""What the live layer listens to (connected in inbox/apps.py). Every push happens after commit."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from inbox.models import RoomMember, RoomMessage
from inbox.rooms.signals import room_message_posted_committed, room_read_moved_committed
from inbox.signals import (
    direct_message_sent_committed,
    direct_messages_read_committed,
    notifications_unread_changed_committed,
)

from .push import push_membership_ended, push_room_message, push_unread


@receiver(room_message_posted_committed, dispatch_uid="inbox.live.message_posted")
def message_posted(sender, *, message, **kwargs):
    push_room_message(
        room_id=message.room_id, message_id=message.pk, author_id=message.author_id, event="new"
    )


@receiver(room_read_moved_committed, dispatch_uid="inbox.live.read_moved")
def read_moved(sender, *, user, **kwargs):
    push_unread(user_id=user.pk)


@receiver(direct_message_sent_committed, dispatch_uid="inbox.live.direct_message_sent")
def direct_message_sent(sender, *, message, **kwargs):
    """The recipient's direct-message badge counts one more."""
    if message.recipient_id:
        push_unread(user_id=message.recipient_id)


@receiver(direct_messages_read_committed, dispatch_uid="inbox.live.direct_messages_read")
def direct_messages_read(sender, *, user_id, **kwargs):
    """The reader's direct-message badge counts fewer."""
    push_unread(user_id=user_id)


@receiver(notifications_unread_changed_committed, dispatch_uid="inbox.live.notifications_unread")
def notifications_unread_changed(sender, *, user_id, **kwargs):
    push_unread(user_id=user_id)


# Edits and deletions keep the row (ids only grow; a deleted message keeps its place with
# `deleted_at`), so a save of an existing message is one of the two, whichever service made it.
@receiver(post_save, sender=RoomMessage, dispatch_uid="inbox.live.message_changed")
def message_changed(sender, *, instance, created, raw=False, **kwargs):
    if created or raw:
        return  # new messages are pushed on room_message_posted_committed
    event = "deleted" if instance.deleted_at is not None else "edited"
    transaction.on_commit(
        partial(
            push_room_message,
            room_id=instance.room_id,
            message_id=instance.pk,
            author_id=instance.author_id,
            event=event,
        ),
        robust=True,  # a push that fails is logged; the edit stands
    )


# Every way a membership ends deletes its row: the enrolment ended (the rooms receivers of the
# courses signals), the member left or was removed, the room was deleted (cascade).
@receiver(post_delete, sender=RoomMember, dispatch_uid="inbox.live.membership_ended")
def membership_ended(sender, *, instance, **kwargs):
    transaction.on_commit(
        partial(push_membership_ended, room_id=instance.room_id, user_id=instance.user_id),
        robust=True,
    )
