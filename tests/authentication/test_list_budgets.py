"""Query budgets of the guardian links: GET /api/v1/guardians and the page /auth/guardians/. The same
queries for 2 links as for 20, each answer a 200 whose rows grew with the data
(tests/query_budget.py)."""

import pytest

from authentication.services import guardian_accept, guardian_invite
from tests.authentication.factories import ParentFactory, StudentFactory
from tests.classroom.conftest import as_user
from tests.conftest import login_token
from tests.query_budget import assert_constant_queries, html_rows, json_rows

pytestmark = pytest.mark.django_db

GUARDIANS_API_BUDGET = 6
GUARDIANS_PAGE_BUDGET = 12


def children(parent, n: int) -> None:
    """`n` more children of `parent`: every other one accepted, the rest still invited."""
    for i in range(n):
        child = StudentFactory()
        link = guardian_invite(actor=parent, email=child.email, as_role="child")
        if i % 2 == 0:
            guardian_accept(link=link, actor=child)


def test_the_guardian_api_makes_the_same_queries_for_2_and_20_links(client):
    parent = ParentFactory()
    children(parent, 2)
    headers = {"HTTP_X_SESSION_TOKEN": login_token(client, parent.email)}
    assert_constant_queries(
        lambda: client.get("/api/v1/guardians", {"limit": 100}, **headers),
        grow=lambda: children(parent, 18),
        budget=GUARDIANS_API_BUDGET,
        rows=json_rows,
    )


def test_the_guardian_page_makes_the_same_queries_for_2_and_20_links(client):
    parent = ParentFactory()
    children(parent, 2)
    as_user(client, parent)
    assert_constant_queries(
        lambda: client.get("/auth/guardians/"),
        grow=lambda: children(parent, 18),
        budget=GUARDIANS_PAGE_BUDGET,
        rows=html_rows('data-testid="guardian-link"'),
    )
