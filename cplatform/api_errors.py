"""The API's one error shape and what feeds it: the per-field codes and messages derived from pydantic
errors and Django ValidationErrors, in the caller's language.

    {"detail": "...", "code": "...", "errors": {field: [message, ...]},
     "error_codes": {field: [code, ...]}}

`errors` and `error_codes` have the same keys and lists of the same length: the n-th code is the
reason of the n-th message. Codes come from cplatform/error_codes.py (`CODES` overall, `FIELD_CODES`
or the domain error's own code per field). Used by the API's exception handlers and by the
middleware answers under /api/ (401 for a bad session token, 404, 405, 400), so every error of the
API has this shape."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from .error_codes import CODES, FIELD_CODES

# pydantic's error `type` → the field code.
PYDANTIC_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "string_too_short": "too_short",
    "too_short": "too_short",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "greater_than": "too_small",
    "greater_than_equal": "too_small",
    "less_than": "too_large",
    "less_than_equal": "too_large",
    "control_characters": "control_characters",
    "not_nullable": "not_nullable",  # cplatform.api_base.PatchSchema
}

# Django's ValidationError `code` → the field code (the ones FIELD_CODES names pass as they are).
DJANGO_CODES = {
    "blank": "required",
    "null": "required",
    "max_length": "too_long",
    "min_length": "too_short",
    "max_value": "too_large",
    "min_value": "too_small",
}


def field_code(code: str | None, *, source: dict[str, str]) -> str:
    code = source.get(code or "", code)
    return code if code in FIELD_CODES else "invalid"


def _pydantic_message(error: dict) -> str:
    """pydantic's message in the active language for the common kinds, its English otherwise."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])  # our own validators' message, translated when raised
    simple = {
        "missing": _("This field is required."),
        "extra_forbidden": _("This operation does not take this field."),
        "not_nullable": _("This field cannot be cleared: leave it out to keep its value."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "decimal_type": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "string_type": _("Enter text."),
        "date_parsing": _("Enter a valid date."),
        "date_from_datetime_parsing": _("Enter a valid date."),
        "date_from_datetime_inexact": _("Enter a valid date."),
        "date_type": _("Enter a valid date."),
        "datetime_parsing": _("Enter a valid date and time."),
        "datetime_from_date_parsing": _("Enter a valid date and time."),
        "datetime_type": _("Enter a valid date and time."),
        "time_parsing": _("Enter a valid time."),
        "time_type": _("Enter a valid time."),
        "uuid_parsing": _("Enter a valid UUID."),
        "url_parsing": _("Enter a valid URL."),
        "list_type": _("Enter a list."),
        "dict_type": _("Enter an object."),
        "model_type": _("Enter an object."),
        "model_attributes_type": _("Enter an object."),
        "json_invalid": _("Send valid JSON."),
    }
    if kind in simple:
        return simple[kind]
    with_limit = {
        "string_too_short": _("Enter at least %(limit)s characters."),
        "string_too_long": _("Enter at most %(limit)s characters."),
        "too_short": _("Give at least %(limit)s items."),
        "too_long": _("Give at most %(limit)s items."),
        "greater_than": _("Enter a value greater than %(limit)s."),
        "greater_than_equal": _("Enter a value greater than or equal to %(limit)s."),
        "less_than": _("Enter a value less than %(limit)s."),
        "less_than_equal": _("Enter a value less than or equal to %(limit)s."),
    }
    limit_key = {
        "string_too_short": "min_length",
        "string_too_long": "max_length",
        "too_short": "min_length",
        "too_long": "max_length",
        "greater_than": "gt",
        "greater_than_equal": "ge",
        "less_than": "lt",
        "less_than_equal": "le",
    }
    if kind in with_limit and limit_key[kind] in ctx:
        return with_limit[kind] % {"limit": ctx[limit_key[kind]]}
    if kind in ("literal_error", "enum") and "expected" in ctx:
        return _("Choose one of: %(choices)s.") % {"choices": ctx["expected"]}
    return str(error.get("msg") or _("Enter a valid value."))


def pydantic_field_errors(errors) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """`errors` and `error_codes` of a pydantic (ninja) validation error, by field path."""
    messages: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    union_fields: set[str] = set()
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        # Drop the location and the `payload` argument in front, not a field that is called `body`.
        if loc and loc[0] in ("body", "query", "path", "form", "payload"):
            loc = loc[1:]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        # A union's members add their tags to the path (`str-enum[FreeCancellationOutcome]`,
        # `literal['']`): the field is what precedes them, and it gets the first member's message.
        member = next((i for i, part in enumerate(loc) if "[" in part), None)
        if member is not None:
            loc = loc[:member]
        field = ".".join(loc) or "__all__"
        if member is not None and field in union_fields:
            continue
        if member is not None:
            union_fields.add(field)
        messages.setdefault(field, []).append(_pydantic_message(error))
        codes.setdefault(field, []).append(field_code(error.get("type"), source=PYDANTIC_CODES))
    return messages, codes


def django_field_errors(exc) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """`errors` and `error_codes` of a Django ValidationError (a form's or a model's)."""
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
    messages: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    for field, field_errors in by_field.items():
        name = "__all__" if field in (None, "") else field
        for error in field_errors:
            for single in error.error_list:
                text = single.message % single.params if single.params else single.message
                messages.setdefault(name, []).append(str(text))
                codes.setdefault(name, []).append(field_code(single.code, source=DJANGO_CODES))
    return messages, codes


def domain_field_codes(errors: dict[str, list[str]], code: str) -> dict[str, list[str]]:
    """A domain refusal's fields carry its own code (`slot_taken` on `start`)."""
    return {field: [code] * len(messages) for field, messages in errors.items()}


def error_body(
    detail: str,
    *,
    code: str,
    errors: dict[str, list[str]] | None = None,
    error_codes: dict[str, list[str]] | None = None,
) -> dict:
    if code not in CODES:
        raise ValueError(f"Unknown error code {code!r}: list it in cplatform/error_codes.py")
    errors = errors or {}
    if error_codes is None:
        error_codes = domain_field_codes(errors, code)
    return {"detail": str(detail), "code": code, "errors": errors, "error_codes": error_codes}


def error_response(status: int, detail: str, *, code: str, **fields) -> JsonResponse:
    """An error answered before (or outside) the API's own handlers, in the same shape."""
    return JsonResponse(error_body(detail, code=code, **fields), status=status)
