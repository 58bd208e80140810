"""The budget helpers refuse a wrong answer: a budget measured on a 403, a redirect or an answer that
did not grow with the data passes for the wrong reason. The "requests" are made-up responses, so only
the helpers' own checks are under test (the database is opened only to count queries)."""

import json

import pytest
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse

from tests.query_budget import (
    QueryBudgetExceeded,
    assert_constant_queries,
    assert_page_queries,
    html_rows,
    json_rows,
)

pytestmark = pytest.mark.django_db


def growing_list():
    rows = [1]
    return (lambda: JsonResponse({"items": list(rows), "count": len(rows)})), (
        lambda: rows.extend([2, 3])
    )


def test_a_list_that_grows_and_answers_200_passes():
    request, grow = growing_list()
    assert assert_constant_queries(request, grow=grow, rows=json_rows) == 0


def test_a_page_that_answers_403_to_everyone_fails():
    with pytest.raises(QueryBudgetExceeded, match="answered 403, expected 200"):
        assert_constant_queries(
            lambda: HttpResponseForbidden("no"), grow=lambda: None, rows=html_rows("<li>")
        )


def test_a_redirect_to_the_login_page_fails_and_says_where_it_went():
    def request():
        response = HttpResponse(status=302)
        response["Location"] = "/accounts/login/?next=/x/"
        return response

    with pytest.raises(QueryBudgetExceeded, match="302 to /accounts/login/"):
        assert_constant_queries(request, grow=lambda: None, rows=html_rows("<li>"))


def test_an_answer_that_did_not_grow_with_the_data_fails():
    with pytest.raises(QueryBudgetExceeded, match="did not grow with the data: 0 rows, then 0"):
        assert_constant_queries(
            lambda: HttpResponse("<ul></ul>"), grow=lambda: None, rows=html_rows("<li>")
        )


def test_a_json_answer_without_a_list_fails():
    with pytest.raises(QueryBudgetExceeded, match="no list in the answer"):
        assert_constant_queries(
            lambda: HttpResponse(json.dumps({"detail": "x"}), content_type="application/json"),
            grow=lambda: None,
            rows=json_rows,
        )


def test_a_request_must_state_its_status_and_a_service_call_has_none():
    request, grow = growing_list()
    with pytest.raises(QueryBudgetExceeded, match="say which status"):
        assert_constant_queries(request, grow=grow, rows=json_rows, expect_status=None)
    with pytest.raises(QueryBudgetExceeded, match="answered None, expected 200"):
        assert_constant_queries(lambda: [1], grow=lambda: None, rows=len)
    items = [1]
    assert_constant_queries(
        lambda: list(items), grow=lambda: items.append(2), rows=len, expect_status=None
    )


def test_a_single_object_budget_checks_its_status_and_content():
    assert (
        assert_page_queries(lambda: HttpResponse("<h1>Solo</h1>"), budget=0, contains="Solo") == 0
    )
    with pytest.raises(QueryBudgetExceeded, match="answered 403"):
        assert_page_queries(lambda: HttpResponseForbidden("Solo"), budget=5, contains="Solo")
    with pytest.raises(QueryBudgetExceeded, match="lacks"):
        assert_page_queries(lambda: HttpResponse("<h1>Other</h1>"), budget=5, contains="Solo")
