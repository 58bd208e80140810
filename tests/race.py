"""Races over real HTTP: a live server that accepts 50 connections at once, and many clients released
together by a barrier, each on its own connection. Used by the booking, last-seat and login-limit
race tests."""

import http.client
import json
import threading
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from tests.authentication.factories import PASSWORD


class _WideBacklogServer(ThreadedWSGIServer):
    """Django's live server listens with a backlog of 5: 50 simultaneous connections would be reset
    by the kernel before reaching it. A production server listens wider; so does this one."""

    request_queue_size = 128


class _LiveServerThread(LiveServerThread):
    server_class = _WideBacklogServer


@pytest.fixture
def wide_live_server(transactional_db):
    thread = _LiveServerThread("localhost", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://{thread.host}:{thread.port}"
    thread.terminate()


def session_token(client, email: str, n: int) -> str:
    """Log in through allauth's app API (each from its own address, under the login rate limit)."""
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": email, "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR=f"10.0.{n // 250}.{n % 250 + 1}",
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def simultaneous_posts(
    live_server_url: str, path: str, payload: dict, tokens: list[str]
) -> tuple[Counter, list[str]]:
    """POST the same JSON body once per token, all released at the same moment. Returns the count of
    each status (599 for a dropped connection) and the bodies of 5xx answers and the errors."""
    body = json.dumps(payload)
    return simultaneous_requests(
        live_server_url,
        [
            ("POST", path, body, {"Content-Type": "application/json", "X-Session-Token": token})
            for token in tokens
        ],
    )


def simultaneous_requests(
    live_server_url: str, requests: list[tuple[str, str, str, dict[str, str]]]
) -> tuple[Counter, list[str]]:
    """Send each (method, path, body, headers) on its own connection, all released at the same
    moment. Returns the count of each status (599 for a dropped connection) and the bodies of 5xx
    answers and the errors."""
    url = urlsplit(live_server_url)
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def attempt(method: str, path: str, body: str, headers: dict[str, str]):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        try:
            barrier.wait(timeout=60)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            with lock:
                statuses.append(response.status)
                if response.status >= 500:
                    failures.append(answer[:300].decode(errors="replace"))
        except Exception as exc:  # noqa: BLE001 - a dropped connection is a failure to count
            with lock:
                statuses.append(599)
                failures.append(repr(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses), failures
