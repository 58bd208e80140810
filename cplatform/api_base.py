"""What every app's API shares: the error schema, the error responses, and list pagination."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class ErrorOut(Schema):
    detail: str = Field(..., examples=["Some fields are not valid."])
    errors: dict[str, list[str]] = Field(
        default_factory=dict, examples=[{"email": ["Enter a valid email address."]}]
    )


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """Declare error answers in the OpenAPI schema: `response={200: X, **errors(401, 404)}`.

    422 (input that cannot be processed: wrong types, NUL characters…) is declared on every operation.
    """
    return dict.fromkeys({*codes, 422}, ErrorOut)


AUTH_ERRORS = (401, 403)


class LimitOffset(PaginationBase):
    """`?limit=&offset=` (limit ≤ API_MAX_PAGE_SIZE) → `{count, limit, offset, items}`."""

    class Input(Schema):
        limit: int = Field(
            20, ge=1, le=settings.API_MAX_PAGE_SIZE, description="Page size (1–100)."
        )
        offset: int = Field(0, ge=0, le=10_000_000, description="Items to skip.")

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, **params):
        offset, limit = pagination.offset, pagination.limit
        count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        return {
            "count": count,
            "limit": limit,
            "offset": offset,
            "items": list(queryset[offset : offset + limit]),
        }
