"""Query budgets: assert how many SQL queries a block of code (usually one request) makes.

    from tests.query_budget import assert_constant_queries, assert_page_queries, html_rows, json_rows

    # A list: the same count before and after growing the data (here: 5 teachers, then 100), each
    # answer a 200 whose rows grew with the data (a page answering 403 to everyone fails):
    assert_constant_queries(
        lambda: client.get("/teachers/"), grow=add_more_teachers, budget=8,
        rows=html_rows('class="teacher-card"'),
    )
    assert_constant_queries(
        lambda: client.get("/api/v1/teachers"), grow=add_more_teachers, budget=5, rows=json_rows
    )

    # One object: within the budget, with the status and content it must have:
    assert_page_queries(lambda: client.get(url), budget=4, contains="Solo")

A budget is only worth something when the answer is right: a 403, a 404, a redirect to the login page
or an empty list all run few queries. So every budget states the status it expects (`expect_status`,
200 unless said) and what the answer contains (`rows` that must grow with the data, or `contains`).

On failure the message lists every query, numbered, so the N+1 is easy to spot.
"""

from __future__ import annotations

import json
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


def json_rows(response) -> int:
    """The rows of a JSON answer: a list's length, or the length of a page's `items`."""
    body = json.loads(response.content)
    if isinstance(body, list):
        return len(body)
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        return len(body["items"])
    raise QueryBudgetExceeded(f"no list in the answer: {str(body)[:300]}")


def html_rows(marker: str) -> Callable[[Any], int]:
    """The rows of an HTML answer: how many times `marker` (one per row) occurs in it."""

    def count(response) -> int:
        return response.content.decode().count(marker)

    count.__name__ = f"html_rows({marker!r})"
    return count


def _check_status(result: Any, expect_status: int | None, when: str) -> None:
    status = getattr(result, "status_code", None)
    if expect_status is None:
        if status is not None:
            raise QueryBudgetExceeded(
                f"{when}: the request answered {status}; say which status it must have "
                "(expect_status=None is for calls that are not HTTP requests)"
            )
        return
    if status != expect_status:
        location = getattr(result, "headers", {}).get("Location", "") if status else ""
        raise QueryBudgetExceeded(
            f"{when}: the request answered {status}{' to ' + location if location else ''}, "
            f"expected {expect_status}: a budget measured on the wrong answer proves nothing"
        )


def assert_constant_queries(
    request: Callable[[], Any],
    grow: Callable[[], Any],
    *,
    rows: Callable[[Any], int],
    expect_status: int | None = 200,
    budget: int | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """Run `request` (after one warm-up call), then `grow()` the data, then `request` again: fail unless
    both runs make the same number of queries (and no more than `budget`), listing the queries of both,
    and unless both answers are right: every run answers `expect_status` (None for a call that is not
    an HTTP request) and `rows(answer)` (`json_rows`, `html_rows(marker)` or any count of what the
    answer shows) is larger after `grow()` than before, so the second run did serve the new data.
    Returns the number of queries."""
    # Warm-up: per-process caches (content types, sites) are not what is measured.
    _check_status(request(), expect_status, "warm-up")
    with capture_queries(using) as small:
        before = request()
    _check_status(before, expect_status, "before growing the data")
    rows_before = rows(before)
    grow()
    with capture_queries(using) as large:
        after = request()
    _check_status(after, expect_status, "after growing the data")
    rows_after = rows(after)
    if not rows_after > rows_before:
        raise QueryBudgetExceeded(
            f"the answer did not grow with the data: {rows_before} rows, then {rows_after} "
            f"({getattr(rows, '__name__', rows)}); the budget would measure an answer without them"
        )
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


def assert_page_queries(
    request: Callable[[], Any],
    *,
    budget: int,
    contains: str | list[str],
    expect_status: int = 200,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """One object's budget: run `request` (after one warm-up call) and fail when it makes more than
    `budget` queries, or answers another status than `expect_status`, or its body lacks any of
    `contains`. Returns the number of queries."""
    request()  # warm-up
    with capture_queries(using) as captured:
        response = request()
    _check_status(response, expect_status, "the measured request")
    body = response.content.decode()
    missing = [
        text for text in ([contains] if isinstance(contains, str) else contains) if text not in body
    ]
    if missing:
        raise QueryBudgetExceeded(f"the answer lacks {missing}: {body[:300]}")
    if len(captured) > budget:
        raise QueryBudgetExceeded(
            f"{len(captured)} queries ran, expected at most {budget}:\n{format_queries(captured)}"
        )
    return len(captured)
