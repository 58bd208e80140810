"""Removing an email address asks first (allauth's own page removed it on one click)."""

import pytest
from allauth.account.models import EmailAddress

from tests.authentication.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    user = UserFactory(roles=["Student"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    EmailAddress.objects.create(user=user, email="old@example.com", verified=True)
    return user


def test_remove_opens_a_confirmation_that_says_what_happens_then_removes(client, person):
    client.force_login(person)
    page = client.get("/auth/email/").content.decode()
    assert 'formaction="/auth/email/remove/"' in page and 'formmethod="get"' in page
    assert 'name="action_remove"' not in page  # no one-click removal left on the page

    asked = client.get("/auth/email/remove/", {"email": "old@example.com"})
    html = asked.content.decode()
    assert asked.status_code == 200 and 'data-testid="confirm"' in html
    assert "You can no longer sign in with old@example.com." in html
    assert EmailAddress.objects.filter(user=person, email="old@example.com").exists()

    done = client.post(
        "/auth/email/", {"email": "old@example.com", "action_remove": "1"}, follow=True
    )
    assert done.status_code == 200
    assert not EmailAddress.objects.filter(user=person, email="old@example.com").exists()
    assert "old@example.com" in done.content.decode()  # allauth's message names it


def test_the_primary_address_is_not_offered_for_removal(client, person):
    client.force_login(person)
    response = client.get("/auth/email/remove/", {"email": person.email}, follow=True)
    assert response.redirect_chain[-1][0] == "/auth/email/"
    assert "make another address primary first" in response.content.decode()
    assert EmailAddress.objects.filter(user=person, email=person.email).exists()


def test_another_persons_address_answers_like_a_missing_one(client, person):
    client.force_login(UserFactory(roles=["Student"]))
    assert client.get("/auth/email/remove/", {"email": "old@example.com"}).status_code == 404
    assert client.get("/auth/email/remove/", {"email": "nobody@example.com"}).status_code == 404


def test_the_confirmation_speaks_spanish_on_the_spanish_site(client, person):
    client.force_login(person)
    html = client.get("/es/auth/email/remove/", {"email": "old@example.com"}).content.decode()
    assert "Ya no podrás iniciar sesión con old@example.com." in html
