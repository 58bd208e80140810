"""Wagtail-admin views that ask first, then act (billing's refund and "Mark paid", the moderation
queue's actions, the dashboard's weekly summary…): one shape, written once.

- The page's object (`AdminObjectMixin`) comes from the URL's `pk` through the app's selector, and
  only once the app's guard (`may_enter`) has let the user in: whoever may not enter gets 403 for a
  missing object as for an existing one; an admin gets the selector's 404.
- GET answers the question: the view's template says what will happen. It never acts.
- POST acts once (`act`, which calls one service), then shows the success message and leads back
  (`get_back_url`, where "Cancel" leads too). A refused domain rule (`refusals`, a DomainError by
  default) goes to `refused`: by default the question again, saying why (the context's `error`,
  `errors` and `general_errors`), status 200; the service wrote nothing.

cplatform knows no roles (it is the bottom layer): the app says who may enter and which service
acts; the view's base classes (the app's permission mixin, WagtailAdminTemplateMixin,
TemplateView) come after these mixins.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .exceptions import DomainError


class AdminObjectMixin:
    """The object the page is about: `get_object()` (the app's selector for `self.pk`), fetched in
    dispatch after `may_enter(user)`. The app defines both, `may_enter` usually once on its own
    base view (a default here would hide it: this mixin comes first in the bases)."""

    pk = None
    object = None

    def setup(self, request, *args, **kwargs):
        self.pk = kwargs.pop("pk", None)
        super().setup(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not self.may_enter(request.user):
            raise PermissionDenied
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)


def refusal_errors(refusal: DomainError | None) -> dict[str, list[str]]:
    """A refusal as a form's errors: its field errors, or its detail as the form's own."""
    if refusal is None:
        return {}
    return refusal.errors or {"__all__": [refusal.detail]}


class AdminConfirmMixin:
    """GET: the question; POST: `act()`, the success message and back; a refusal: `refused()`.
    `url_namespace` is the viewset's (the app's base view declares it; `as_view` sets it). A page
    about an object lists `AdminObjectMixin` after this one."""

    # "Cancel" and the redirect after acting lead to the viewset's index, or to the object's page.
    back_to_object = False
    success_message = ""
    # What `act` may raise that the page shows (an empty tuple: none; anything else propagates).
    refusals: type[Exception] | tuple[type[Exception], ...] = DomainError
    refusal: DomainError | None = None

    def act(self) -> None:
        """Do it: call the one service (self.request.user as the actor). Raise to refuse."""
        raise NotImplementedError

    def get_success_message(self) -> str:
        return str(self.success_message)

    def get_back_url(self) -> str:
        if self.back_to_object:
            return reverse(f"{self.url_namespace}:detail", args=[self.object.pk])
        return reverse(f"{self.url_namespace}:index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        errors = refusal_errors(self.refusal)
        context.update(
            {
                "cancel_url": self.get_back_url(),
                "error": self.refusal.detail if self.refusal is not None else "",
                "errors": errors,
                "general_errors": errors.get("__all__", []),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            self.act()
        except self.refusals as exc:
            return self.refused(exc)
        messages.success(request, self.get_success_message())
        return redirect(self.get_back_url())

    def refused(self, exc: DomainError) -> HttpResponse:
        """The question again, saying why."""
        self.refusal = exc
        return self.render_to_response(self.get_context_data())
