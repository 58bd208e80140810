"""Every destructive action asks first: the GET of its address is a confirmation page that says what
will happen (templates/components/confirm.html), and asking changes nothing; the POST does it.

The routes come from the URL resolver (through the route matrix, tests/test_route_matrix.py, whose
World holds student A's objects): a route is destructive when its name says it ends or deletes
something, or when the matrix declares it POST-only (a GET answers 405: an action with no page
that could say what it does). A new such route fails here until it has a confirmation page, or an
entry in NOT_DESTRUCTIVE saying why it needs none.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from tests.test_route_matrix import DONE, ROUTES, World, resolver_routes, route
from tests.test_route_matrix import world as world  # the module's World fixture

DESTRUCTIVE_WORDS = {
    "remove",
    "delete",
    "withdraw",
    "cancel",
    "unpublish",
    "off",
    "revoke",
    "decline",
    "detach",
    "release",
    "leave",
    "end",
    "regenerate",
    "consent",  # consent is given once and binds: the page says to what
}

# Routes that match the rule above but end nothing, each with why.
NOT_DESTRUCTIVE = {
    # The teacher's time-off page: "off" is part of the noun; removing one has its own route.
    "time-off": "a page",
    # Accepting an invitation links two people; ending the link asks on guardian-remove.
    "guardian-accept": "creates a link",
    # Publishing (or sending to moderation) makes a course visible; it ends nothing.
    "teach-course-publish": "publishes",
    "course-enrol": "creates an enrolment",
    "progress-note-add": "creates a note",
    # One's own time zone, from the profile's one-click offer; changed back on the profile.
    "profile-timezone": "sets one's zone",
    # Marking a module done or not is undone with the same one click; nothing is lost.
    "progress-module-mark": "reversible mark",
    # Cancelling a lesson asks on its own page in the booking part of issue 11 (i-booking), with
    # the cancellation policy's consequence; drop this line when that part is merged.
    "lesson-cancel": "booking part",
}

# Who may do each destructive action, when the matrix has no "#post" row that says so.
ACTORS = {
    "calendar-feed-regenerate": "student_a",
    "calendar-feed-turn-off": "student_a",
    "guardian-consent": "parent_of_a",
}


def _post_only(name: str) -> bool:
    return any(
        answer == 405
        for key, row in ROUTES.items()
        if route(key) == name
        for answer in row.expect.values()
    )


def _named_destructive(name: str) -> bool:
    return bool(DESTRUCTIVE_WORDS & set(re.split(r"[-_:]", name)))


def destructive_routes() -> list[str]:
    return sorted(
        name
        for name in resolver_routes()
        if (_named_destructive(name) or _post_only(name)) and name not in NOT_DESTRUCTIVE
    )


def _actor(name: str) -> tuple[str, str]:
    """The principal who may do it, and the matrix row whose `done` reads its effect."""
    post = f"{name} #post"
    if post in ROUTES:
        who = [p for p, answer in ROUTES[post].expect.items() if answer == DONE]
        assert who, f"{post} has no principal who does it"
        return who[0], post
    assert name in ACTORS, f"say in ACTORS who may {name}, or add a '{name} #post' matrix row"
    return ACTORS[name], post if post in ROUTES else name


def test_the_destructive_routes_are_found():
    """The rule finds the actions people know (so an empty list cannot pass silently)."""
    found = set(destructive_routes())
    assert {
        "guardian-remove",
        "guardian-consent",
        "enrollment-withdraw",
        "enrollment-remove",
        "time-off-delete",
        "progress-note-delete",
        "calendar-feed-turn-off",
        "calendar-feed-regenerate",
    } <= found
    assert not set(NOT_DESTRUCTIVE) - set(resolver_routes()), "exceptions for missing routes"


@pytest.mark.django_db
@pytest.mark.parametrize("name", destructive_routes())
def test_a_destructive_route_asks_first_and_says_what_will_happen(world: World, client, name):
    principal, key = _actor(name)
    row = ROUTES[key]
    client.force_login(world.users[principal])
    with transaction.atomic():
        response = client.get(row.path(world))
        did_it = row.done is not None and row.done(world)
        transaction.set_rollback(True)
    status = response.status_code
    assert status == 200, f"GET {row.path(world)} as {principal}: {status}, not a confirmation page"
    assert not did_it, f"GET {name} did the action"
    html = response.content.decode()
    assert 'data-testid="confirm"' in html, f"{name}: not components/confirm.html"
    consequence = re.search(r'data-testid="confirm-consequence">(.*?)</ul>', html, re.S)
    assert consequence and re.search(r"<li>\s*\S", consequence.group(1)), (
        f"{name}: the page does not say what will happen"
    )
    # The form posts back to the same address (no action attribute) with a submit button.
    assert re.search(r'<form method="post" class="confirm__actions">', html)
    assert 'data-testid="confirm-button"' in html
