"""Writes of the inbox's safety part: blocking, reporting a message to the admins, and the admins'
actions on a report (dismiss, remove the message, block the sender from the reporter, suspend the
sender's messaging). Each action records who did it, when, what and why on the report."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from postman.models import Message

from authentication.roles import is_admin
from cplatform.exceptions import Conflict, NotFound, ValidationFailed

from ..models import UserBlock
from .models import (
    MessageReport,
    MessagingSuspension,
    ReportAction,
    ReportStatus,
)
from .selectors import blockable_user_get, message_get_for_reporter, user_block_check

ADMIN_NOT_BLOCKABLE = "admin_not_blockable"


def user_block(*, actor, user_id: int) -> UserBlock:
    """`actor` blocks the person: no direct message goes either way while the block holds, and the
    person is not told. Someone `actor` may not see is 404; an admin is 422 `admin_not_blockable`;
    an admin blocking is 422 `admin_cannot_block`. Blocking twice answers the existing block."""
    target = blockable_user_get(actor=actor, user_id=user_id)
    user_block_check(actor=actor, target=target)
    with transaction.atomic():
        block, _created = UserBlock.objects.get_or_create(blocker=actor, blocked=target)
    return block


def user_unblock(*, actor, user_id: int) -> None:
    """Lift `actor`'s block of the person (nothing to lift is fine: idempotent)."""
    UserBlock.objects.filter(blocker=actor, blocked_id=user_id).delete()


def message_report(*, actor, message_id: int, reason: str, text: str = "") -> MessageReport:
    """A reader of the message who did not send it reports it to the admins (anyone else: 404). One
    open report per person and message (409 `already_reported`)."""
    message = message_get_for_reporter(user=actor, message_id=message_id)
    if MessageReport.objects.filter(
        message=message, reporter=actor, status=ReportStatus.OPEN
    ).exists():
        raise _already_reported()
    try:
        with transaction.atomic():
            return MessageReport.objects.create(
                message=message, reporter=actor, reason=reason, text=text.strip()
            )
    except IntegrityError:  # the same report sent twice at once
        raise _already_reported() from None


def _already_reported() -> Conflict:
    return Conflict(
        _("You have already reported this message; the admins are looking at it."),
        code="already_reported",
    )


# --- the admins' actions -----------------------------------------------------------------------------


def _handle(*, actor, report_id: int, action: str, note: str) -> MessageReport:
    """Lock the open report and record who handles it, when, with what and why."""
    if not is_admin(actor):
        raise NotFound
    report = (
        MessageReport.objects.select_for_update()
        .select_related("message", "reporter")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound
    if report.status != ReportStatus.OPEN:
        raise Conflict(_("This report was already handled."), code="report_not_open")
    report.status = ReportStatus.DISMISSED if action == ReportAction.NONE else ReportStatus.ACTIONED
    report.action = action
    report.note = note.strip()
    report.handled_by = actor
    report.handled_at = timezone.now()
    return report


def report_dismiss(*, actor, report_id: int, note: str = "") -> MessageReport:
    with transaction.atomic():
        report = _handle(actor=actor, report_id=report_id, action=ReportAction.NONE, note=note)
        report.save()
    return report


def report_remove_message(*, actor, report_id: int, note: str = "") -> MessageReport:
    """Hide the message from both sides: postman's deleted marks for both, and its text blanked. The
    text stays on the report (`removed_body`), so the record of what was said is kept."""
    with transaction.atomic():
        report = _handle(
            actor=actor, report_id=report_id, action=ReportAction.REMOVE_MESSAGE, note=note
        )
        message = Message.objects.select_for_update().get(pk=report.message_id)
        report.removed_body = message.body
        now = timezone.now()
        message.body = ""
        message.sender_deleted_at = message.sender_deleted_at or now
        message.recipient_deleted_at = message.recipient_deleted_at or now
        message.save(update_fields=["body", "sender_deleted_at", "recipient_deleted_at"])
        report.save()
    return report


def report_block_sender(*, actor, report_id: int, note: str = "") -> MessageReport:
    """The reporter blocks the message's sender (made by the admin on their behalf)."""
    with transaction.atomic():
        report = _handle(
            actor=actor, report_id=report_id, action=ReportAction.BLOCK_SENDER, note=note
        )
        sender = report.message.sender
        _refuse_admin(sender)
        UserBlock.objects.get_or_create(blocker=report.reporter, blocked=sender)
        report.save()
    return report


def report_suspend_sender(*, actor, report_id: int, note: str = "") -> MessageReport:
    """The sender may write to admins only until an admin lifts it (inbox/rules.py)."""
    with transaction.atomic():
        report = _handle(
            actor=actor, report_id=report_id, action=ReportAction.SUSPEND_SENDER, note=note
        )
        sender = report.message.sender
        _refuse_admin(sender)
        MessagingSuspension.objects.current().get_or_create(
            user=sender,
            defaults={"created_by": actor, "report": report, "reason": report.note},
        )
        report.save()
    return report


def messaging_suspension_lift(*, actor, user_id: int) -> MessagingSuspension | None:
    """An admin lifts the person's current suspension: they write to anyone the rule allows again.
    The row stays, with who lifted it and when. Nothing to lift answers None (a second lift, or two
    admins at once, changes nothing)."""
    if not is_admin(actor):
        raise NotFound
    with transaction.atomic():
        suspension = (
            MessagingSuspension.objects.current()
            .select_for_update()
            .filter(user_id=user_id)
            .first()
        )
        if suspension is None:
            return None
        suspension.lifted_by = actor
        suspension.lifted_at = timezone.now()
        suspension.save(update_fields=["lifted_by", "lifted_at"])
    return suspension


def _refuse_admin(user) -> None:
    if is_admin(user):
        raise ValidationFailed(
            _("The sender is an admin: admins cannot be blocked or suspended."),
            code=ADMIN_NOT_BLOCKABLE,
        )
