from datetime import datetime

from ninja import Field, Schema

from authentication.schemas import PersonBrief
from cplatform.api_base import InputSchema, MultilineText

from .models import REPORT_TEXT_MAX_LENGTH, ReportAction, ReportReason, ReportStatus


class BlockIn(InputSchema):
    user_id: int = Field(
        ...,
        description="The person to block: someone you may write to or have exchanged a message "
        "with (anyone else answers 404, like an unknown id). Admins cannot be blocked (422).",
    )


class BlockOut(Schema):
    id: int
    user: PersonBrief = Field(..., description="The person you blocked (they are not told).")
    created_at: datetime

    @staticmethod
    def resolve_user(obj):
        return obj.blocked


class ReportIn(InputSchema):
    reason: ReportReason
    text: MultilineText = Field(
        "", max_length=REPORT_TEXT_MAX_LENGTH, description="What happened, in your words."
    )


class ReportOut(Schema):
    id: int
    message_id: int = Field(..., description="The reported direct message.")
    reporter: PersonBrief
    reason: ReportReason
    text: str
    status: ReportStatus
    action: ReportAction = Field(..., description="What the admins did, once handled.")
    created_at: datetime
    handled_at: datetime | None
