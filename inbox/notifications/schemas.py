from datetime import datetime

from ninja import Field, Schema
from pydantic import model_validator

from authentication.schemas import PersonBrief
from cplatform.api_base import InputSchema, sort_enum
from cplatform.api_http import AbsoluteURL
from cplatform.api_types import WallClockTime

from .models import NotificationKind

ID = {"ge": 1, "le": 2**63 - 1}
MAX_IDS = 1000

NotificationSort = sort_enum("NotificationSort", {"created": ("created_at",)})


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    text: str = Field(..., description="What happened, in the reader's language and time zone.")
    actor: PersonBrief | None = Field(..., description="Who did it (null: the system).")
    child: PersonBrief | None = Field(
        ..., description="A guardian's copy: the child it is about (null otherwise)."
    )
    url: AbsoluteURL | None = Field(..., description="The page to act on it.")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_text(obj):
        from .services import render_text

        return render_text(obj)

    @staticmethod
    def resolve_url(obj):
        return obj.url or None


class NotificationReadIn(InputSchema):
    ids: list[int] | None = Field(
        None,
        max_length=MAX_IDS,
        description="Your notifications to mark read (others' ids are ignored like missing ones).",
    )
    all: bool = Field(False, description="Mark every notification of yours read.")

    @model_validator(mode="after")
    def _one_of(self):
        if self.all == (self.ids is not None):
            raise ValueError("Give either `ids` or `all: true`.")
        for value in self.ids or ():
            if not ID["ge"] <= value <= ID["le"]:
                raise ValueError("Each id is a positive integer.")
        return self


class UnreadCountOut(Schema):
    unread: int = Field(..., description="Your unread notifications.")


class KindChannels(Schema):
    kind: NotificationKind
    in_app: bool = Field(..., description="Shown in the feed on the site.")
    email: bool = Field(..., description="Sent by email (at once, held or in the digest).")


class KindChannelsIn(InputSchema):
    kind: NotificationKind
    in_app: bool
    email: bool


class NotificationSettingsOut(Schema):
    channels: list[KindChannels] = Field(..., description="Every kind with its channels.")
    daily_digest: bool = Field(
        ..., description="One email a day (07:00 in your zone) instead of an email each time."
    )
    quiet_start: WallClockTime | None = Field(
        ..., description="Quiet hours from (your zone): emails wait until they end."
    )
    quiet_end: WallClockTime | None
    children_lesson_changes: bool = Field(
        ...,
        description="A parent also hears of their children's lessons booked, moved or cancelled.",
    )


class NotificationSettingsIn(InputSchema):
    channels: list[KindChannelsIn] = Field(
        default_factory=list,
        max_length=len(NotificationKind.values),
        description="Kinds left out go back to their defaults; a kind at most once.",
    )
    daily_digest: bool = False
    quiet_start: WallClockTime | None = None
    quiet_end: WallClockTime | None = None
    children_lesson_changes: bool = True
