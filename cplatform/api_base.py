"""What every app's API shares: the error schema, the error responses, and list pagination."""

import inspect
from collections.abc import Mapping
from enum import StrEnum
from functools import wraps
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from ninja import Field, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.params.models import File as FileParam
from ninja.params.models import Form as FormParam
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .error_codes import CODES, FIELD_CODES
from .exceptions import InvalidQuery
from .validators import CODE, text_problem

# A named enum (one `ErrorCode` component in the OpenAPI schema, one type in a generated client).
ErrorCode = StrEnum("ErrorCode", {code: code for code in CODES})
ErrorCode.__doc__ = (
    "The stable reason of a refusal: clients branch on it, never on `detail`."
    + "".join(f"\n- `{code}`: {meaning}" for code, meaning in CODES.items())
)
# A per-field code: the input codes, or a domain refusal's code on the field it names.
FieldErrorCode = StrEnum("FieldErrorCode", {code: code for code in {**FIELD_CODES, **CODES}})
FieldErrorCode.__doc__ = "The stable reason of one field's message."


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


class _BlankWhenCleared:
    """Marks a nullable text field of a PatchSchema stored as a blank string: null clears it to ""."""


BLANK_WHEN_CLEARED = _BlankWhenCleared()

PATCH_RULE = (
    "**PATCH**: a field left out keeps its value; `null` clears a field whose type allows null (text "
    'becomes `""`, anything else `null`); `null` on any other field answers 422 with '
    '`error_codes: {field: ["not_nullable"]}`. Lists and maps are emptied with `[]` / `{}`.'
)


DELETE_RULE = (
    "**DELETE**, repeated: a DELETE whose path ends in the id of what it removes answers the repeat "
    "with 404 `not_found`, like any missing object; a DELETE of a singleton of the caller's (a path "
    "ending in a word: `/me/avatar`, `/calendar-feed`, `/lessons/{lesson_id}/seat`, "
    "`…/modules/{module_id}/complete`) is idempotent and answers the repeat as it answered the first."
)


def delete_repeats_as_missing(path: str) -> bool:
    """Whether a repeated DELETE of `path` answers 404 (DELETE_RULE): its path ends in an id."""
    return path.rstrip("/").endswith("}")


def _allows_null(field) -> bool:
    annotation = field.annotation
    return annotation is type(None) or type(None) in get_args(annotation)


class PatchSchema(InputSchema):
    """The base of every PATCH body (`<Entity>Patch`): one meaning of a field left out and of `null`.

    - A field left out keeps its value: read the body with `changes()` (only the fields sent).
    - `null` clears a field whose annotation allows None, to NULL, or to "" for text stored as a
      blank string: annotate those `Annotated[str | None, BLANK_WHEN_CLEARED]` (`ClearableText`).
    - `null` on a field whose annotation does not allow None (a required field, a flag, a list or a
      map: `[]` / `{}` empty those) answers 422 naming it, with the field code `not_nullable`.
    Declare every field with the default `None` (never applied: `changes()` leaves it out).
    """

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null_where_it_does_not_clear(cls, value, info: ValidationInfo):
        if value is None and not _allows_null(cls.model_fields[info.field_name]):
            raise PydanticCustomError("not_nullable", "This field cannot be null.")
        return value

    def changes(self, **dump) -> dict[str, Any]:
        """The fields sent, `null` turned into each field's empty value (see the class)."""
        data = self.model_dump(exclude_unset=True, **dump)
        for name, value in data.items():
            if value is None and BLANK_WHEN_CLEARED in type(self).model_fields[name].metadata:
                data[name] = ""
        return data


ClearableText = Annotated[str | None, BLANK_WHEN_CLEARED]
ClearableMultilineText = Annotated[MultilineText | None, BLANK_WHEN_CLEARED]


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


MAX_PAGE = settings.API_MAX_PAGE_SIZE

PAGINATION_DESCRIPTION = (
    f"A page of at most `limit` items (1–{MAX_PAGE}; a larger `limit` is refused with 422, never "
    "cut silently) after `offset` items. `count` is the whole list; `has_more` says whether a "
    "next page exists and `next` is its absolute URL (null on the last page)."
)


class LimitOffset(PaginationBase):
    """`?limit=&offset=` → `{count, limit, offset, has_more, next, items}`: the one envelope of every
    paginated list. A `limit` above API_MAX_PAGE_SIZE answers 422 on every list (a client asking
    for more than it gets would otherwise believe it has the whole list)."""

    class Input(Schema):
        limit: int = Field(
            20,
            ge=1,
            le=MAX_PAGE,
            description=f"Page size, 1–{MAX_PAGE} (default 20); more is refused with 422.",
        )
        offset: int = Field(0, ge=0, le=10_000_000, description="Items to skip.")

    class Output(Schema):
        count: int = Field(..., description="Items in the whole list (every page).")
        limit: int
        offset: int
        has_more: bool = Field(..., description="Whether items follow this page.")
        next: str | None = Field(
            ...,
            description="The absolute URL of the next page (same filters and sort), or null.",
            examples=["https://example.com/api/v1/lessons?limit=20&offset=20"],
        )
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request=None, **params):
        offset, limit = pagination.offset, pagination.limit
        count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        has_more = offset + limit < count
        return {
            "count": count,
            "limit": limit,
            "offset": offset,
            "has_more": has_more,
            "next": _page_url(request, limit=limit, offset=offset + limit) if has_more else None,
            "items": list(queryset[offset : offset + limit]),
        }


def _page_url(request, *, limit: int, offset: int) -> str | None:
    if request is None:
        return None
    query = request.GET.copy() if request.GET else QueryDict(mutable=True)
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


# --- sorting -----------------------------------------------------------------------------------------

_SORT_FIELDS: dict[type, dict[str, tuple[str, ...]]] = {}


def sort_enum(name: str, keys: Mapping[str, tuple[str, ...]]) -> type[StrEnum]:
    """The `sort` values of one list as a named enum (a component of the OpenAPI schema): each key
    ascending and, with a `-` prefix, descending. `keys` maps a key to the model fields it orders by
    (the first field is the key itself; the others break ties); the primary key always ends the
    order, so pages never overlap or skip a row."""
    members = []
    for key in keys:
        members += [(key.upper(), key), (f"{key.upper()}_DESC", f"-{key}")]
    enum = StrEnum(name, members)
    enum.__doc__ = "Sort keys: `key` ascending, `-key` descending."
    _SORT_FIELDS[enum] = dict(keys)
    return enum


def sorted_by(qs: QuerySet, sort: StrEnum) -> QuerySet:
    """`qs` in the order `sort` (a member of a `sort_enum`) names."""
    descending = sort.value.startswith("-")
    fields = _SORT_FIELDS[type(sort)][sort.value.removeprefix("-")]
    flip = (lambda f: f[1:] if f.startswith("-") else f"-{f}") if descending else (lambda f: f)
    return qs.order_by(*(flip(f) for f in (*fields, "pk")))


def sort_field(enum: type[StrEnum], default: str | None, *, note: str = "") -> Any:
    """The `sort` query field of a list: the enum, its default, and what it means."""
    keys = ", ".join(f"`{m.value}`" for m in enum)
    description = f"Order of the list: one of {keys} (`-` = descending)."
    if default is not None:
        description += f" Default: `{default}`."
    if note:
        description += f" {note}"
    return Field(enum(default) if default is not None else None, description=description)


def refuse_query_values(problems: Mapping[str, str], *, code: str = "invalid") -> None:
    """Answer 422 naming each query parameter whose value names nothing (an unknown subject slug…),
    as for a value outside an enum: never an empty page that reads as "no such courses"."""
    if problems:
        raise InvalidQuery(
            errors={name: [message] for name, message in problems.items()}, code=code
        )


# --- the zone times are written in ------------------------------------------------------------------

RENDER_ZONE = "_api_render_zone"


def render_times_in(request, tzinfo) -> None:
    """Write the answer's times in `tzinfo` (a list's `tz` parameter): the instants stay the same,
    their offset changes. Output schemas opt in with `in_render_zone`."""
    setattr(request, RENDER_ZONE, tzinfo)


def in_render_zone(value, info: ValidationInfo):
    """A field validator of an output schema: `value` (an aware datetime) in the zone the operation
    asked for with `render_times_in`, unchanged otherwise (UTC as stored)."""
    request = (info.context or {}).get("request") if isinstance(info.context, dict) else None
    tzinfo = getattr(request, RENDER_ZONE, None)
    if tzinfo is None or value is None or getattr(value, "tzinfo", None) is None:
        return value
    return value.astimezone(tzinfo)


# --- unknown query parameters ------------------------------------------------------------------------


def _declared_query(view_func) -> set[str]:
    operation = getattr(view_func, "_ninja_operation", None)
    if operation is None:
        return set()
    names: set[str] = set()
    for model in operation.models:
        if model.__ninja_param_source__ == "query":
            names |= set(getattr(model, "__ninja_flatten_map__", None) or model.model_fields)
    return names


def reject_undeclared_query_params(view_func):
    """An operation decorator for the whole API: a query parameter the operation does not declare
    answers 422 naming it (`errors: {"studnet_id": ["Extra inputs are not permitted"]}`), on
    every method. Ninja would ignore it, and a client that misspells a filter (or sends one this
    list does not have) would take the unfiltered list for the filtered one."""
    declared: set[str] | None = None

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        nonlocal declared
        if declared is None:
            declared = _declared_query(view_func)
        unknown = sorted(set(request.GET) - declared)
        if unknown:
            raise NinjaValidationError(
                [
                    {"type": "extra_forbidden", "loc": ("query", name), "msg": EXTRA_MESSAGE}
                    for name in unknown
                ]
            )
        return view_func(request, *args, **kwargs)

    return wrapper
