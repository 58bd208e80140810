"""cplatform/admin_confirm.py, the base of the Wagtail-admin views that ask first, then act (billing's
refund and "Mark paid", the moderation queue's actions, the weekly summary): GET never acts, POST
acts once and leads back with the success message, a refusal shows the question again saying why
(or propagates when the view shows none), and whoever may not enter gets 403 before the object is
looked up. The views built on it keep their own tests (tests/billing/test_papers_access.py,
tests/inbox/test_safety_*.py, tests/dashboards/test_admin_dashboard*.py)."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cplatform.admin_confirm import AdminConfirmMixin, AdminObjectMixin
from cplatform.exceptions import DomainError, ValidationFailed

pytestmark = pytest.mark.django_db

# A viewset namespace with an index and a detail page taking a pk (billing's payments).
NAMESPACE = "billing_payments"
PREFIX = "admin-confirm-"  # the groups these tests make (the role groups exist already)


def _made() -> list[str]:
    return list(Group.objects.filter(name__startswith=PREFIX).values_list("name", flat=True))


class _Base(WagtailAdminTemplateMixin, TemplateView):
    """What an app's base view gives: its guard (`may_enter`) and `url_namespace`."""

    url_namespace = None
    allowed = True

    def may_enter(self, user) -> bool:
        return self.allowed


class CreateGroupView(AdminConfirmMixin, AdminObjectMixin, _Base):
    """Acts by creating a Group named PREFIX + the POST's `name`; "refuse" refuses before writing,
    "refuse-after-write" refuses inside the service's transaction, after its write."""

    success_message = "Group created."
    lookups: list[int] = []

    def get_object(self):
        self.lookups.append(self.pk)
        return Group(pk=self.pk, name="the object")

    def act(self):
        name = self.request.POST["name"]
        if name == "refuse":
            raise ValidationFailed(errors={"name": ["Not that name."]})
        with transaction.atomic():
            Group.objects.create(name=PREFIX + name)
            if name == "refuse-after-write":
                raise DomainError("Refused after writing.")


class SubscribeLikeView(AdminConfirmMixin, WagtailAdminTemplateMixin, TemplateView):
    """A page about no object (as the weekly summary's): no guard of this base, no lookup."""

    url_namespace = None
    success_message = "Done."

    def act(self):
        Group.objects.create(name=PREFIX + "subscribed")


def _call(view_class, method: str = "get", data=None, **initkwargs):
    request = getattr(RequestFactory(), method)("/admin/anything/", data or {})
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)
    view = view_class.as_view(url_namespace=NAMESPACE, **initkwargs)
    return request, view(request, pk=7)


def _messages(request) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in messages.get_messages(request)]


def test_get_asks_and_acts_not():
    request, response = _call(CreateGroupView)
    assert response.status_code == 200
    assert _made() == []
    assert _messages(request) == []
    context = response.context_data
    assert context["cancel_url"] == reverse(f"{NAMESPACE}:index")
    assert (context["error"], context["errors"], context["general_errors"]) == ("", {}, [])


def test_post_acts_once_and_leads_back_with_the_success_message():
    request, response = _call(CreateGroupView, "post", {"name": "made"})
    assert response.status_code == 302
    assert response["Location"] == reverse(f"{NAMESPACE}:index")
    assert _made() == [PREFIX + "made"]
    assert _messages(request) == [(messages.SUCCESS, "Group created.")]


def test_a_page_about_no_object_asks_and_acts_the_same_way():
    _request, response = _call(SubscribeLikeView)
    assert response.status_code == 200 and _made() == []
    request, response = _call(SubscribeLikeView, "post")
    assert response["Location"] == reverse(f"{NAMESPACE}:index")
    assert _made() == [PREFIX + "subscribed"]
    assert _messages(request) == [(messages.SUCCESS, "Done.")]


def test_back_to_object_leads_cancel_and_the_redirect_to_the_objects_page():
    detail = reverse(f"{NAMESPACE}:detail", args=[7])
    _request, response = _call(CreateGroupView, back_to_object=True)
    assert response.context_data["cancel_url"] == detail
    _request, response = _call(CreateGroupView, "post", {"name": "made"}, back_to_object=True)
    assert response["Location"] == detail


def test_a_refusal_shows_the_question_again_saying_why_and_writes_nothing():
    request, response = _call(CreateGroupView, "post", {"name": "refuse"})
    assert response.status_code == 200
    assert response.context_data["errors"] == {"name": ["Not that name."]}
    assert response.context_data["general_errors"] == []
    assert _messages(request) == []
    assert _made() == []


def test_a_refusal_after_the_services_write_leaves_no_row_and_is_the_forms_own_error():
    request, response = _call(CreateGroupView, "post", {"name": "refuse-after-write"})
    assert response.status_code == 200
    assert response.context_data["error"] == "Refused after writing."
    assert response.context_data["general_errors"] == ["Refused after writing."]
    assert _made() == []
    assert _messages(request) == []


def test_a_view_that_shows_no_refusal_lets_it_propagate():
    with pytest.raises(ValidationFailed):
        _call(CreateGroupView, "post", {"name": "refuse"}, refusals=())


def test_whoever_may_not_enter_gets_403_before_the_object_is_looked_up():
    CreateGroupView.lookups = []
    for method in ("get", "post"):
        with pytest.raises(PermissionDenied):
            _call(CreateGroupView, method, {"name": "made"}, allowed=False)
    assert CreateGroupView.lookups == []
    assert _made() == []
    _call(CreateGroupView)
    assert CreateGroupView.lookups == [7]
