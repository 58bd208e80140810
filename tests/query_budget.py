"""Query budgets: assert how many SQL queries a block of code (usually one request) makes.

    from tests.query_budget import assert_max_queries, count_queries

    with assert_max_queries(8):
        client.get("/teachers/")

    n, response = count_queries(lambda: client.get("/api/v1/teachers"))

    # Same count before and after growing the data (here: 5 teachers, then 100):
    assert_constant_queries(lambda: client.get("/teachers/"), grow=add_more_teachers, budget=8)

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


class _FrozenCapture(CaptureQueriesContext):
    """CaptureQueriesContext reads the connection's live query log whenever asked; this one keeps
    the block's queries as they were at its end, whatever runs afterwards."""

    def __exit__(self, exc_type, exc_value, traceback):
        super().__exit__(exc_type, exc_value, traceback)
        self._frozen = list(self.connection.queries[self.initial_queries : self.final_queries])

    @property
    def captured_queries(self):
        if hasattr(self, "_frozen"):
            return self._frozen
        return super().captured_queries


@contextmanager
def capture_queries(using: str = DEFAULT_DB_ALIAS) -> Iterator[CaptureQueriesContext]:
    """Record the queries of the block (the context's `captured_queries`, `len(context)`)."""
    connection = connections[using]
    # Django keeps only the last 9000 queries, and CaptureQueriesContext slices that log by
    # position: once a test has made 9000 queries (building large data) the slice no longer
    # matches the block, and reading it after more queries ran gives other queries. So start from
    # an empty log and freeze the result at the end of the block.
    connection.queries_log.clear()
    with _FrozenCapture(connection) as captured:
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


def assert_constant_queries(
    request: Callable[[], Any],
    grow: Callable[[], Any],
    *,
    budget: int | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """Run `request` (after one warm-up call), then `grow()` the data, then `request` again: fail unless
    both runs make the same number of queries (and no more than `budget`), listing the queries of both.
    Returns the number of queries."""
    request()  # warm-up: per-process caches (content types, sites) are not what is measured
    with capture_queries(using) as small:
        request()
    grow()
    with capture_queries(using) as large:
        request()
    if len(small) != len(large):
        raise QueryBudgetExceeded(
            f"query count grows with the data: {len(small)} then {len(large)}.\n"
            f"Before:\n{format_queries(small)}\nAfter:\n{format_queries(large)}"
        )
    if budget is not None and len(large) > budget:
        raise QueryBudgetExceeded(
            f"{len(large)} queries ran, expected at most {budget}:\n{format_queries(large)}"
        )
    return len(large)
