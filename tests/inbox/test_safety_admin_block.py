"""Nobody blocks an admin, and an admin blocks nobody (they may write to anyone: a block of theirs
would stop nothing; a report's actions are their way). Each pair of the matrix is refused with its
code through the API (422) and on the page (the confirmation page says why and offers no button,
GET and POST alike), and no block row is written."""

import pytest
from django.urls import reverse

from inbox.models import UserBlock
from tests.authentication.helpers import auth_header
from tests.conftest import login_token
from tests.inbox.safety_people import people

pytestmark = pytest.mark.django_db

# (blocker, blocked) → the code, or None where a block is made.
CASES = [
    ("admin", "student", "admin_cannot_block"),
    ("admin", "teacher", "admin_cannot_block"),
    ("admin", "parent", "admin_cannot_block"),
    ("student", "admin", "admin_not_blockable"),
    ("teacher", "admin", "admin_not_blockable"),
    ("student", "teacher", None),
]


@pytest.fixture
def folks():
    return people()


@pytest.mark.parametrize(("blocker", "blocked", "code"), CASES)
def test_blocking_through_the_api(client, folks, blocker, blocked, code):
    actor, target = getattr(folks, blocker), getattr(folks, blocked)
    response = client.post(
        "/api/v1/blocks",
        {"user_id": target.pk},
        content_type="application/json",
        **auth_header(login_token(client, actor.email)),
    )
    if code is None:
        assert response.status_code == 201
        return
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == code and body["detail"] and body["errors"]["user_id"]
    assert not UserBlock.objects.exists()


@pytest.mark.parametrize(("blocker", "blocked", "code"), CASES)
def test_blocking_on_the_page(client, folks, blocker, blocked, code):
    actor, target = getattr(folks, blocker), getattr(folks, blocked)
    client.force_login(actor)
    url = reverse("inbox-block", args=[target.pk])
    asked = client.get(url)
    if code is None:
        assert asked.status_code == 200 and b'data-testid="confirm-button"' in asked.content
        assert client.post(url).status_code == 302
        assert UserBlock.objects.filter(blocker=actor, blocked=target).exists()
        return
    for response in (asked, client.post(url)):
        assert response.status_code == 422
        html = response.content.decode()
        assert 'data-testid="confirm-refusal"' in html
        assert 'data-testid="confirm-button"' not in html
        assert "Admins" in html
    assert not UserBlock.objects.exists()
