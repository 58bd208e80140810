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
from django.urls import reverse

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
    "release",
    "leave",
    "end",
    "regenerate",
    "consent",  # consent is given once and binds: the page says to what
    "stop",
    "detach",
    "block",  # messages stop both ways
    "unblock",  # messages may come again
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
    # Marking notifications read loses nothing: they stay in the feed, only unhighlighted.
    "inbox:notifications-read-all": "marks read",
    "inbox:notification-read": "marks read",
    # Direct messages: a reply sends; moving back from the archive or the trash undoes a step.
    "message-reply": "sends a reply",
    "message-unarchive": "undoes archiving",
    "message-restore": "undoes a delete (out of the trash)",
    "room-post": "writes a message (deleting one asks on room-message-delete)",
    "course-room-open": "creates the course's room",
    # billing (policy): subscribing creates a subscription and an order ("subscribe" holds "sub"…).
    "billing-plan-subscribe": "creates a subscription",
}

# Destructive routes that ask on a page of their own rather than components/confirm.html (it has
# more to say, or to ask): the marker of the consequence it states.
OWN_CONFIRMATION_PAGES = {
    # The cancellation policy's consequence with its cut-off, and an optional reason.
    "lesson-cancel": 'data-testid="cancel-consequence"',
}

# Pages whose one-click destructive form is known and not yet a confirmation page, each with why.
ONE_CLICK_PAGES_TO_FIX: dict[str, str] = {}

# Confirmations whose form posts to the view of another package that does the action.
POSTED_ELSEWHERE = {"account-email-remove": "account_email"}  # allauth's action_remove

# Fields of a form that name what it does (<input type="hidden" name="action" value="release">).
ACTION_FIELDS = {"action", "add", "intent", "op", "do"}

# Who may do each destructive action, when the matrix has no "#post" row that says so.
ACTORS = {
    "account-email-remove": "student_a",
    "calendar-feed-regenerate": "student_a",
    "calendar-feed-turn-off": "student_a",
    "guardian-consent": "parent_of_a",
    "room-delete": "teacher",  # the group room's teacher
    "room-member-remove": "teacher",
    "room-leave": "student_a",  # a member of the group room
    "billing-subscription-cancel": "student_a",  # billing (policy): its payer
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


def _words(text: str) -> set[str]:
    return set(re.split(r"[-_:\s]+", text.lower()))


def one_click_destructive_forms(page_route: str | None, forms) -> list[str]:
    """Why each POST form of a page does a destructive action on one click: it posts to a
    destructive route from anywhere but that route's own confirmation page, or it carries a
    destructive action field (a button named `delete`, an `action=release`) on a page that is not
    a confirmation page. `forms` are (target route, [(tag, type, name, value)]) as the page has
    them."""
    destructive = set(destructive_routes())
    problems = []
    if page_route in ONE_CLICK_PAGES_TO_FIX:
        return problems
    for target, fields in forms:
        if target in destructive and target != page_route:
            problems.append(f"posts to {target} without asking first")
            continue
        if page_route in destructive:
            continue  # the confirmation page's own form
        for tag, kind, name, value in fields:
            said = _words(value) if name in ACTION_FIELDS else set()
            if tag == "button" or kind == "submit":
                said |= _words(name)
            if said & DESTRUCTIVE_WORDS:
                problems.append(f"posts {name}={value} to {target} without asking first")
    return problems


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
    if name in OWN_CONFIRMATION_PAGES:
        assert OWN_CONFIRMATION_PAGES[name] in html, f"{name}: the page does not say what happens"
        assert re.search(r'<form method="post"', html) and 'type="submit"' in html
        return
    assert 'data-testid="confirm"' in html, f"{name}: not components/confirm.html"
    consequence = re.search(r'data-testid="confirm-consequence">(.*?)</ul>', html, re.S)
    assert consequence and re.search(r"<li>\s*\S", consequence.group(1)), (
        f"{name}: the page does not say what will happen"
    )
    # The form posts back to the same address (no action attribute), or where the action is done
    # when another package's view does it (POSTED_ELSEWHERE), with a submit button.
    action = POSTED_ELSEWHERE.get(name)
    form = '<form method="post" class="confirm__actions"' + (
        f' action="{reverse(action)}">' if action else ">"
    )
    assert form in html, f"{name}: the confirmation does not post to {action or 'itself'}"
    assert 'data-testid="confirm-button"' in html


def test_the_one_click_check_flags_a_destructive_button_but_not_a_link_or_its_confirmation():
    """The rule the crawl applies (tests/test_reachability.py) to every page of every role."""
    stop = (
        "lesson-detail",
        [("input", "hidden", "action", "detach"), ("button", "submit", "", "")],
    )
    save = ("lesson-detail", [("input", "hidden", "action", "details")])
    assert one_click_destructive_forms("lesson-detail", [stop])
    assert not one_click_destructive_forms("lesson-detail", [save])
    assert one_click_destructive_forms("guardians", [("guardian-remove", [])])
    assert one_click_destructive_forms("lesson-list", [("lesson-cancel", [])])
    assert not one_click_destructive_forms("guardian-remove", [("guardian-remove", [])])
    delete = ("time-off", [("button", "submit", "delete", "1")])
    assert one_click_destructive_forms("time-off", [delete])
