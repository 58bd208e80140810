"""The JSON API of blocks and reports (inbox/safety). The admins' moderation queue itself is in
the Wagtail admin (inbox/wagtail_hooks.py); `GET /reports` lists it for admins too."""

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from authentication.api_auth import auth_for
from cplatform.api_base import LimitOffset, errors, sort_enum, sort_field, sorted_by
from cplatform.api_http import location

from .models import ReportStatus
from .schemas import BlockIn, BlockOut, ReportIn, ReportOut
from .selectors import (
    block_get_for_user,
    block_list_for_user,
    report_get_for_user,
    report_list_for_user,
)
from .services import message_report, user_block, user_unblock

router = Router(tags=["safety"])
authenticated = auth_for()

BlockSort = sort_enum("BlockSort", {"created": ("created_at",)})
ReportSort = sort_enum("ReportSort", {"created": ("created_at",)})


class BlockFilters(Schema):
    sort: BlockSort = sort_field(BlockSort, "-created")


class ReportFilters(Schema):
    status: ReportStatus | None = None
    sort: ReportSort = sort_field(ReportSort, "-created")


@router.get("/blocks", response={200: list[BlockOut], **errors(401, 422)}, auth=authenticated)
@paginate(LimitOffset)
def list_blocks(request, filters: Query[BlockFilters]):
    """The people you blocked: no direct message goes either way between you."""
    return sorted_by(block_list_for_user(user=request.auth), filters.sort)


@router.post("/blocks", response={201: BlockOut, **errors(400, 401, 404, 422)}, auth=authenticated)
@location("api:retrieve_block", block_id="id")
def create_block(request, payload: BlockIn):
    """Block a person: neither of you can message the other, and they are not told. Blocking
    someone already blocked answers the same block."""
    return Status(201, user_block(actor=request.auth, user_id=payload.user_id))


@router.get(
    "/blocks/{block_id}", response={200: BlockOut, **errors(401, 404, 422)}, auth=authenticated
)
def retrieve_block(request, block_id: int):
    """One of your blocks (another person's answers 404)."""
    return block_get_for_user(user=request.auth, block_id=block_id)


@router.delete(
    "/blocks/{block_id}", response={204: None, **errors(401, 404, 422)}, auth=authenticated
)
def delete_block(request, block_id: int):
    """Unblock: messages may go both ways again (if the rule of who may write to whom allows)."""
    block = block_get_for_user(user=request.auth, block_id=block_id)
    user_unblock(actor=request.auth, user_id=block.blocked_id)
    return Status(204, None)


@router.post(
    "/messages/{message_id}/report",
    response={201: ReportOut, **errors(400, 401, 404, 409, 422)},
    auth=authenticated,
)
@location("api:retrieve_report", report_id="id")
def report_message(request, message_id: int, payload: ReportIn):
    """Report a message you received (or, as a guardian, read in your child's thread) to the
    admins. Only a reader who is not its sender may (others: 404); one open report per message
    (409 `already_reported`)."""
    report = message_report(
        actor=request.auth, message_id=message_id, reason=payload.reason, text=payload.text
    )
    return Status(201, report)


@router.get("/reports", response={200: list[ReportOut], **errors(401, 422)}, auth=authenticated)
@paginate(LimitOffset)
def list_reports(request, filters: Query[ReportFilters]):
    """Your reports and what became of them; for admins, every report (the moderation queue),
    filtered by `status`."""
    reports = report_list_for_user(user=request.auth, status=filters.status)
    return sorted_by(reports, filters.sort)


@router.get(
    "/reports/{report_id}", response={200: ReportOut, **errors(401, 404, 422)}, auth=authenticated
)
def retrieve_report(request, report_id: int):
    """One of your reports (admins: any report)."""
    return report_get_for_user(user=request.auth, report_id=report_id)
