"""What every app's API shares: the error schema, the error responses, and list pagination."""

import inspect
from enum import StrEnum
from functools import wraps
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from ninja import Field, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.params.models import File as FileParam
from ninja.params.models import Form as FormParam
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .error_codes import CODES
from .validators import CODE, text_problem

# A named enum (one `ErrorCode` component in the OpenAPI schema, one type in a generated client).
ErrorCode = StrEnum("ErrorCode", {code: code for code in CODES})
ErrorCode.__doc__ = (
    "The stable reason of a refusal: clients branch on it, never on `detail`."
    + "".join(f"\n- `{code}`: {meaning}" for code, meaning in CODES.items())
)


class _Multiline:
    """Marks a text field of an input schema that may hold several lines."""


MULTILINE = _Multiline()
MultilineText = Annotated[str, MULTILINE]


def _is_multiline(annotation, metadata=()) -> bool:
    if MULTILINE in metadata:
        return True
    if get_origin(annotation) is Annotated:
        _base, *extra = get_args(annotation)
        if MULTILINE in extra:
            return True
    return any(_is_multiline(arg) for arg in get_args(annotation))


def _check_text(value, *, multiline: bool):
    if isinstance(value, str):
        problem = text_problem(value, multiline=multiline)
        if problem:
            raise PydanticCustomError(CODE, problem)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check_text(item, multiline=multiline)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, multiline=False)
            _check_text(item, multiline=multiline)


class InputSchema(Schema):
    """The base of every request body (`<Entity>In`, `<Entity>Patch`, form and nested input schemas).

    - A field the schema does not name answers 422 naming it: a client never believes that `owner`
      or `status` was set when it was dropped.
    - Text is one line without control characters (as the models' CharFields); a `MultilineText`
      field keeps tabs and line breaks and refuses other control characters (as their TextFields).
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_control_characters(cls, value, info: ValidationInfo):
        field = cls.model_fields[info.field_name]
        _check_text(value, multiline=_is_multiline(field.annotation, field.metadata))
        return value


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _declared_parts(view_func) -> set[str]:
    """The form fields and file parts an operation declares (`Form[Schema]`, `File[UploadedFile]`)."""
    try:
        hints = get_type_hints(view_func, include_extras=True)
    except (NameError, TypeError):
        return set()
    names: set[str] = set()
    for name in inspect.signature(view_func).parameters:
        hint = hints.get(name)
        if get_origin(hint) is not Annotated:
            continue
        base, *metadata = get_args(hint)
        for source in metadata:
            if (
                isinstance(source, FormParam)
                and isinstance(base, type)
                and issubclass(base, BaseModel)
            ):
                names |= {field.alias or key for key, field in base.model_fields.items()}
            elif isinstance(source, FormParam | FileParam):
                names.add(source.alias or name)
    return names


def reject_undeclared_form_parts(view_func):
    """An operation decorator for the whole API: a form field or file part the operation does not
    declare answers 422 naming it, as an unknown JSON field does (InputSchema). Ninja builds form
    input from the fields it knows and would drop the rest without a word."""
    declared = _declared_parts(view_func)

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if request.content_type in FORM_TYPES:
            unknown = sorted({*request.POST, *request.FILES} - declared)
            if unknown:
                raise NinjaValidationError(
                    [
                        {"type": "extra_forbidden", "loc": ("form", name), "msg": EXTRA_MESSAGE}
                        for name in unknown
                    ]
                )
        return view_func(request, *args, **kwargs)

    return wrapper


EXTRA_MESSAGE = "Extra inputs are not permitted"  # pydantic's words for an unknown JSON field


class ErrorOut(Schema):
    detail: str = Field(..., examples=["Some fields are not valid."])
    errors: dict[str, list[str]] = Field(
        default_factory=dict, examples=[{"email": ["Enter a valid email address."]}]
    )
    code: ErrorCode = Field(..., examples=["slot_taken"])


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


def in_callers_language(run):
    """Answer in the caller's language (language cookie or `Accept-Language`, English by default).
    The site's LocaleMiddleware pins unprefixed paths such as /api/ to English; this wraps the whole
    operation, serialisation and error messages included."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        with translation.override(translation.get_language_from_request(request)):
            return run(request, *args, **kwargs)

    return wrapper
