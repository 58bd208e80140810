"""Live chat rooms in two browsers: a teacher and a student in one course room's real page
(/rooms/<id>/, whose form posts in the background), against the ASGI application served by daphne
(pytest-django's live_server speaks WSGI only, so no WebSockets). A message the teacher sends
appears on the student's page without a reload, carried by a WebSocket frame (recorded from the
student's socket; no request for newer messages is made) and is marked read as it is shown; a
message in the student's other room leaves the page's list alone and turns their unread badge
beside "Chat rooms" to 1; a non-member's page is a 404 and their socket is refused."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import expect

from inbox.models import Room, RoomKind, RoomMember, RoomRole
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory
from tests.e2e.conftest import ARTIFACTS, DESKTOP, TIMEOUT_MS, Journey, new_context

ROOT = Path(__file__).resolve().parents[2]
# The server reads the rows from its own connections: they must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def room_page(room) -> str:
    return f"/rooms/{room.pk}/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def asgi_live_server(transactional_db):
    """daphne serving tests/inbox/live_asgi.py on the test database (its name, not the configured
    one: `connection.settings_dict["NAME"]` is the test database's once the suite has set it up)."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url()}
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
        + ["tests.inbox.live_asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/bench/ok/", timeout=2):  # noqa: S310 — our server
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"daphne did not start:\n{server.stdout.read()}")
            time.sleep(0.3)
    yield url
    server.terminate()
    try:
        output, _ = server.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        output, _ = server.communicate()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "rooms-live-daphne.log").write_text(output)  # what the server said, to debug


def _person(browser, base_url):
    context = new_context(browser, viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    return Journey(context.new_page(), base_url)


def send(person, room, text: str) -> None:
    """Type and send on the real room page: the form posts in the background (204, no reload) and
    the message comes back into the sender's own list over their socket."""
    person.page.evaluate("window.__sameDocument = true")
    person.page.get_by_label("Message", exact=True).fill(text)
    person.page.locator("main").get_by_role("button", name="Send").click()
    mine = person.page.locator(f'[data-room-id="{room.pk}"] [data-message-id]', has_text=text)
    expect(mine).to_be_visible()
    expect(person.page.get_by_label("Message", exact=True)).to_have_value("")
    assert person.page.evaluate("window.__sameDocument") is True


def test_a_message_typed_by_the_teacher_reaches_the_students_open_page_over_a_websocket(
    browser, asgi_live_server
):
    teacher = TeacherFactory(first_name="Tina", last_name="Teach")
    student = StudentFactory(first_name="Sam", last_name="Study")
    outsider = StudentFactory()
    course = CourseFactory(owner=teacher, title="Algebra basics")
    room = Room.objects.create(kind=RoomKind.COURSE, course=course, name="Algebra basics")
    RoomMember.objects.create(room=room, user=teacher, role=RoomRole.TEACHER)
    RoomMember.objects.create(room=room, user=student, role=RoomRole.STUDENT)
    club = Room.objects.create(kind=RoomKind.GROUP, name="Maths club", created_by=teacher)
    RoomMember.objects.create(room=club, user=teacher, role=RoomRole.TEACHER)
    RoomMember.objects.create(room=club, user=student, role=RoomRole.STUDENT)

    sam = _person(browser, asgi_live_server)
    frames: list[dict] = []
    sockets = []

    def watch(ws):
        sockets.append(ws.url)
        ws.on("framereceived", lambda payload: frames.append(json.loads(payload)))

    sam.page.on("websocket", watch)
    polls = []
    sam.page.on("request", lambda r: polls.append(r.url) if "after=" in r.url else None)
    sam.login(student.email)
    sam.goto(room_page(room))
    messages = sam.page.locator(f'[data-room-id="{room.pk}"]')
    expect(messages).to_have_attribute("data-live", "open")
    sam.page.evaluate("window.__sameDocument = true")
    badge = sam.page.locator('[data-unread-badge="rooms"]')

    tina = _person(browser, asgi_live_server)
    tina.login(teacher.email)
    tina.goto(room_page(room))
    send(tina, room, "Quiz on Friday: chapters 3 and 4")

    arrived = messages.locator("[data-message-id]", has_text="Quiz on Friday: chapters 3 and 4")
    expect(arrived).to_be_visible()
    assert sam.page.evaluate("window.__sameDocument") is True  # no reload
    assert polls == []
    host = f"ws://127.0.0.1:{asgi_live_server.rsplit(':', 1)[1]}"
    # One room socket, and the header badges' page-wide one on each page (static/js/badges.js).
    assert [url for url in sockets if "/ws/rooms/" in url] == [f"{host}/ws/rooms/{room.pk}/"]
    assert set(sockets) == {f"{host}/ws/me/", f"{host}/ws/rooms/{room.pk}/"}
    new = [f for f in frames if f["type"] == "message.new"]
    assert [f["message"]["body"] for f in new] == ["Quiz on Friday: chapters 3 and 4"]
    message_id = new[0]["message"]["id"]
    assert arrived.get_attribute("data-message-id") == str(message_id)

    # Shown on a visible page, so read: the marker moved over it and the badge counts nothing.
    def marker():
        return RoomMember.objects.get(room=room, user=student).last_read_id

    for _ in range(50):  # the read frame is on its way (Playwright serves events while it waits)
        if marker() == message_id:
            break
        sam.page.wait_for_timeout(100)
    assert marker() == message_id
    expect(badge).to_have_text("0")
    expect(badge).to_be_hidden()

    tina.goto(room_page(club))
    bell = sam.page.locator("header [data-testid=notifications-badge]")
    expect(bell).to_have_count(0)
    send(tina, club, "Club meets at five, @Sam")

    expect(badge).to_have_text("1")
    expect(bell).to_have_text("1 unread")  # the mention's notification, in the header at once
    expect(sam.page.get_by_role("link", name="Chat rooms 1 unread")).to_be_visible()
    assert {"rooms": 1, "by_room": {str(room.pk): 0, str(club.pk): 1}}.items() <= next(
        f for f in reversed(frames) if f["type"] == "unread"
    ).items()
    expect(messages.locator("[data-message-id]")).to_have_count(1)  # another room's message
    assert sam.page.evaluate("window.__sameDocument") is True
    sam.check_a11y()
    sam.screenshot("rooms-live-student")

    # Someone outside the room: the page is a 404 and the socket never opens (HTTP 403 on the
    # handshake, which the browser reports as an abnormal close).
    other = _person(browser, asgi_live_server)
    other.login(outsider.email)
    response = other.page.goto(asgi_live_server + room_page(room))
    assert response is not None and response.status == 404
    outcome = other.page.evaluate(
        """(url) => new Promise((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => resolve("open");
            ws.onclose = (event) => resolve(`closed ${event.code}`);
        })""",
        re.sub(r"^http", "ws", asgi_live_server) + f"/ws/rooms/{room.pk}/",
    )
    assert outcome == "closed 1006"
    other.check_a11y()
    for person in (sam, tina, other):
        person.page.context.close()
