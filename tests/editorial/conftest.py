import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page

from cplatform.editorial import EDITORS, MODERATORS
from tests.authentication.factories import UserFactory


def _member_of(group_name: str, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return _member_of(EDITORS, email="editor@example.com", first_name="Eddie")


@pytest.fixture
def moderator(db):
    return _member_of(MODERATORS, email="moderator@example.com", first_name="Mona")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def moderator_client(moderator):
    from django.test import Client

    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def home(db):
    return Page.objects.get(depth=2, locale=Locale.objects.get(language_code="en")).specific


@pytest.fixture
def spanish(db):
    return Locale.objects.get(language_code="es")
