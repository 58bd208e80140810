from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from authentication.schemas import PersonBrief
from cplatform.api_base import InputSchema

from ..choices import SubscriptionStatus


class PlanOut(Schema):
    id: int
    name: str
    teacher: PersonBrief
    lesson_minutes: int
    credits_per_month: int = Field(..., description="Lesson credits granted each paid month.")
    rollover_cap: int = Field(..., description="Unused credits that carry into the next month.")
    price: Decimal = Field(..., description="A month's price, in `currency` (two decimals).")
    currency: str

    @staticmethod
    def resolve_teacher(obj):
        return {"user_id": obj.teacher_id, "name": obj.teacher.name}


class SubscriptionOut(Schema):
    id: int
    plan: PlanOut
    student: PersonBrief
    payer: PersonBrief
    method: str
    status: SubscriptionStatus
    current_period_start: datetime | None
    current_period_end: datetime | None
    cancel_at_period_end: bool = Field(
        ..., description="True: it ends when the current period ends; nothing more is billed."
    )
    paused_at: datetime | None
    cancelled_at: datetime | None

    @staticmethod
    def resolve_student(obj):
        return {"user_id": obj.student_id, "name": obj.student.name}

    @staticmethod
    def resolve_payer(obj):
        return {"user_id": obj.payer_id, "name": obj.payer.name}


class SubscriptionCancelIn(InputSchema):
    at_period_end: bool = Field(
        True, description="True (default): at the period's end; false: at once (admins, refunds)."
    )
