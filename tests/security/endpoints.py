"""Every endpoint that reads a request body, found from the running project (the OpenAPI document of
/api/v1/ and the URL patterns of allauth headless), so a new one is covered without editing a list."""

import re
from functools import cache

from django.urls import URLResolver, get_resolver

WRITE_METHODS = ("post", "put", "patch", "delete")


@cache
def openapi() -> dict:
    from cplatform.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


def concrete(path: str, value: str = "1") -> str:
    """/api/v1/courses/{course_id}/modules → /api/v1/courses/1/modules."""
    return re.sub(r"\{[^}]+\}", value, path)


def api_operations(*, with_body: bool | None = None) -> list[tuple[str, str, dict]]:
    """(METHOD, path template, operation) of every write operation (with a request body, or not)."""
    found = []
    for path, operations in openapi()["paths"].items():
        for method, operation in operations.items():
            if method not in WRITE_METHODS:
                continue
            if with_body is not None and ("requestBody" in operation) != with_body:
                continue
            found.append((method.upper(), path, operation))
    assert found
    return found


def body_content_type(operation: dict) -> str:
    return next(iter(operation["requestBody"]["content"]))


def allauth_headless_paths() -> list[str]:
    """Every allauth headless endpoint of both clients (browser and app)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    paths = sorted(
        {"/" + p for p in walk(get_resolver().url_patterns) if p.startswith("_allauth/")}
    )
    assert any("/app/" in p for p in paths) and any("/browser/" in p for p in paths)
    assert not any("<" in p for p in paths), "give the path converters a value here"
    return paths
