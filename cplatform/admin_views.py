"""What every Wagtail admin viewset of the site shares (installed by `cplatform/wagtail_hooks.py`).

- **Copy only prefills.** Wagtail's generic copy view (`CopyViewMixin`) answers a POST by saving
  its form onto the object being copied: a "copy" overwrote the original (the superuser takeover
  of issue 8 went through the users' one). Its page is a form prefilled from the original that
  the browser posts to the add view, which makes the new row; so every copy view takes GET only.
  A model with child rows (a menu's items) has no copy at all: its prefilled child forms would
  carry the original's rows.
- **Private snippets have private choosers.** A snippet's chooser lists every row to anyone who
  may enter the admin; a snippet whose rows are people's business (guardian links) uses
  `PrivateSnippetChooserViewSet`, which answers only to those holding a permission on the model,
  and wagtail-localize's snippet API answers as the model's chooser does.
- **The review's "publishing cancels it" modal is a publisher's.** Wagtail's snippet view
  `confirm_workflow_cancellation` checks no permission: anyone in the admin (a teacher, the Admin
  role) could read, for any snippet, whether it is in review or sent back and the workflow's and
  task's names. The edit screen opens it only when Publish is clicked, so it takes "publish".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from modelcluster.models import get_all_child_relations
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser as snippet_chooser

# --- copy ----------------------------------------------------------------------------------------


class PrefillOnlyCopyMixin:
    """The copy page shows the prefilled form; the add view saves it."""

    http_method_names = ["get", "head", "options"]


def make_copy_views_prefill_only(viewsets) -> None:
    for viewset in viewsets:
        if not isinstance(viewset, ModelViewSet) or not viewset.copy_view_enabled:
            continue
        model = viewset.model
        if get_all_child_relations(model):
            viewset.copy_view_enabled = False
            continue
        view_class = viewset.copy_view_class
        if not issubclass(view_class, PrefillOnlyCopyMixin):
            viewset.copy_view_class = type(view_class)(
                view_class.__name__, (PrefillOnlyCopyMixin, view_class), {}
            )


# --- the review's confirmation ----------------------------------------------------------------


class PublishersOnlyMixin(PermissionCheckedMixin):
    permission_required = "publish"


def make_workflow_cancellation_publishers_only(viewsets) -> None:
    """Snippets' (pages have their own page permissions, outside this rule)."""
    from wagtail.snippets.views.snippets import SnippetViewSet

    for viewset in viewsets:
        if not isinstance(viewset, SnippetViewSet) or not viewset.workflow_enabled:
            continue
        view_class = viewset.confirm_workflow_cancellation_view_class
        if issubclass(view_class, PublishersOnlyMixin):
            continue
        viewset.confirm_workflow_cancellation_view_class = type(view_class)(
            view_class.__name__, (PublishersOnlyMixin, view_class), {}
        )


# --- choosers ------------------------------------------------------------------------------------

_ANY_ACTION = ("add", "change", "delete", "view")


def user_may_choose(user, model) -> bool:
    """Whether `user` may see the rows of `model` in a chooser (or wagtail-localize's snippet API)."""
    viewset = getattr(model, "snippet_viewset", None)
    chooser = getattr(viewset, "chooser_viewset", None)
    if not isinstance(chooser, PrivateSnippetChooserViewSet):
        return True
    return policy_registry.get_by_type(model).user_has_any_permission(user, _ANY_ACTION)


class _PrivateChooserMixin:
    def dispatch(self, request, *args, **kwargs):
        if not user_may_choose(request.user, self.model_class):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _private(view_class):
    return type(view_class.__name__, (_PrivateChooserMixin, view_class), {})


class PrivateSnippetChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = _private(snippet_chooser.ChooseView)
    choose_results_view_class = _private(snippet_chooser.ChooseResultsView)
    chosen_view_class = _private(snippet_chooser.SnippetChosenView)
    chosen_multiple_view_class = _private(snippet_chooser.SnippetChosenMultipleView)
    create_view_class = _private(snippet_chooser.SnippetCreateView)


def localize_snippets_api(view):
    """wagtail-localize's snippet API view, answering only those who may use the model's chooser."""
    from wagtail.snippets.views.snippets import get_snippet_model_from_url_params

    def guarded(request, app_label, model_name, **kwargs):
        model = get_snippet_model_from_url_params(app_label, model_name)
        if not user_may_choose(request.user, model):
            raise PermissionDenied
        return view(request, app_label=app_label, model_name=model_name, **kwargs)

    return guarded
