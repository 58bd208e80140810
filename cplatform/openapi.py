"""The OpenAPI document as client generators and linters take it, built once for every operation.

`DocumentedAPI` is the project's NinjaAPI. What it adds to ninja's document, so that a new operation
gets it without a line of its own:

- operationIds in camelCase from the view's name (`book_lesson` → `bookLesson`): short, and stable
  when a module moves;
- `security: []` on public operations, and a relative `servers` entry;
- the error answers an operation can give, all with the shared error schema: 401 when it needs a
  sign-in, 403 when it is limited to roles, 404 when a path names an object, 422 when it takes input
  (plus what the operation declares itself, such as 409);
- an example for every request body and JSON answer, built from the schemas (field `examples` first)
  and so valid against them;
- named enum components used for input and output alike (an enum ninja inlined into a parameter is
  pointed back at its component), a parameter example as OpenAPI 3.1 wants it (`example`, not a list),
  and no unused components (ninja's pagination `Input`, the query-filter schemas);
- on every PATCH and DELETE, what `null` and a repeat mean (cplatform.api_base: PATCH_RULE,
  DELETE_RULE).
"""

import copy
import re
from typing import Any

from ninja import NinjaAPI

from .api_base import PATCH_RULE, delete_repeats_as_missing
from .error_codes import CODES

REF_PREFIX = "#/components/schemas/"
JSON = "application/json"
ERROR_SCHEMA = "ErrorOut"

# What each error status means on this API (the description of every such answer).
ERROR_MEANINGS: dict[int, str] = {
    400: "The request breaks a rule of the domain (`code` says which; `errors` names fields).",
    401: "No valid sign-in: the `X-Session-Token` (or session cookie) is missing, unknown or "
    "expired. Sign in again.",
    403: "Signed in, but the person's role or the object's rules do not allow this.",
    404: "No such object, or one the caller may not see (both answer the same).",
    409: "The request conflicts with the current state (`code` says how, e.g. `slot_taken`).",
    422: "The input cannot be processed: `errors` names each field and what is wrong with it.",
}

# The example error of each status (codes from cplatform/error_codes.py).
ERROR_EXAMPLES: dict[int, dict[str, Any]] = {
    400: {
        "detail": "Some fields are not valid.",
        "errors": {"length": ["The teacher does not offer lessons of that length."]},
        "code": "invalid",
    },
    401: {"detail": "Authentication required.", "errors": {}, "code": "not_authenticated"},
    403: {
        "detail": "You do not have permission to do this.",
        "errors": {},
        "code": "permission_denied",
    },
    404: {"detail": "Not found.", "errors": {}, "code": "not_found"},
    409: {
        "detail": "The teacher already has a lesson at that time.",
        "errors": {},
        "code": "slot_taken",
    },
    422: {
        "detail": "The request is not valid.",
        "errors": {"start": ["Input should be a valid datetime"]},
        "code": "invalid",
    },
}
assert all(e["code"] in CODES for e in ERROR_EXAMPLES.values())  # noqa: S101 - checked at import

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def camel_case(name: str) -> str:
    head, *rest = name.strip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest if part)


class DocumentedAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return camel_case(operation.view_func.__name__)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        operations = {
            (method.upper(), path): operation
            for path, operation, method in self._operations_by_path(schema["paths"])
        }
        finish_document(schema, operations)
        return schema

    def _operations_by_path(self, paths: dict):
        """(path in the document, ninja Operation, method) of every operation in the schema."""
        by_view = {}
        for bound_router in self._get_bound_routers():
            for path_view in bound_router.path_operations.values():
                for operation in path_view.operations:
                    operation_id = operation.operation_id or self.get_openapi_operation_id(
                        operation
                    )
                    by_view[operation_id] = operation
        for path, item in paths.items():
            for method, details in item.items():
                if method in HTTP_METHODS:
                    yield path, by_view.get(details.get("operationId")), method


def finish_document(schema: dict, operations: dict) -> None:
    """Complete ninja's document in place (see the module docstring)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if not schema.get("servers"):
        schema["servers"] = [{"url": "/", "description": "This site"}]
    # The project's licence (pyproject.toml), as Redocly's recommended rules ask.
    schema["info"].setdefault("license", {"name": "BSD-3-Clause", "identifier": "BSD-3-Clause"})
    enums = _named_enums(components)
    for path, item in schema["paths"].items():
        for method, details in item.items():
            if method not in HTTP_METHODS:
                continue
            operation = operations.get((method.upper(), path))
            _refer_to_named_enums(details, enums)
            _describe_write_rule(details, method, path)
            _finish_operation(details, operation, components)
    _refer_to_named_enums(components, enums, top=True)
    _unwrap_single_all_of(schema)
    _drop_unused_components(schema)


def _unwrap_single_all_of(node) -> None:
    """`{"allOf": [{"$ref": X}], "default": ...}` (pydantic's way to put a default beside a reference,
    needed before OpenAPI 3.1) → `{"$ref": X, "default": ...}`: the same schema, without a composition
    linters call illogical."""
    if isinstance(node, list):
        for item in node:
            _unwrap_single_all_of(item)
        return
    if not isinstance(node, dict):
        return
    parts = node.get("allOf")
    if isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], dict):
        inner = parts[0]
        if not set(inner) & (set(node) - {"allOf"}):
            del node["allOf"]
            node.update(inner)
    for value in node.values():
        _unwrap_single_all_of(value)


def _finish_operation(details: dict, operation, components: dict) -> None:
    if not details.get("security"):
        details["security"] = []  # public: say so, not "the default"
    for parameter in details.get("parameters", []):
        examples = parameter.get("examples")
        if isinstance(examples, list):  # JSON Schema's list belongs in the schema, not here
            parameter.pop("examples")
            if examples:
                parameter["example"] = examples[0]
    has_input = bool(details.get("parameters") or details.get("requestBody"))
    statuses = set()
    if details["security"]:
        statuses.add(401)
    if operation is not None and _limited_to_roles(operation):
        statuses.add(403)
    if any(p.get("in") == "path" for p in details.get("parameters", [])):
        statuses.add(404)
    if has_input:
        statuses.add(422)
    responses = details.setdefault("responses", {})
    for status in statuses:
        if status not in responses and str(status) not in responses:
            responses[status] = {"content": {JSON: {"schema": {"$ref": REF_PREFIX + ERROR_SCHEMA}}}}
    for status, answer in list(responses.items()):
        code = int(status)
        if code in ERROR_MEANINGS:
            answer["description"] = ERROR_MEANINGS[code]
            media = answer.get("content", {}).get(JSON)
            if media is not None and "example" not in media:
                media["example"] = copy.deepcopy(ERROR_EXAMPLES[code])
        elif 200 <= code < 300:
            for media_type, media in answer.get("content", {}).items():
                if media_type == JSON and "example" not in media:
                    media["example"] = example_for(media["schema"], components)
    details["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
    body = details.get("requestBody", {}).get("content", {}).get(JSON)
    if body is not None and "example" not in body:
        body["example"] = example_for(body["schema"], components, request=True)


def _describe_write_rule(details: dict, method: str, path: str) -> None:
    """Every PATCH and DELETE says what `null` and a repeat mean (cplatform.api_base)."""
    if method == "patch":
        rule = PATCH_RULE
    elif method == "delete":
        rule = "Repeated, this DELETE answers " + (
            "404 `not_found`: what it removed is gone, like any missing object."
            if delete_repeats_as_missing(path)
            else "as the first did (idempotent): it removes a singleton of the caller's."
        )
    else:
        return
    description = details.get("description", "").rstrip()
    details["description"] = f"{description}\n\n{rule}" if description else rule


def _limited_to_roles(operation) -> bool:
    return any(getattr(auth, "roles", None) for auth in operation.auth_callbacks or ())


# --- enums ---------------------------------------------------------------------------------------


def _named_enums(components: dict) -> dict[tuple, str]:
    return {
        (definition.get("title"), tuple(definition["enum"])): name
        for name, definition in components.items()
        if "enum" in definition
    }


def _refer_to_named_enums(node, enums: dict, *, top: bool = False) -> None:
    """Replace an enum ninja copied inline (a flattened query or form parameter) by a `$ref` to its
    component, so a generated client has one type per enum."""
    if isinstance(node, list):
        keys = range(len(node))
    elif isinstance(node, dict):
        keys = list(node)
    else:
        return
    for key in keys:
        value = node[key]
        if top:  # the components themselves: look inside each, never replace one by itself
            _refer_to_named_enums(value, enums)
            continue
        if isinstance(value, dict) and "enum" in value:
            name = enums.get((value.get("title"), tuple(value["enum"])))
            if name is not None:
                node[key] = {"$ref": REF_PREFIX + name}
                continue
        _refer_to_named_enums(value, enums)


# --- unused components ---------------------------------------------------------------------------


def _refs(node) -> set[str]:
    found = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            found.add(ref[len(REF_PREFIX) :])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _drop_unused_components(schema: dict) -> None:
    components = schema["components"]["schemas"]
    reached = _refs(schema["paths"])
    todo = list(reached)
    while todo:
        for name in _refs(components.get(todo.pop(), {})):
            if name not in reached:
                reached.add(name)
                todo.append(name)
    for name in list(components):
        if name not in reached:
            del components[name]


# --- examples ------------------------------------------------------------------------------------

# Plausible values by property name, used when the schema gives no example (each is checked against
# the property's schema before it is used).
NAMED_EXAMPLES: dict[str, Any] = {
    "email": "ana.garcia@example.com",
    "invited_email": "ana.garcia@example.com",
    "name": "Ana García",
    "display_name": "Ana",
    "first_name": "Ana",
    "last_name": "García",
    "title": "Algebra for beginners",
    "slug": "algebra-for-beginners",
    "summary": "Fractions, equations and graphs, one step at a time.",
    "headline": "Maths teacher, 10 years of experience",
    "bio": "I teach maths to teenagers and adults.",
    "phone": "+34 600 123 456",
    "timezone": "Europe/Madrid",
    "tz": "Europe/Madrid",
    "language": "en",
    "location": "Madrid",
    "reason": "Ill",
    "note": "Arrived ten minutes late.",
    "notes": "We practised fractions.",
    "homework": "Exercises 1–5 on page 12.",
    "body": "Fractions are solid; next: decimals.",
    "code": "mathematics",
    "url": "https://example.com/courses/algebra-for-beginners/",
    "download_url": "https://example.com/api/v1/materials/7/download",
    "avatar_url": "https://example.com/media/avatars/3/ana.png",
    "video_call_url": "https://meet.example.com/abc-defg-hij",
    "file_name": "fractions.pdf",
    "feed_url": "https://example.com/calendar/feed.ics",
    "search": "garcia",
    "q": "algebra",
    "subject": "mathematics",
    "level": "beginner",
    "price": "25.00",
    "hourly_rate": "30.00",
    "count": 3,
    "length": 60,
    "length_minutes": 60,
    "capacity": 8,
    "seats_taken": 3,
    "seats_left": 5,
    "weekday": 0,
    "position": 0,
    "module_title": "Week 1: fractions",
    "cancellation_reason": "Ill",
    "attendance_note": "Arrived ten minutes late.",
    "learning_goals": "Pass the school exam in June.",
    "teaching_preferences": "Online, afternoons.",
    "password": "correct-horse-battery-staple",
    "start": "2027-03-29T17:00:00+02:00",
    "end": "2027-03-29T18:00:00+02:00",
    "next_lesson_start": "2027-03-29T17:00:00+02:00",
    "date_of_birth": "2012-05-17",
}
FORMAT_EXAMPLES: dict[str, Any] = {
    "date-time": "2027-03-29T17:00:00+02:00",
    "date": "2027-03-29",
    "time": "17:00:00+02:00",
    "email": "ana.garcia@example.com",
    "uri": "https://example.com/",
    "binary": "",
}


def example_for(schema: dict, components: dict, *, request: bool = False) -> Any:
    """An instance of `schema`: the schema's own example where it has one, else one built from its
    properties. In a request body, optional properties without an example are left out."""
    return _Example(components, request=request).of(schema, name=None, depth=0)


class _Example:
    def __init__(self, components: dict, *, request: bool):
        self.components = components
        self.request = request

    def of(self, schema: dict, *, name: str | None, depth: int) -> Any:
        if "$ref" in schema:
            target = self.components[schema["$ref"][len(REF_PREFIX) :]]
            return self.of(target, name=name, depth=depth + 1)
        if schema.get("examples"):
            return copy.deepcopy(schema["examples"][0])
        if "example" in schema:
            return copy.deepcopy(schema["example"])
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        for key in ("anyOf", "oneOf"):
            if key in schema:
                branches = [b for b in schema[key] if b.get("type") != "null"]
                if not branches:
                    return None
                return self.of(branches[0], name=name, depth=depth)
        if "allOf" in schema:
            return self.of(schema["allOf"][0], name=name, depth=depth)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self._object(schema, depth=depth)
        if kind == "array":
            if depth > 8:
                return []
            item = self.of(schema.get("items", {}), name=None, depth=depth + 1)
            return [item] * max(1, schema.get("minItems", 1))
        if name in NAMED_EXAMPLES and _plain_fit(NAMED_EXAMPLES[name], schema):
            return NAMED_EXAMPLES[name]
        if kind == "integer":
            return _number(schema, 1 if not name or name.endswith("id") else 2)
        if kind == "number":
            return float(_number(schema, 10))
        if kind == "boolean":
            return schema.get("default", True)
        if kind == "string":
            if "default" in schema and schema["default"] != "":
                return schema["default"]
            if schema.get("format") in FORMAT_EXAMPLES:
                return FORMAT_EXAMPLES[schema["format"]]
            if _is_decimal(schema):
                return "25.00"
            text = (name or "text").replace("_", " ")
            return text.ljust(schema.get("minLength", 0), "x")[: schema.get("maxLength", 200)]
        if kind == "null":
            return None
        return {}

    def _object(self, schema: dict, *, depth: int) -> dict:
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        result = {}
        for key, sub in properties.items():
            wanted = key in required or key in NAMED_EXAMPLES or _has_example(sub)
            if self.request and not wanted:
                continue
            if depth > 8 and key not in required:
                continue
            result[key] = self.of(sub, name=key, depth=depth + 1)
        return result


def _has_example(schema: dict) -> bool:
    if schema.get("examples") or "example" in schema:
        return True
    return any(_has_example(b) for b in schema.get("anyOf", ()))


def _number(schema: dict, preferred: int) -> int:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
    high = schema.get("maximum", schema.get("exclusiveMaximum", 10**9) - 1)
    return int(min(max(preferred, low), high))


def _is_decimal(schema: dict) -> bool:
    pattern = schema.get("pattern", "")
    return bool(pattern) and re.search(r"\\d|\[0-9\]", pattern) is not None


def _plain_fit(value, schema: dict) -> bool:
    """Whether a name-based example fits the property's type and simple limits."""
    kind = schema.get("type")
    if kind == "string":
        return (
            isinstance(value, str)
            and "enum" not in schema
            and "pattern" not in schema
            and schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", 10**6)
        )
    if kind == "integer":
        return isinstance(value, int) and schema.get("minimum", -(10**18)) <= value <= schema.get(
            "maximum", 10**18
        )
    return False
