"""Query budgets: assert how many SQL queries a block of code (usually one request) makes.

    from tests.query_budget import assert_max_queries, count_queries

    with assert_max_queries(8):
        client.get("/teachers/")

    n, response = count_queries(lambda: client.get("/api/v1/teachers"))

On failure the message lists every query, numbered, so the N+1 is easy to spot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext


class QueryBudgetExceeded(AssertionError):
    pass


def format_queries(captured: CaptureQueriesContext) -> str:
    return "\n".join(
        f"  {i}. {query['sql']}" for i, query in enumerate(captured.captured_queries, start=1)
    )


@contextmanager
def capture_queries(using: str = DEFAULT_DB_ALIAS) -> Iterator[CaptureQueriesContext]:
    """Record the queries of the block (the context's `captured_queries`, `len(context)`)."""
    with CaptureQueriesContext(connections[using]) as captured:
        yield captured


@contextmanager
def assert_max_queries(
    limit: int, *, exact: bool = False, using: str = DEFAULT_DB_ALIAS
) -> Iterator[CaptureQueriesContext]:
    """Fail when the block runs more than `limit` queries (or not exactly `limit` with `exact=True`)."""
    with capture_queries(using) as captured:
        yield captured
    count = len(captured)
    if count > limit or (exact and count != limit):
        expectation = f"exactly {limit}" if exact else f"at most {limit}"
        raise QueryBudgetExceeded(
            f"{count} queries ran, expected {expectation}:\n{format_queries(captured)}"
        )


def count_queries(func: Callable[[], Any], *, using: str = DEFAULT_DB_ALIAS) -> tuple[int, Any]:
    """Run `func` and return (number of queries, its result)."""
    with capture_queries(using) as captured:
        result = func()
    return len(captured), result


def assert_same_query_count(
    small: Callable[[], Any], large: Callable[[], Any], *, using: str = DEFAULT_DB_ALIAS
) -> int:
    """Run both callables (the same request against little and much data) and fail, listing both sets
    of queries, unless they make the same number of queries. Returns that number."""
    with capture_queries(using) as first:
        small()
    with capture_queries(using) as second:
        large()
    if len(first) != len(second):
        raise QueryBudgetExceeded(
            f"query count grows with the data: {len(first)} then {len(second)}.\n"
            f"Small:\n{format_queries(first)}\nLarge:\n{format_queries(second)}"
        )
    return len(first)
