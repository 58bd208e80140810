"""HTTP conventions over every operation (cplatform/api_http.py): `Location` on each 201, ETag and
`If-None-Match` on each GET, absolute URLs, CORS for a frontend on another origin.

The generic tests walk the permission matrix's rows (every operation of the schema has one), so a new
operation is covered the day it gets its row."""

import pytest
from django.db import transaction
from django.test import override_settings

from tests.api.test_permission_matrix import MATRIX, _request
from tests.api.test_permission_matrix import world as world  # noqa: PLC0414 - the fixture

pytestmark = pytest.mark.django_db


def _first(key: str, status: int) -> str | None:
    return next((p for p, s in MATRIX[key].expect.items() if s == status), None)


CREATING = sorted(k for k in MATRIX if k.startswith("POST ") and _first(k, 201))
READING = sorted(k for k in MATRIX if k.startswith("GET ") and _first(k, 200))


@pytest.mark.parametrize("key", CREATING)
def test_every_201_carries_the_absolute_location_of_what_it_created(world, client, key):
    principal = _first(key, 201)
    with transaction.atomic():
        response = _request(client, world, key, principal)
        assert response.status_code == 201, response.content[:300]
        assert response.has_header("Location"), f"{key}: declare its GET with @location"
        location = response["Location"]
        assert location.startswith("http://testserver/api/v1/"), location
        followed = client.get(location, **world.headers(principal))
        transaction.set_rollback(True)
    assert followed.status_code == 200, (location, followed.content[:300])
    # The GET answers what was created, as the 201 showed it.
    assert followed.json() == response.json()


@pytest.mark.parametrize("key", READING)
def test_every_get_answers_304_to_its_own_etag(world, client, key):
    principal = _first(key, 200)
    with transaction.atomic():
        response = _request(client, world, key, principal)
        if response.streaming:  # a file download: the file, not a JSON representation
            transaction.set_rollback(True)
            return
        etag = response["ETag"]
        assert etag.startswith('W/"'), etag
        assert "private" in response["Cache-Control"]
        client.defaults["HTTP_IF_NONE_MATCH"] = etag
        try:
            again = _request(client, world, key, principal)
            client.defaults["HTTP_IF_NONE_MATCH"] = 'W/"something-else"'
            changed = _request(client, world, key, principal)
        finally:
            del client.defaults["HTTP_IF_NONE_MATCH"]
        transaction.set_rollback(True)
    assert again.status_code == 304, again.content[:300]
    assert again.content == b""
    assert again["ETag"] == etag
    assert changed.status_code == 200


@pytest.mark.parametrize("key", CREATING)
def test_every_post_that_creates_accepts_an_idempotency_key(world, client, key):
    principal = _first(key, 201)
    client.defaults["HTTP_IDEMPOTENCY_KEY"] = f"matrix {key}"
    try:
        with transaction.atomic():
            first = _request(client, world, key, principal)
            retry = _request(client, world, key, principal)
            transaction.set_rollback(True)
    finally:
        del client.defaults["HTTP_IDEMPOTENCY_KEY"]
    assert (first.status_code, retry.status_code) == (201, 201), retry.content[:300]
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.content == first.content
    assert retry.get("Location") == first.get("Location")


API = "/api/v1/teachers"
FRONTEND = "https://app.example.org"


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND])
def test_an_allowed_origin_may_call_the_api_with_the_tokens_and_read_the_headers(client):
    preflight = client.options(
        API,
        HTTP_ORIGIN=FRONTEND,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-session-token, idempotency-key, if-none-match",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == FRONTEND
    allowed = {h.strip() for h in preflight["Access-Control-Allow-Headers"].split(",")}
    assert {"x-session-token", "idempotency-key", "if-none-match"} <= allowed
    actual = client.get(API, HTTP_ORIGIN=FRONTEND)
    assert actual.status_code == 200
    assert actual["Access-Control-Allow-Origin"] == FRONTEND
    exposed = {h.strip() for h in actual["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Location"} <= exposed


@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND])
def test_another_origin_gets_no_cors_headers(client):
    preflight = client.options(
        API, HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert not preflight.has_header("Access-Control-Allow-Origin")
    actual = client.get(API, HTTP_ORIGIN="https://evil.example")
    assert not actual.has_header("Access-Control-Allow-Origin")


def test_cors_is_off_by_default(client, settings):
    assert settings.CORS_ALLOWED_ORIGINS == []
    actual = client.get(API, HTTP_ORIGIN=FRONTEND)
    assert not actual.has_header("Access-Control-Allow-Origin")


def _url_fields(value, path=""):
    if isinstance(value, dict):
        for name, item in value.items():
            if name.endswith("url") and isinstance(item, str):
                yield f"{path}.{name}", item
            yield from _url_fields(item, f"{path}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _url_fields(item, f"{path}[{index}]")


@pytest.mark.parametrize("key", READING + CREATING)
def test_every_url_in_an_answer_is_absolute_on_the_requests_host(world, client, key):
    principal = _first(key, 200) or _first(key, 201)
    with transaction.atomic():
        response = _request(client, world, key, principal)
        transaction.set_rollback(True)
    if response.streaming or not response["Content-Type"].startswith("application/json"):
        return  # a file (a calendar feed, an invoice's PDF) holds no JSON URLs
    relative = [
        (where, url)
        for where, url in _url_fields(response.json())
        if url and "://" not in url  # a typed-in link (https://…) is absolute already
    ]
    assert not relative, relative
    ours = [url for _where, url in _url_fields(response.json()) if "testserver" in url]
    assert all(url.startswith(("http://testserver/", "webcal://testserver/")) for url in ours)


def test_without_a_request_urls_are_built_on_site_url(settings):
    from cplatform.api_http import absolute_url

    settings.SITE_URL = "https://learn.example.org"
    assert absolute_url("/calendar/x.ics") == "https://learn.example.org/calendar/x.ics"
    assert absolute_url("https://cdn.example/a.png") == "https://cdn.example/a.png"
