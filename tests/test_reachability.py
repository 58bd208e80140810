"""Every page is reachable by clicking from the home of the role that uses it, and a Spanish reader
stays in Spanish.

A crawl with the test client starts where each principal starts (the role home `/dashboard/` and its
header for people signed in, the home page for anonymous visitors) and follows every same-site link
(GET only: forms and logout are not links), in English and in Spanish. Then:

- every route the role uses (ROLE_PAGES, decided per route name of the URL resolver) was reached;
  a new route without a decision here (a page of some roles, or NOT_PAGES with the reason) fails
  `test_every_route_is_decided`;
- no link on a Spanish page (outside the language switcher) leads to an English page;
- the redirect after every action of tests/test_route_matrix.py, sent from a Spanish page, stays
  in Spanish.

The World is the route matrix's: student A with their lesson, enrolment, note and parent; the
teacher of both; an admin.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import translation

from tests.test_confirmations import one_click_destructive_forms
from tests.test_route_matrix import DONE, KEPT, ROUTES, World, resolver_routes

CRAWLED = ["anonymous", "student_a", "parent_of_a", "teacher", "admin"]
ANYONE = set(CRAWLED)
SIGNED_IN = ANYONE - {"anonymous"}
LEARNERS = {"student_a", "parent_of_a"}

# Route name → the principals who must reach it by clicking. A page of a role is listed for it
# when the role uses it; pages someone reaches only through a link given to them (an email, an
# invitation) are listed in NOT_PAGES.
ROLE_PAGES: dict[str, set[str]] = {
    "search": ANYONE,
    "teacher-directory": ANYONE,
    "teacher-detail": ANYONE,
    "course-catalog": ANYONE,
    "course-detail": ANYONE,
    "account_signup": {"anonymous"},
    "dashboard": SIGNED_IN,
    "profile": SIGNED_IN,
    "profile-edit": SIGNED_IN,
    "guardians": {"student_a", "parent_of_a"},
    "student-profile-edit": {"student_a"},
    "student-date-of-birth": {"parent_of_a"},  # a guardian gives their child's date of birth
    "lesson-list": {"student_a", "parent_of_a", "teacher"},
    "lesson-detail": {"student_a", "parent_of_a", "teacher"},
    "lesson-reschedule": {"student_a", "parent_of_a", "teacher"},
    "lesson-book": LEARNERS,
    # Confirmation pages linked from a group session's page.
    "lesson-material-detach": {"teacher"},
    "lesson-seat-release": {"student_a", "parent_of_a"},
    "calendar-feed-page": {"student_a", "parent_of_a", "teacher"},
    "progress-home": {"student_a", "parent_of_a", "teacher"},
    "progress-history": {"student_a", "parent_of_a"},
    "progress-enrollment": {"student_a", "parent_of_a", "teacher"},
    "progress-student": {"teacher"},
    "my-courses": LEARNERS,
    # The teaching area
    "week-schedule": {"teacher"},
    "availability-edit": {"teacher"},
    "time-off": {"teacher"},
    "teacher-profile-edit": {"teacher"},
    "teach-courses": {"teacher"},
    "teach-course-create": {"teacher"},
    "teach-course": {"teacher"},
    "teach-course-edit": {"teacher"},
    "course-sessions": {"teacher"},
    "session-create": {"teacher"},
    # Inbox safety: Blocked people from the account menu; a guardian's Children's messages from
    # Family links.
    "inbox-blocks": SIGNED_IN,
    "inbox-children-messages": {"parent_of_a"},
    # notifications: the header's bell, and the settings linked from the feed
    "inbox:notifications": SIGNED_IN,
    "inbox:notification-settings": SIGNED_IN,
    # Messages: the header's "Messages" area for everyone signed in; a thread from the inbox.
    "messages-inbox": SIGNED_IN,
    "messages-sent": SIGNED_IN,
    "messages-archive": SIGNED_IN,
    "messages-trash": SIGNED_IN,
    "message-new": SIGNED_IN,
    "message-thread": {"student_a", "teacher"},
    "message-archive": {"student_a", "teacher"},  # a thread's "Archive" link asks first
    "message-delete": {"student_a", "teacher"},  # a thread's "Delete" link asks first
    # Chat rooms: student A and the teacher share the course's room and a group room.
    "room-list": SIGNED_IN,
    "room-detail": {"student_a", "teacher"},
    "room-members": {"student_a", "teacher"},
    "room-message-edit": {"student_a"},  # their own message in the course room
    "room-create": {"teacher", "admin"},
    "room-edit": {"teacher"},
    # billing (policy): My subscriptions from the student's home, the plans from there; the
    # teacher's Earnings from their home.
    "billing-subscriptions": {"student_a"},
    "billing-plans": {"student_a"},
    "billing-earnings": {"teacher"},
}

CONFIRMATION = "the confirmation page of an action, linked from the page the action belongs to"

# Routes that are not pages anyone clicks to, and why.
NOT_PAGES: dict[str, str] = {
    "bench-ok": "a bare view for the benchmark",
    "sitemap": "for search engines",
    "robots-txt": "for search engines",
    "set_language": "the language switcher's POST endpoint (the switcher uses plain links)",
    "calendar-feed": "a feed a calendar app fetches with its secret address",
    "material-download": "a file download (the links are checked, not fetched)",
    "message-attachment": "a file download (linked under its message in the thread and room)",
    # POST-only actions: forms on the pages above, never links.
    "guardian-accept": "POST action",
    "progress-module-mark": "POST action",
    "progress-note-add": "POST action",
    "teach-course-publish": "POST action",
    "course-enrol": "POST action",
    "inbox:notifications-read-all": "POST action",
    "inbox:notification-read": "POST action",
    "inbox:notification-open": "a notification's link: marks it read and redirects to its page",
    "profile-timezone": "POST action of the profile's 'use my device's time zone' offer",
    "message-reply": "POST action (the thread's reply form)",
    "message-unarchive": "POST action (a button on an archived message)",
    "message-restore": "POST action (a button on a message in the trash)",
    # Confirmation pages: a link on the object's own page opens them (whether the object is in
    # the crawl's world or not); tests/test_confirmations.py holds each to asking first.
    "guardian-remove": CONFIRMATION,
    "guardian-consent": CONFIRMATION,
    "time-off-delete": CONFIRMATION,
    "lesson-cancel": CONFIRMATION,
    "progress-note-delete": CONFIRMATION,
    "enrollment-withdraw": CONFIRMATION,
    "enrollment-remove": CONFIRMATION,
    "calendar-feed-regenerate": CONFIRMATION,
    "calendar-feed-turn-off": CONFIRMATION,
    "account-email-remove": CONFIRMATION,
    "inbox-block": CONFIRMATION + " (a message's thread: the dm part's pages link it)",
    "inbox-unblock": CONFIRMATION,
    # A message's own actions: the thread pages (the dm part's, and a guardian's child thread)
    # link them; the crawl's World holds no direct message.
    "inbox-report": "a form linked under each message of a thread",
    "inbox-report-sent": "where a sent report leads (a redirect after the form)",
    "inbox-child-thread": "a thread of a child under 16, linked from Children's messages",
    "room-message-delete": CONFIRMATION,
    "room-delete": CONFIRMATION,
    "room-member-remove": CONFIRMATION,
    "room-leave": CONFIRMATION,
    "room-post": "POST action (the room's message form)",
    "course-room-open": "POST action (a teacher's 'Open its room' on the rooms page)",
    "room-messages": "the fragment of new messages static/js/rooms.js polls",
    # Booking's second step: the free times are buttons of a GET form (a time is picked, not
    # followed); tests/booking/test_review.py and the booking journey go through it.
    "lesson-book-review": "the review step of booking, opened by picking a time",
    # billing (policy)
    "billing-earnings-csv": "a file download (the statement's CSV, linked from the statement)",
    "billing-plan-subscribe": "POST action (a plan's Subscribe form)",
    "billing-subscription-pause": CONFIRMATION,
    "billing-subscription-resume": CONFIRMATION,
    "billing-subscription-cancel": CONFIRMATION,
}

# Addresses that are not pages in a language (same list as tests/e2e/conftest.py).
LANGUAGELESS = (
    "/static/",
    "/media/",
    "/documents/",
    "/admin/",
    "/django-admin/",
    "/api/",
    "/_allauth/",
    "/calendar/",
    "/stripe/",
    "/i18n/",
    "/sitemap.xml",
    "/robots.txt",
)
# At most this many addresses of one route are fetched (another teacher's page adds nothing).
PER_ROUTE = 1
# Routes whose pages differ by object: a 1:1 lesson and a group session (seats, materials).
PER_ROUTE_OF = {"lesson-detail": 2, "room-detail": 2}  # and a course room and a group room
MAX_PAGES = 150


def is_spanish(path: str) -> bool:
    return path == "/es" or path.startswith("/es/")


# Routes that only reverse: a Wagtail page answers their address (courses/urls.py).
REVERSE_ONLY = {"course-detail": re.compile(r"(/es)?/courses/[-\w]+/")}


def route_name(path: str) -> str | None:
    """The route an address resolves to, in its own language (None: no route)."""
    try:
        with translation.override("es" if is_spanish(path) else "en"):
            match = resolve(path)
    except Resolver404:
        return None
    if match.view_name == "wagtail_serve":
        for name, pattern in REVERSE_ONLY.items():
            if pattern.fullmatch(path):
                return name
    return match.view_name


def post_forms(soup: BeautifulSoup, page_path: str) -> list[tuple[str | None, list]]:
    """The page's POST forms: the route each posts to (its own address without an `action`) and
    its hidden and submit fields as (tag, type, name, value)."""
    found = []
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        target = urlsplit(form.get("action") or page_path).path
        fields = [
            (el.name, el.get("type", ""), el.get("name", ""), el.get("value", ""))
            for el in form.find_all(["input", "button"])
            if el.name == "button" or el.get("type") in ("hidden", "submit")
        ]
        found.append((route_name(target), fields))
    return found


def page_links(html: str | BeautifulSoup) -> list[tuple[str, str]]:
    """Same-site addresses of the page's links, the language switcher's aside, each with the
    language its `hreflang` announces (a link labelled as leading to another language)."""
    soup = BeautifulSoup(html, "html.parser") if isinstance(html, str) else html
    for switcher in soup.select(".language-switcher"):
        switcher.decompose()
    found = []
    for anchor in soup.find_all("a", href=True):
        parts = urlsplit(anchor["href"])
        if parts.scheme and parts.scheme not in ("http", "https"):
            continue  # mailto:, tel:
        if parts.netloc and parts.netloc != "testserver":
            continue
        if not parts.path.startswith("/"):
            continue
        found.append(
            (parts.path + (f"?{parts.query}" if parts.query else ""), anchor.get("hreflang", ""))
        )
    return found


class Crawl:
    """What a principal reaches from their start by following links."""

    def __init__(self, client, start: str):
        self.client = client
        self.reached: set[str] = set()
        self.english_links: dict[str, list[str]] = {}
        self.broken: dict[str, int] = {}
        # Page → why a form on it does a destructive action on one click (tests/test_confirmations.py).
        self.one_click: dict[str, list[str]] = {}
        fetched = Counter()
        queue, seen = [start], {start}
        pages = 0
        while queue and pages < MAX_PAGES:
            path = queue.pop(0)
            name = route_name(urlsplit(path).path)
            if name is not None:
                self.reached.add(name)
            per_route = PER_ROUTE_OF.get(name, PER_ROUTE)
            if name in NOT_PAGES or fetched[name] >= per_route and name != "wagtail_serve":
                continue
            fetched[name] += 1
            response = client.get(path, follow=True)
            pages += 1
            if response.status_code != 200:
                self.broken[path] = response.status_code
                continue
            for hop, _status in response.redirect_chain:
                hop_name = route_name(urlsplit(hop).path)
                if hop_name:
                    self.reached.add(hop_name)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            soup = BeautifulSoup(response.content.decode(), "html.parser")
            if problems := one_click_destructive_forms(name, post_forms(soup, path)):
                self.one_click[path] = problems
            links = page_links(soup)
            if is_spanish(path):
                english = [
                    link
                    for link, hreflang in links
                    if not is_spanish(link)
                    and not link.startswith(LANGUAGELESS)
                    and hreflang in ("", "es")
                ]
                if english:
                    self.english_links[path] = sorted(set(english))
            for link, hreflang in links:
                if link.startswith(LANGUAGELESS) or link in seen:
                    continue
                if is_spanish(link) != is_spanish(start):
                    # The page exists only in the other language, and the link says so: reached.
                    if hreflang and (name := route_name(urlsplit(link).path)):
                        self.reached.add(name)
                    continue  # an unlabelled English link on a Spanish page is reported above
                seen.add(link)
                queue.append(link)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = World()
        yield built
        transaction.set_rollback(True)


_CRAWLS: dict[tuple[int, str, str], Crawl] = {}


def crawl(client, world, principal: str, language: str) -> Crawl:
    """The principal's crawl, once per World (tests of this module read it in their own ways)."""
    key = (id(world), principal, language)
    if key not in _CRAWLS:
        _CRAWLS[key] = _crawl(client, world, principal, language)
    return _CRAWLS[key]


def _crawl(client, world, principal: str, language: str) -> Crawl:
    client.logout()
    prefix = "/es" if language == "es" else ""
    if principal == "anonymous":
        return Crawl(client, f"{prefix}/")
    client.force_login(world.users[principal])
    return Crawl(client, f"{prefix}/dashboard/")


def test_every_route_is_decided():
    routes = set(resolver_routes())
    decided = set(ROLE_PAGES) | set(NOT_PAGES)
    assert not sorted(routes - decided), (
        "decide who reaches these routes by clicking (ROLE_PAGES) or why they are not pages "
        f"(NOT_PAGES): {sorted(routes - decided)}"
    )
    assert not sorted(decided - routes), "decisions about routes that no longer exist"
    assert not set(ROLE_PAGES) & set(NOT_PAGES)


def test_each_role_page_opens_for_that_role_in_the_route_matrix():
    """A page listed for a role is one the route matrix lets that role open (a typo fails here)."""
    wrong = {
        name: sorted(p for p in principals if ROUTES[name].expect[p] != 200)
        for name, principals in ROLE_PAGES.items()
    }
    assert not {name: p for name, p in wrong.items() if p}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("principal", CRAWLED)
def test_every_page_of_a_role_is_reachable_by_clicking_from_its_home(
    world, client, principal, language
):
    result = crawl(client, world, principal, language)
    needed = {name for name, principals in ROLE_PAGES.items() if principal in principals}
    assert not sorted(needed - result.reached), (
        f"{principal} cannot click their way to: {sorted(needed - result.reached)}"
    )
    assert not result.broken, f"links answering an error to {principal}: {result.broken}"
    if language == "es":
        assert not result.english_links, (
            f"Spanish pages link to English pages for {principal}: {result.english_links}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("principal", CRAWLED)
def test_no_page_a_role_reaches_does_a_destructive_action_on_one_click(
    world, client, principal, language
):
    """Every page the crawl renders, each role and language: a POST form that deletes, removes,
    cancels, stops or releases is only the confirmation page's own; elsewhere it is a link to it."""
    result = crawl(client, world, principal, language)
    assert not result.one_click, (
        f"{principal} meets one-click destructive forms: {result.one_click}"
    )


POSTS = sorted(
    key
    for key, row in ROUTES.items()
    if row.method == "post" and {DONE, KEPT} & set(row.expect.values())
)


@pytest.mark.django_db
@pytest.mark.parametrize("key", POSTS)
def test_the_answer_to_an_action_sent_from_a_spanish_page_stays_in_spanish(world, client, key):
    row = ROUTES[key]
    for principal, expected in row.expect.items():
        if expected not in (DONE, KEPT):
            continue
        client.logout()
        client.force_login(world.users[principal])
        with transaction.atomic():
            response = client.post("/es" + row.path(world), row.data(world))
            transaction.set_rollback(True)
        assert response.status_code == 302, (key, principal, response.status_code)
        location = urlsplit(response["Location"]).path
        assert is_spanish(location), (key, principal, response["Location"])


# billing papers: a PDF download (linked from the payment history and the admin's billing screens)
NOT_PAGES["billing-invoice-pdf"] = "a file download (linked from payment history and the admin)"

# billing, front: the payer's history is a link of the student's and the parent's home card; the
# pay and order pages are reached from a pending enrolment's or a held lesson's Pay button and the
# history's rows, which the crawl's World does not hold (tests/billing/test_history_flow.py and
# tests/e2e/test_billing_package_journey.py click through them); Stripe sends payers back to the
# return page.
ROLE_PAGES["billing-history"] = LEARNERS
NOT_PAGES["billing-course-pay"] = "a pending enrolment's Pay button (none in the crawl's World)"
NOT_PAGES["billing-lesson-pay"] = "a held lesson's Pay button (none in the crawl's World)"
NOT_PAGES["billing-order"] = "an order's page, linked from Pay and the history (no order here)"
NOT_PAGES["billing-return"] = "where Stripe Checkout sends the payer back (not a link of the site)"
# billing, front: cancelling an order asks first; linked from the order's page (no order here).
NOT_PAGES["billing-order-cancel"] = CONFIRMATION
