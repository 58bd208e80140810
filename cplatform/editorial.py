"""Who runs the public site from the Wagtail admin.

- **Editors** reach the admin, create and edit pages, images, documents and the public site's
  snippets, and submit pages for translation; they cannot publish: a page they submit goes through
  the "Marketing review" workflow.
- **Moderators** may do the same, and publish, approve the review, lock pages, manage redirects
  and change the site settings.

Groups, page / collection permissions, the workflow and the scheduled-publishing job are stated in
`cplatform/editorial_rules.py` and written by its `install`, which the data migration
`cplatform/migrations/0001_editorial_workflow.py` runs. The snippet and setting
models of the public-site apps arrive in later migrations of those apps, so their permissions are
granted here after every `migrate` (a post_migrate handler, see `CplatformConfig.ready`).
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from . import editorial_rules
from .editorial_rules import EDITORS, MODERATORS
from .editorial_rules import SCHEDULE as SCHEDULE_NAME
from .editorial_rules import TASK as TASK_NAME
from .editorial_rules import WORKFLOW as WORKFLOW_NAME

__all__ = ["EDITORS", "MODERATORS", "SCHEDULE_NAME", "TASK_NAME", "WORKFLOW_NAME"]

# The apps whose snippets and settings are the public site's content. Snippets of other apps
# (a family's guardian links, for instance) stay out of the editors' reach.
CONTENT_APPS = ("cplatform", "home", "blog", "faq")

EDITOR_SNIPPET_ACTIONS = ("add", "change")
MODERATOR_SNIPPET_ACTIONS = ("add", "change", "delete", "publish", "lock", "unlock")


def content_snippet_models() -> list[type]:
    from wagtail.snippets.models import get_snippet_models

    return [m for m in get_snippet_models() if m._meta.app_label in CONTENT_APPS]


def content_setting_models() -> list[type]:
    from wagtail.contrib.settings.registry import registry

    return [m for m in registry if m._meta.app_label in CONTENT_APPS]


def _permissions(model, actions) -> list[Permission]:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    codenames = [f"{action}_{model._meta.model_name}" for action in actions]
    return list(Permission.objects.filter(content_type=content_type, codename__in=codenames))


def grant_content_permissions() -> None:
    """Give the groups (if they exist) the permissions on the public site's snippets and settings."""
    editors = Group.objects.filter(name=EDITORS).first()
    moderators = Group.objects.filter(name=MODERATORS).first()
    for model in content_snippet_models():
        if editors:
            editors.permissions.add(*_permissions(model, EDITOR_SNIPPET_ACTIONS))
        if moderators:
            moderators.permissions.add(*_permissions(model, MODERATOR_SNIPPET_ACTIONS))
    for model in content_setting_models():
        if moderators:
            moderators.permissions.add(*_permissions(model, ("change",)))


def on_post_migrate(sender, using="default", **kwargs) -> None:
    """After `migrate` (sent once per app with models): on the last one, make sure the content
    apps' permission rows exist, then give the groups theirs."""
    from django.contrib.auth.management import create_permissions

    with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    if sender is not with_models[-1]:
        return
    for app_config in with_models:
        if app_config.label in CONTENT_APPS:
            create_permissions(app_config, verbosity=0, using=using)
    grant_content_permissions()


def ensure_editorial_setup() -> None:
    """Idempotent: (re)create everything the migration makes, plus the content permissions."""
    from wagtail.models import Collection

    if not Collection.objects.filter(depth=1).exists():  # a flushed test database
        Collection.add_root(name="Root")
    editorial_rules.install(global_apps)
    grant_content_permissions()
