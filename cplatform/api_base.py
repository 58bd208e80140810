"""What every app's API shares: the error schema, the error responses, and list pagination."""

import inspect
from functools import wraps
from typing import Annotated, Any, Literal, get_args, get_origin, get_type_hints

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.params.models import File as FileParam
from ninja.params.models import Form as FormParam
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .error_codes import CODES, FIELD_CODES
from .validators import CODE, text_problem

ErrorCode = Literal[tuple(CODES)]  # an enum in the OpenAPI schema
# A per-field code: the input codes, or a domain refusal's code on the field it names.
FieldErrorCode = Literal[tuple({**FIELD_CODES, **CODES})]


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
    """Every error of the API (cplatform/api_errors.py). `errors` and `error_codes` have the same
    fields and lists of the same length: the n-th code is the reason of the n-th message."""

    detail: str = Field(
        ..., examples=["Some fields are not valid."], description="For people, in their language."
    )
    code: ErrorCode = Field(
        ...,
        description="The stable reason of the refusal: clients branch on it, never on `detail`.\n"
        + "".join(f"\n- `{code}`: {meaning}" for code, meaning in CODES.items()),
        examples=["invalid"],
    )
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Messages by field (`__all__`: the request as a whole), in the person's language.",
        examples=[{"email": ["Enter a valid email address."]}],
    )
    error_codes: dict[str, list[FieldErrorCode]] = Field(
        default_factory=dict,
        description="The stable reason of each message of `errors`, by field. A field that does not "
        "validate carries one of these; a field refused by a rule of the domain carries the "
        "refusal's `code` (e.g. `slot_taken` on `start`).\n"
        + "".join(f"\n- `{code}`: {meaning}" for code, meaning in FIELD_CODES.items()),
        examples=[{"email": ["invalid"]}],
    )


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """Declare error answers in the OpenAPI schema: `response={200: X, **errors(401, 404)}`.

    Declared on every operation: 422 (input that does not validate: wrong types, unknown fields,
    NUL characters, a rule of the field) and 401 (a bad or expired `X-Session-Token` answers 401
    everywhere, public operations included).
    """
    return dict.fromkeys({*codes, 401, 422}, ErrorOut)


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
