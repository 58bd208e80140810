"""Who may use which admin view (issue 8, finding 1 and its class).

The rows are built from the registries, not from a hand-written list of URLs: every Wagtail viewset
that has views (snippets and their choosers, users, groups, locales, sites …), every Wagtail bulk
action, wagtail-localize's snippet API (one per snippet model) and every Django admin registration
(dj-stripe's included). Each is declared below: which of the eight kinds of person may use each of
its views. A viewset, view, bulk action or ModelAdmin registered without a declaration fails
`test_every_*_is_declared`: declare who may use it.

A row is a URL × a person × (for object views) a target object → allowed (the view answers) or
refused (what Wagtail and Django answer for "no permission": the login page for people who may not
enter that admin, the dashboard or a 403 for those who may, a 404 or Django's "no such object"
redirect for objects hidden from them). A refused POST leaves its object, and the number of rows,
as they were; then the first person allowed posts the same data and it takes effect, which shows
the refused data would have worked.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.viewsets import viewsets as wagtail_viewsets
from wagtail.models import Collection, DraftStateMixin, Locale, Page, Site
from wagtail.permissions import policy_registry
from wagtail.snippets.models import get_snippet_models

from authentication.models import User
from authentication.services import guardian_invite
from catalog.models import Level, Subject, TeachingLanguage
from cplatform.editorial import EDITORS, MODERATORS
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# --- the people ----------------------------------------------------------------------------------

ANON, STUDENT, PARENT, TEACHER = "anonymous", "student", "parent", "teacher"
EDITOR, MODERATOR, ADMIN, SUPER = "editor", "moderator", "admin", "superuser"
# Ordered from the least to the most trusted: the first person allowed makes the positive control.
PRINCIPALS = (ANON, STUDENT, PARENT, TEACHER, EDITOR, MODERATOR, ADMIN, SUPER)
NO_WAGTAIL_ACCESS = frozenset({ANON, STUDENT, PARENT})  # no `wagtailadmin.access_admin`
NOT_STAFF = frozenset({ANON, STUDENT, PARENT, TEACHER, EDITOR, MODERATOR})  # no Django admin

NOBODY: frozenset[str] = frozenset()
SUPERUSERS = frozenset({SUPER})
ADMINS = frozenset({ADMIN, SUPER})  # the Admin role (staff, not superuser) and superusers
EDITORIAL = frozenset({EDITOR, MODERATOR, SUPER})
PUBLISHERS = frozenset({MODERATOR, SUPER})
IN_WAGTAIL = frozenset({TEACHER, EDITOR, MODERATOR, ADMIN, SUPER})
ANY_VIEW = "*"  # a coarse declaration: every view of the registration, current and future


def _member_of(group_name: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def give_the_admin_role_what_older_databases_gave_it() -> None:
    """Databases migrated before the fix gave the Admin role every auth.* permission (groups and
    permissions included; a fresh test database happens not to: its post_migrate order). The
    refusals below must not depend on which database this is."""
    from django.contrib.auth.models import Permission

    Group.objects.get(name="Admin").permissions.add(
        *Permission.objects.filter(content_type__app_label="auth")
    )


def make_people() -> dict[str, User | None]:
    from courses.page_services import course_index_ensure

    give_the_admin_role_what_older_databases_gave_it()
    # Teachers enter the admin with the course catalog (courses/migrations/0004); a database a
    # `transaction=True` test flushed has neither until a course is made.
    course_index_ensure()
    return {
        ANON: None,
        STUDENT: StudentFactory(email="matrix.student@example.com"),
        PARENT: ParentFactory(email="matrix.parent@example.com"),
        TEACHER: TeacherFactory(email="matrix.teacher@example.com"),
        EDITOR: _member_of(EDITORS, email="matrix.editor@example.com"),
        MODERATOR: _member_of(MODERATORS, email="matrix.moderator@example.com"),
        ADMIN: AdminFactory(email="matrix.admin@example.com"),
        SUPER: UserFactory(email="matrix.super@example.com", is_superuser=True, is_staff=True),
    }


def make_clients(people) -> dict[str, Client]:
    clients = {}
    for name, user in people.items():
        clients[name] = Client(raise_request_exception=False)  # a 500 is a row's answer
        if user is not None:
            clients[name].force_login(user)
    return clients


# --- what the objects are and how they change ----------------------------------------------------


@dataclass
class Target:
    name: str
    obj: models.Model
    # Who may touch this object at all, whatever the view allows (None: no further limit).
    only: frozenset[str] | None = None
    # The views it is tried on (None: every object view but those of an object in review).
    views: frozenset[str] | None = None

    def tried_on(self, view_name: str) -> bool:
        if self.views is None:
            return view_name not in REVIEW_VIEWS
        return view_name in self.views


def staff_with_more_rights() -> list[tuple[str, User]]:
    """People whose rights an Admin (not a superuser) could not grant, one of each kind: taking
    over their account would be using those rights."""
    from django.contrib.auth.models import Permission

    reviewers, _ = Group.objects.get_or_create(name="Course reviewers")
    reviewers.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    own = StudentFactory(email="target.own.permission@example.com")
    own.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailcore", codename="add_locale")
    )
    return [
        (
            "a superuser",
            UserFactory(email="target.boss@example.com", is_superuser=True, is_staff=True),
        ),
        ("an editor", _member_of(EDITORS, email="target.editor@example.com")),
        ("a moderator", _member_of(MODERATORS, email="target.moderator@example.com")),
        (
            "someone in a custom group",
            _member_of("Course reviewers", email="target.cr@example.com"),
        ),
        ("someone with a permission of their own", own),
    ]


def _home() -> Page:
    return Page.objects.get(depth=2, locale__language_code="en")


def targets_for(model) -> list[Target]:
    """The objects the object views of `model` are tried on."""
    from tests.blog.factories import BlogAuthorFactory, BlogCategoryFactory
    from tests.courses.factories import CourseFactory, EnrollmentFactory, MaterialFactory
    from tests.home.factories import ImageFactory, MenuFactory, MenuItemFactory, TestimonialFactory

    label = model._meta.label_lower
    if label == "authentication.user":
        return [
            Target("a student", StudentFactory(email="target.student@example.com")),
            Target("another admin", AdminFactory(email="target.admin@example.com")),
            # Rights beyond the roles an Admin grants: only a superuser manages these people.
            *(Target(name, person, only=SUPERUSERS) for name, person in staff_with_more_rights()),
        ]
    if label == "auth.group":
        return [Target("the Admin role's group", Group.objects.get(name="Admin"))]
    if label == "authentication.guardianlink":
        parent, child = ParentFactory(), StudentFactory(email="target.child@example.com")
        return [Target("a link", guardian_invite(actor=parent, email=child.email, as_role="child"))]
    if label == "classroom.teacherprofile":
        return [Target("a teacher's profile", TeacherFactory().teacher_profile)]
    if label == "catalog.subject":
        return [Target("a subject", Subject.objects.create(name="Astronomy", slug="astronomy"))]
    if label == "catalog.level":
        return [Target("a level", Level.objects.create(name="Expert", code="expert", position=9))]
    if label == "catalog.teachinglanguage":
        return [Target("a language", TeachingLanguage.objects.create(name="Klingon", code="tlh"))]
    if label == "home.testimonial":
        return _with_drafts("a testimonial", TestimonialFactory)
    if label == "home.menu":

        def menu():
            made = MenuFactory()
            MenuItemFactory(menu=made)
            return made

        return _with_drafts("a menu", menu)
    if label == "blog.blogauthor":
        return _with_drafts("an author", BlogAuthorFactory)
    if label == "blog.blogcategory":
        return _with_drafts("a category", BlogCategoryFactory)
    if label == "wagtailcore.locale":
        return [Target("a locale", Locale.objects.create(language_code="fr"))]
    if label == "wagtailcore.site":
        site = Site.objects.create(
            hostname="other.example.com", port=80, root_page=_home(), site_name="Other"
        )
        return [Target("a site", site)]
    if label == "wagtailimages.image":
        return [Target("an image", ImageFactory())]
    if label == "wagtaildocs.document":
        import wagtail_factories

        return [
            Target(
                "a document",
                wagtail_factories.DocumentFactory(collection=Collection.get_first_root_node()),
            )
        ]
    if label == "inbox.messagereport":
        from inbox.safety.models import MessageReport
        from tests.inbox.safety_people import write

        student, teacher = StudentFactory(), TeacherFactory()
        report = MessageReport.objects.create(
            message=write(teacher, student, "Rude"), reporter=student, reason="harassment"
        )
        return [Target("a report", report)]
    if label == "inbox.messagingsuspension":
        from inbox.safety.models import MessagingSuspension

        suspended = MessagingSuspension.objects.create(user=TeacherFactory(), reason="Spam")
        return [Target("a suspension", suspended)]
    if label == "classroom.lesson":
        return [Target("a lesson", _lesson())]
    if label == "classroom.availabilityrule":
        return [Target("a weekly window", _availability()[0])]
    if label == "classroom.availabilityexception":
        return [Target("time off", _availability()[1])]
    if label == "cplatform.outboundemail":
        from django.core.mail import send_mail

        from cplatform.models import OutboundEmail

        send_mail("Lesson booked", "See you", None, ["ana@example.com"])
        return [Target("an email", OutboundEmail.objects.latest("pk"))]
    if label == "courses.course":
        return [Target("a course", CourseFactory())]
    if label == "courses.material":
        return [Target("a material", MaterialFactory())]
    if label == "courses.enrollment":
        return [Target("an enrolment", EnrollmentFactory())]
    if label == "billing.payment":
        from tests.billing.factories_papers import paid_course_order

        return [Target("a payment", paid_course_order().payments.get())]
    if label == "billing.invoice":
        from tests.billing.factories_papers import course_order

        return [Target("an outstanding invoice", course_order().invoices.get())]
    if label == "billing.plan":
        from tests.billing.factories_policy import plan_for

        return [Target("a plan", plan_for(TeacherFactory().teacher_profile))]
    return []


# The views of the review itself: tried on an object an Editor submitted to the Marketing review
# (a workflow action needs a task in progress; without one Wagtail redirects everyone away).
REVIEW_VIEWS = frozenset(
    {
        "workflow_action",
        "collect_workflow_action_data",
        "confirm_workflow_cancellation",
        "workflow_history",
        "workflow_history_detail",
        "workflow_preview",
    }
)


def _with_drafts(name, make) -> list[Target]:
    """A snippet with drafts and review (cplatform/editorial.py): a live one with a published
    revision (its revision views have a revision to show), and one an Editor changed and submitted
    to the Marketing review (a task in progress, a workflow state to show)."""
    live = make()
    live.save_revision().publish()
    in_review = make()
    in_review.save_revision()
    submitter = _member_of(
        EDITORS, email=f"submitter.{type(in_review)._meta.model_name}@example.com"
    )
    in_review.get_workflow().start(in_review, submitter)
    return [Target(name, live), Target(f"{name} in review", in_review, views=REVIEW_VIEWS)]


def _lesson():
    from datetime import timedelta

    from django.utils import timezone

    from classroom.models import Lesson

    teacher, student = TeacherFactory(), StudentFactory()
    start = timezone.now() + timedelta(days=3)
    return Lesson.objects.create(
        teacher=teacher.teacher_profile,
        student=student,
        booked_by=student,
        start=start,
        end=start + timedelta(hours=1),
    )


def _availability():
    from datetime import time, timedelta

    from django.utils import timezone

    from classroom.models import AvailabilityException, AvailabilityRule

    profile = TeacherFactory().teacher_profile
    rule = AvailabilityRule.objects.create(
        teacher=profile, weekday=1, start_time=time(9), end_time=time(12)
    )
    start = timezone.now() + timedelta(days=5)
    off = AvailabilityException.objects.create(
        teacher=profile, start=start, end=start + timedelta(days=1), reason="Holiday"
    )
    return rule, off


# The change a positive control makes through an edit (or copy) form: {field: new value}. A model
# without one has nothing its edit form can change that the matrix may rely on.
EDITS = {
    "authentication.user": {"first_name": "Changed"},
    "auth.group": {"name": "Renamed group"},
    "authentication.guardianlink": {"status": "removed"},
    "classroom.teacherprofile": {"headline": "Changed headline"},
    "catalog.subject": {"name": "Changed"},
    "catalog.level": {"name": "Changed"},
    "catalog.teachinglanguage": {"name": "Changed"},
    "home.testimonial": {"name": "Changed"},
    "home.menu": {"text": "Changed"},
    "blog.blogauthor": {"name": "Changed"},
    "blog.blogcategory": {"name": "Changed"},
    "wagtailcore.site": {"site_name": "Changed"},
    "courses.course": {"title": "Changed"},
    "courses.material": {"title": "Changed"},
}
# An edit of a person also sets a new password: the takeover a refused edit must not achieve.
NEW_PASSWORD = "an-entirely-new-passphrase-42"
PASSWORD_ON_EDIT = {"authentication.user"}
# A copy must differ where the model is unique.
COPIES = {
    "catalog.subject": {"name": "Copied", "slug": "copied"},
    "catalog.level": {"name": "Copied", "code": "copied"},
    "catalog.teachinglanguage": {"name": "Copied", "code": "cp"},
    "home.testimonial": {"name": "Copied"},
    "blog.blogauthor": {"name": "Copied"},
    "blog.blogcategory": {"name": "Copied", "slug": "copied"},
    "wagtailcore.site": {"hostname": "copy.example.com", "site_name": "Copied"},
    # Locales: both content languages exist, so no copy can be valid; refusals are still checked.
}


def snapshot(obj) -> dict | None:
    """Everything an attacker could change: every concrete field and many-to-many set."""
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    data = {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}
    for m2m in fresh._meta.many_to_many:
        data[m2m.name] = sorted(getattr(fresh, m2m.name).values_list("pk", flat=True))
    # A snippet with drafts changes through its revisions and its review, not only its row.
    from wagtail.models import Revision, RevisionMixin, TaskState, WorkflowMixin, WorkflowState

    if isinstance(fresh, RevisionMixin):
        data["revisions"] = list(
            Revision.objects.for_instance(fresh).order_by("pk").values_list("pk", flat=True)
        )
    if isinstance(fresh, WorkflowMixin):
        states = WorkflowState.objects.filter(
            base_content_type=fresh.get_base_content_type(), object_id=str(fresh.pk)
        )
        data["workflow"] = sorted(states.values_list("pk", "status"))
        data["tasks"] = sorted(
            TaskState.objects.filter(workflow_state__in=states).values_list("pk", "status")
        )
    return data


# --- outcomes ------------------------------------------------------------------------------------

LOGIN_PATHS = {"/admin/login/", "/django-admin/login/"}
HOME_PATHS = {"/admin/", "/django-admin/"}


def outcome(response) -> str:
    """'refused', 'login' (refused: sent to a login page), 'ok', 'redirect' or 'error'."""
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (403, 404):
        return "refused"
    if status in (301, 302):
        path = urlsplit(response["Location"]).path
        if path in LOGIN_PATHS:
            return "login"
        if path in HOME_PATHS:
            return "refused"
        return "redirect"
    if status == 405:
        return "method"
    return "ok"


def check(problems, row, principal, response, allowed, *, login_path):
    got = outcome(response)
    where = f"{row} as {principal} → {response.status_code} {response.get('Location', '')}"
    if got == "error":
        problems.append(f"{where}: server error")
    elif allowed and got in ("refused", "login"):
        problems.append(f"{where}: refused, should be allowed")
    elif not allowed:
        if got not in ("refused", "login"):
            problems.append(f"{where}: allowed, should be refused")
        elif principal in (NO_WAGTAIL_ACCESS if login_path == "/admin/login/" else NOT_STAFF) and (
            urlsplit(response.get("Location", "")).path != login_path
        ):
            problems.append(f"{where}: should be sent to {login_path}")
    return got


def first_allowed(allowed):
    return next((p for p in PRINCIPALS if p in allowed), None)


# --- forms as a browser posts them ----------------------------------------------------------------


def page_form(html: str, page_path: str) -> tuple[str, dict[str, list[str]]]:
    """(action path, data) of the main POST form of a page, as a browser submits it: the largest
    POST form; a checkbox without a value posts "on", as browsers do."""
    soup = BeautifulSoup(html, "html.parser")
    forms = [f for f in soup.find_all("form") if (f.get("method") or "").lower() == "post"]
    assert forms, f"no POST form on {page_path}"
    form = max(forms, key=lambda f: len(f.find_all(["input", "select", "textarea"])))
    return urlsplit(form.get("action") or page_path).path, _form_fields(form)


def form_data(html: str, page_path: str) -> dict[str, list[str]]:
    return page_form(html, page_path)[1]


def _form_fields(form) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for field in form.find_all("input"):
        name, kind = field.get("name"), field.get("type", "text")
        if not name or name == "csrfmiddlewaretoken" or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
            continue
        data[name] = [field.get("value", "")]
    for field in form.find_all("textarea"):
        if field.get("name"):
            data[field["name"]] = [field.get_text().lstrip("\n")]
    for field in form.find_all("select"):
        if not field.get("name"):
            continue
        chosen = field.find_all("option", selected=True)
        if chosen:
            data[field["name"]] = [o.get("value", o.get_text()) for o in chosen]
        elif not field.has_attr("multiple") and field.find("option"):
            option = field.find("option")
            data[field["name"]] = [option.get("value", option.get_text())]
    return data


def offered(html: str, name: str) -> list[str]:
    """Every value a form offers for the field `name` (checkboxes and options, chosen or not)."""
    soup = BeautifulSoup(html, "html.parser")
    values = [i.get("value") for i in soup.find_all("input", attrs={"name": name})]
    for select in soup.find_all("select", attrs={"name": name}):
        values += [o.get("value") for o in select.find_all("option") if o.get("value")]
    return values


def with_changes(data: dict, changes: dict) -> dict:
    return {**data, **{name: [str(value)] for name, value in changes.items()}}


# --- Wagtail viewsets --------------------------------------------------------------------------

# namespace → {view name: who may use it}. Object views are also limited by their target (`only`).
_SNIPPET_LIST = ("list", "list_results")
_HISTORY = ("history", "history_results")
_CHOOSER = ("choose", "choose_results", "chosen", "chosen_multiple")


def _all(names, who):
    return dict.fromkeys(names, who)


def _editorial_snippet(copy=True):
    """The public site's snippets (cplatform/editorial.py): drafts, revisions, preview, locking and
    the Marketing review. Editors add and change (their change is a draft), Moderators also
    publish, lock, unlock and delete; Wagtail's rules for each view (wagtail/snippets/views/
    snippets.py, wagtail/admin/views/generic/): the permission each view checks, or for the
    review's own views the actions the task offers the person."""
    views = {
        **_all((*_SNIPPET_LIST, "add", "edit", "usage", *_HISTORY), EDITORIAL),
        "delete": PUBLISHERS,
        # Previewing a new or changed snippet: "add" / "change".
        "preview_on_add": EDITORIAL,
        "preview_on_edit": EDITORIAL,
        # Looking at and comparing revisions: "change"; reverting to one is the edit form with that
        # revision's content: "change" too, and what it saves is a draft like any edit.
        "revisions_view": EDITORIAL,
        "revisions_compare": EDITORIAL,
        "revisions_revert": EDITORIAL,
        # Taking a scheduled revision off the schedule and taking the snippet off the site: "publish".
        "revisions_unschedule": PUBLISHERS,
        "unpublish": PUBLISHERS,
        # "lock" / "unlock" (or, in review, the task's reviewers; or who locked it, for unlock).
        "lock": PUBLISHERS,
        "unlock": PUBLISHERS,
        # The review's history: "change".
        "workflow_history": EDITORIAL,
        "workflow_history_detail": EDITORIAL,
        # Approving, requesting changes and previewing the revision under review: whoever the
        # task offers an action ("Moderators approve": the Moderators group, and superusers). An
        # Editor submits (from the edit form) but may not approve, their own submission included.
        "workflow_action": PUBLISHERS,
        "collect_workflow_action_data": PUBLISHERS,
        "workflow_preview": PUBLISHERS,
        # The "publishing cancels the review" confirmation shown to someone publishing.
        "confirm_workflow_cancellation": PUBLISHERS,
    }
    if copy:
        views["copy"] = EDITORIAL
    return views


_CLASSROOM_LOOKUP = _all(
    (*_SNIPPET_LIST, "add", "edit", "delete", "usage", *_HISTORY, "copy"), ADMINS
)
_OPEN_CHOOSER = {**_all(_CHOOSER, IN_WAGTAIL)}

WAGTAIL_VIEWSETS: dict[str, dict[str, frozenset[str]]] = {
    # People: the Admin role and superusers; a superuser, and anyone with rights beyond the roles
    # (an Editor, a Moderator, a custom group, a permission of their own), only by a superuser
    # (targets' `only`).
    # No copy: Wagtail's generic copy view saves onto the copied user (the takeover of issue 8).
    "wagtailusers_users": _all(
        ("index", "index_results", "add", "edit", "delete", *_HISTORY, "usage"), ADMINS
    ),
    # Editing a group is granting its permissions: superusers only.
    "wagtailusers_groups": _all(
        ("index", "index_results", "add", "edit", "delete", *_HISTORY, "usage"), SUPERUSERS
    ),
    # Families' links: admins; never deleted (ended instead); no copy.
    "wagtailsnippets_authentication_guardianlink": {
        **_all((*_SNIPPET_LIST, "add", "edit", "usage", *_HISTORY, "inspect"), ADMINS),
        "delete": NOBODY,
    },
    # Its chooser lists children's and parents' emails: only for those who manage links.
    "wagtailsnippetchoosers_authentication_guardianlink": {
        **_all(_CHOOSER, ADMINS),
        "create": ADMINS,
    },
    # Profiles come with the Teacher role: never added or deleted here (classroom/wagtail_hooks.py).
    "wagtailsnippets_classroom_teacherprofile": {
        **_all((*_SNIPPET_LIST, "edit", "usage", *_HISTORY, "inspect", "approve"), ADMINS),
        "add": NOBODY,
        "delete": NOBODY,
    },
    # Look-ups for support work (classroom/admin_viewsets.py): admins list and inspect; nobody
    # writes there (lessons change through the booking and teaching services), and the history and
    # usage views, which Wagtail keeps for editors of the object, answer nobody either.
    **dict.fromkeys(
        (
            "classroom_lessons",
            "classroom_group_sessions",
            "classroom_availability",
            "classroom_time_off",
        ),
        {
            **_all(("index", "index_results", "inspect"), ADMINS),
            **_all(("add", "edit", "delete", "usage", *_HISTORY), NOBODY),
        },
    ),
    # The email outbox (cplatform.mail; classroom/admin_viewsets.py): admins see who was written to
    # and whether it went; nobody writes there (only the outbox backend and its tasks do).
    "outbound_email": {
        **_all(("index", "index_results", "inspect"), ADMINS),
        **_all(("add", "edit", "delete", "usage", *_HISTORY), NOBODY),
    },
    # The moderation queue of reported messages (inbox/safety/admin_views.py): admins only. The
    # actions' GET is their question; their POST is tested in tests/inbox/test_safety_moderation.py.
    "reported_messages": _all(("index", "detail", "dismiss", "remove", "block", "suspend"), ADMINS),
    # Billing (billing/papers/admin_views.py): admins only. The money actions' GET is their
    # question; their POST is tested in tests/billing/test_papers_access.py.
    "billing_payments": _all(("index", "detail", "refund"), ADMINS),
    "billing_invoices": _all(("index", "mark_paid"), ADMINS),
    "billing_refunds": _all(("index",), ADMINS),
    "billing_disputes": _all(("index",), ADMINS),
    "billing_payouts": _all(("index", "record"), ADMINS),
    # Messaging suspensions (inbox/safety/admin_views.py), linked from the queue: admins only. The
    # lift's GET is its question; its POST is tested in tests/inbox/test_safety_suspensions.py.
    "messaging_suspensions": _all(("index", "lift"), ADMINS),
    # Subscription plans (billing/plans/wagtail_hooks.py): admins; a plan in use is retired
    # (active off), never deleted. Its chooser lists teachers and prices: admins only.
    "wagtailsnippets_billing_plan": {
        **_all((*_SNIPPET_LIST, "add", "edit", "usage", *_HISTORY, "copy"), ADMINS),
        "delete": NOBODY,
    },
    "wagtailsnippetchoosers_billing_plan": {**_all(_CHOOSER, ADMINS), "create": ADMINS},
    # Editors choose a teacher for a blog author.
    "wagtailsnippetchoosers_classroom_teacherprofile": {**_OPEN_CHOOSER, "create": NOBODY},
    "wagtailsnippets_catalog_subject": _CLASSROOM_LOOKUP,
    "wagtailsnippetchoosers_catalog_subject": {**_OPEN_CHOOSER, "create": ADMINS},
    "wagtailsnippets_catalog_level": _CLASSROOM_LOOKUP,
    "wagtailsnippetchoosers_catalog_level": {**_OPEN_CHOOSER, "create": ADMINS},
    "wagtailsnippets_catalog_teachinglanguage": _CLASSROOM_LOOKUP,
    "wagtailsnippetchoosers_catalog_teachinglanguage": {**_OPEN_CHOOSER, "create": ADMINS},
    # The public site's snippets (cplatform/editorial.py): editors write, moderators also delete.
    "wagtailsnippets_home_testimonial": _editorial_snippet(),
    "wagtailsnippetchoosers_home_testimonial": {**_OPEN_CHOOSER, "create": EDITORIAL},
    # A menu has items (child rows): no copy view that would copy them, so none at all.
    "wagtailsnippets_home_menu": _editorial_snippet(copy=False),
    "wagtailsnippetchoosers_home_menu": {**_OPEN_CHOOSER, "create": EDITORIAL},
    "wagtailsnippets_blog_blogauthor": _editorial_snippet(),
    "wagtailsnippetchoosers_blog_blogauthor": {**_OPEN_CHOOSER, "create": EDITORIAL},
    "wagtailsnippets_blog_blogcategory": _editorial_snippet(),
    "wagtailsnippetchoosers_blog_blogcategory": {**_OPEN_CHOOSER, "create": EDITORIAL},
    # Site structure: superusers only.
    "wagtaillocales": _all(
        ("index", "index_results", "add", "edit", "delete", *_HISTORY, "usage", "copy"),
        SUPERUSERS,
    ),
    "wagtailsites": _all(
        ("index", "index_results", "add", "edit", "delete", *_HISTORY, "usage", "copy"),
        SUPERUSERS,
    ),
    # Images and documents: Wagtail's choosers open for anyone in the admin and list what their
    # collection permissions allow (editorial groups; teachers add and choose images for their
    # course pages); choosing or uploading one takes that collection permission.
    "wagtaildocs_chooser": {
        **_all(("choose", "choose_results", "chosen_multiple"), IN_WAGTAIL),
        "chosen": "collection:choose",
        "create": "collection:add",
    },
    "wagtailimages_chooser": {
        **_all(("choose", "choose_results", "chosen_multiple"), IN_WAGTAIL),
        "chosen": "collection:choose",
        "select_format": "collection:choose",
        "create": "collection:add",
    },
}
# The School dashboard (dashboards/admin/views.py): admins only. Subscribing and unsubscribing are
# GET questions here; their POSTs are tested in tests/dashboards/test_admin_dashboard_weekly.py.
WAGTAIL_VIEWSETS["school_dashboard"] = _all(
    ("index", "report", "export", "subscribe", "unsubscribe"), ADMINS
)
# Views that change something, in the order they are posted (delete last: it removes the target;
# lock before unlock: unlocking takes a lock; a revert is an edit, before the lock).
POST_VIEWS = (
    "edit",
    "copy",
    "approve",
    "revisions_revert",
    "lock",
    "unlock",
    "workflow_action",
    "unpublish",
    "add",
    "create",
    "delete",
)
# Views whose positive control is "the target changed" (a revision, a lock, an approval …).
CHANGING_VIEWS = {"approve", "lock", "unlock", "workflow_action", "unpublish"}


def _by_collection(declared, model, target, people) -> frozenset[str]:
    """Who may, where the declaration is "collection:<action>": Wagtail's collection permission
    for that action (on the target's collection, or on any), among those who enter the admin."""
    if not isinstance(declared, str):
        return declared
    action = declared.removeprefix("collection:")
    policy = policy_registry.get_by_type(model)
    return frozenset(
        p
        for p in IN_WAGTAIL
        if (
            policy.user_has_permission_for_instance(people[p], action, target.obj)
            if target is not None
            else policy.user_has_permission(people[p], action)
        )
    )


def registered_viewsets():
    """{namespace: viewset} of every registered Wagtail viewset that has views."""
    get_resolver().url_patterns  # noqa: B018 — loading the URLconf registers the viewsets
    found = {}
    for viewset in wagtail_viewsets.viewsets:
        if viewset.get_urlpatterns():
            found[viewset.url_namespace] = viewset
    return found


def _model_of(viewset):
    from django.apps import apps

    model = viewset.model
    return apps.get_model(model) if isinstance(model, str) else model


def _view_names(viewset) -> list[str]:
    return [p.name for p in viewset.get_urlpatterns()]


def test_every_wagtail_viewset_and_view_is_declared():
    registered = registered_viewsets()
    problems = []
    for namespace, viewset in registered.items():
        declared = WAGTAIL_VIEWSETS.get(namespace)
        if declared is None:
            problems.append(f"{namespace} ({type(viewset).__name__}): declare who may use it")
            continue
        for name in _view_names(viewset):
            if name not in declared:
                problems.append(f"{namespace}:{name}: declare who may use this view")
        for name in set(declared) - set(_view_names(viewset)):
            problems.append(f"{namespace}:{name}: declared but not registered")
    for namespace in set(WAGTAIL_VIEWSETS) - set(registered):
        problems.append(f"{namespace}: declared but not registered")
    assert not problems, "\n".join(problems)


def _url_params(pattern) -> list[str]:
    """The URL's parameters (a path's converters, a regex's named groups)."""
    return list(pattern.pattern.regex.groupindex)


def _url_value(param: str, target):
    """A real value for each URL parameter of an object view: the target's own revision, workflow
    state, task state, task, and an action its task offers."""
    from wagtail.models import Revision, WorkflowState

    obj = target.obj

    def workflow_state():
        return WorkflowState.objects.filter(
            base_content_type=obj.get_base_content_type(), object_id=str(obj.pk)
        ).latest("pk")

    def revisions():
        return Revision.objects.for_instance(obj).order_by("pk")

    values = {
        "pk": lambda: obj.pk,
        "image_id": lambda: obj.pk,  # the image chooser's chosen / select_format views
        "revision_id": lambda: revisions().last().pk,
        "revision_id_a": lambda: revisions().first().pk,
        "revision_id_b": lambda: "latest",
        "action_name": lambda: "approve",
        "workflow_state_id": lambda: workflow_state().pk,
        "task_state_id": lambda: workflow_state().current_task_state_id,
        "task_id": lambda: workflow_state().current_task_state.task_id,
    }
    if param not in values:
        raise AssertionError(f"{param}: say which value of {target.name} this URL takes")
    return values[param]()


def _viewset_url(viewset, pattern, target) -> str:
    kwargs = {param: _url_value(param, target) for param in _url_params(pattern)}
    return reverse(f"{viewset.url_namespace}:{pattern.name}", kwargs=kwargs)


def _post_rows(problems, clients, viewset, pattern, target, allowed, label, url):
    """Refused people post; nothing changes. Then the first allowed person's post takes effect.

    A copy view only shows a prefilled form, which a browser posts to the add view: a POST to the
    copy URL itself saves nothing, for anyone; the allowed person's copy goes through the add view
    and makes a new row, leaving the original as it was."""
    model = _model_of(viewset)
    name = pattern.name
    changes = (COPIES if name == "copy" else EDITS).get(label) or {}
    data, action = {}, url
    if name in ("edit", "copy", "revisions_revert") and SUPER in allowed:
        page = clients[SUPER].get(url)
        if page.status_code == 200:
            action, data = page_form(page.content.decode(), url)
    data = with_changes(data, changes)
    if name == "edit" and label in PASSWORD_ON_EDIT:
        data = with_changes(data, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    if name == "approve":
        data["approved"] = ["true"]
    if name == "workflow_action":
        data["comment"] = ["Fine"]
    before = snapshot(target.obj) if target else None
    count = model._default_manager.count()
    for principal in PRINCIPALS:
        if principal in allowed and name != "copy":
            continue
        response = clients[principal].post(url, data)
        got = outcome(response)
        if name == "copy" and got == "method":
            pass  # 405: the copy view takes no POST
        else:
            check(problems, f"POST {url}", principal, response, False, login_path="/admin/login/")
        if target and snapshot(target.obj) != before:
            problems.append(f"POST {url} as {principal}: changed {target.name}")
            return
        if model._default_manager.count() != count:
            problems.append(f"POST {url} as {principal}: the number of {label} rows changed")
            return
    positive = first_allowed(allowed)
    if positive is None or name in ("add", "create") or (name in ("edit", "copy") and not changes):
        return
    response = clients[positive].post(action, data)
    after = snapshot(target.obj) if target else None
    if name == "delete":
        if after is not None:
            problems.append(f"POST {url} as {positive}: {target.name} was not deleted")
    elif name == "edit" and isinstance(target.obj, DraftStateMixin):
        # Saving is a draft: the change is in the latest revision, the live row stays as it was.
        fresh = type(target.obj)._default_manager.get(pk=target.obj.pk)
        draft = fresh.get_latest_revision_as_object()
        if any(str(getattr(draft, f)) != str(v) for f, v in changes.items()):
            problems.append(
                f"POST {url} as {positive}: the draft did not take the edit "
                f"({response.status_code}; errors: {_form_errors(response)})"
            )
        if any(str(getattr(fresh, f)) != str(before[f]) for f in changes):
            problems.append(f"POST {url} as {positive}: saving a draft changed the live row")
    elif name == "revisions_revert":
        if after["revisions"] == before["revisions"]:
            problems.append(
                f"POST {url} as {positive}: no new revision "
                f"({response.status_code}; errors: {_form_errors(response)})"
            )
    elif name in CHANGING_VIEWS and name != "approve" and after == before:
        problems.append(f"POST {url} as {positive}: had no effect ({response.status_code})")
    elif name == "edit":
        fresh = type(target.obj)._default_manager.get(pk=target.obj.pk)
        if any(str(getattr(fresh, f)) != str(v) for f, v in changes.items()) or (
            label in PASSWORD_ON_EDIT and not fresh.check_password(NEW_PASSWORD)
        ):
            problems.append(
                f"POST {url} as {positive}: the edit did not take effect "
                f"({response.status_code}; errors: {_form_errors(response)})"
            )
    elif name == "copy":
        if after != before:
            problems.append(f"copy of {target.name} posted to {action} as {positive}: changed it")
        if model._default_manager.count() != count + 1:
            problems.append(
                f"copy of {target.name} posted to {action} as {positive}: no new row "
                f"({response.status_code}; errors: {_form_errors(response)})"
            )
    elif name == "approve" and after == before:
        problems.append(f"POST {url} as {positive}: nothing approved")


def _form_errors(response):
    context = getattr(response, "context", None)
    if not context:
        return ""
    form = context.get("form")
    return form.errors.as_json() if form is not None else ""


@pytest.mark.parametrize("namespace", sorted(WAGTAIL_VIEWSETS))
def test_wagtail_viewset_views(namespace):
    viewset = registered_viewsets().get(namespace)
    if viewset is None:
        pytest.fail(f"{namespace} is declared but not registered")
    declared = WAGTAIL_VIEWSETS[namespace]
    people = make_people()
    clients = make_clients(people)
    model = _model_of(viewset)
    targets = targets_for(model)
    label = model._meta.label_lower
    problems = []
    patterns = sorted(
        viewset.get_urlpatterns(),
        key=lambda p: POST_VIEWS.index(p.name) if p.name in POST_VIEWS else -1,
    )
    post_rows = []
    for pattern in patterns:
        allowed_by_view = declared.get(pattern.name, NOBODY)
        needs_target = bool(_url_params(pattern))
        for target in targets if needs_target else [None]:
            if needs_target and not target.tried_on(pattern.name):
                continue
            allowed = _by_collection(allowed_by_view, model, target, people)
            if target is not None and target.only is not None:
                allowed = allowed & target.only
            url = (
                _viewset_url(viewset, pattern, target)
                if target
                else reverse(f"{viewset.url_namespace}:{pattern.name}")
            )
            for principal in PRINCIPALS:
                response = clients[principal].get(url)
                check(
                    problems,
                    f"GET {url} ({target.name if target else 'no object'})",
                    principal,
                    response,
                    principal in allowed,
                    login_path="/admin/login/",
                )
            if pattern.name in POST_VIEWS:
                post_rows.append((pattern, target, allowed, url))
        if needs_target and not any(t.tried_on(pattern.name) for t in targets):
            problems.append(f"{namespace}:{pattern.name}: no target object for {label}")
    for pattern, target, allowed, url in post_rows:
        _post_rows(problems, clients, viewset, pattern, target, allowed, label, url)
    assert not problems, "\n".join(problems)


# --- Wagtail bulk actions ----------------------------------------------------------------------


@dataclass
class Bulk:
    """Who may run a bulk action on each kind of target, and the data it posts."""

    allowed: frozenset[str]
    data: dict
    # Also tried on the targets only superusers may touch (a superuser, staff with more rights).
    protected_targets: bool = False


def _groups(*names):
    return list(Group.objects.filter(name__in=names).values_list("pk", flat=True))


BULK_ACTIONS: dict[tuple[str, str, str], Bulk | str] = {
    ("authentication", "user", "delete"): Bulk(ADMINS, {}, protected_targets=True),
    ("authentication", "user", "set_active_state"): Bulk(
        ADMINS, {"mark_as_active": "False"}, protected_targets=True
    ),
    # A role group: admins may grant it, but not to someone they may not manage.
    ("authentication", "user", "assign_role"): Bulk(
        ADMINS, {"role": ("Teacher",)}, protected_targets=True
    ),
    ("authentication", "guardianlink", "delete"): Bulk(NOBODY, {}),
    ("classroom", "teacherprofile", "delete"): Bulk(NOBODY, {}),
    ("billing", "plan", "delete"): Bulk(NOBODY, {}),
    ("catalog", "subject", "delete"): Bulk(ADMINS, {}),
    ("catalog", "level", "delete"): Bulk(ADMINS, {}),
    ("catalog", "teachinglanguage", "delete"): Bulk(ADMINS, {}),
    ("home", "testimonial", "delete"): Bulk(PUBLISHERS, {}),
    ("home", "menu", "delete"): Bulk(PUBLISHERS, {}),
    ("blog", "blogauthor", "delete"): Bulk(PUBLISHERS, {}),
    ("blog", "blogcategory", "delete"): Bulk(PUBLISHERS, {}),
    # Pages, images and documents follow Wagtail's page and collection permissions (tested in
    # tests/editorial); here: nobody without admin access reaches them.
    ("wagtailcore", "page", "delete"): "wagtail-permissions",
    ("wagtailcore", "page", "move"): "wagtail-permissions",
    ("wagtailcore", "page", "publish"): "wagtail-permissions",
    ("wagtailcore", "page", "unpublish"): "wagtail-permissions",
    ("wagtailimages", "image", "delete"): "wagtail-permissions",
    ("wagtailimages", "image", "add_tags"): "wagtail-permissions",
    ("wagtailimages", "image", "add_to_collection"): "wagtail-permissions",
    ("wagtaildocs", "document", "delete"): "wagtail-permissions",
    ("wagtaildocs", "document", "add_tags"): "wagtail-permissions",
    ("wagtaildocs", "document", "add_to_collection"): "wagtail-permissions",
}


def registered_bulk_actions() -> dict[tuple[str, str, str], type]:
    bulk_action_registry._scan_for_bulk_actions()
    return {
        (app, model, action): cls
        for app, model_actions in bulk_action_registry.actions.items()
        for model, actions in model_actions.items()
        for action, cls in actions.items()
    }


def test_every_bulk_action_is_declared():
    registered = set(registered_bulk_actions())
    problems = [
        f"bulk action {key}: declare who may run it" for key in registered - set(BULK_ACTIONS)
    ]
    problems += [
        f"bulk action {key}: declared but not registered" for key in set(BULK_ACTIONS) - registered
    ]
    assert not problems, "\n".join(problems)


def _bulk_data(spec: Bulk) -> dict:
    data = dict(spec.data)
    if "role" in data:
        data["role"] = _groups(*data["role"])[0]
    return data


@pytest.mark.parametrize("key", sorted(BULK_ACTIONS), ids="/".join)
def test_wagtail_bulk_actions(key):
    from django.apps import apps

    spec = BULK_ACTIONS[key]
    app, model_name, action = key
    model = apps.get_model(app, model_name)
    people = make_people()
    clients = make_clients(people)
    problems = []
    base = f"/admin/bulk/{app}/{model_name}/{action}/"
    if spec == "wagtail-permissions":
        for principal in NO_WAGTAIL_ACCESS:
            response = clients[principal].get(f"{base}?next=/admin/&id=1")
            check(problems, f"GET {base}", principal, response, False, login_path="/admin/login/")
        assert not problems, "\n".join(problems)
        return
    targets = targets_for(model)
    if not spec.protected_targets:
        targets = [t for t in targets if t.only is None]
    data = _bulk_data(spec)
    for target in targets:
        allowed = spec.allowed & target.only if target.only is not None else spec.allowed
        url = f"{base}?next=/admin/&id={target.obj.pk}"
        before = snapshot(target.obj)
        for principal in PRINCIPALS:
            if principal in allowed:
                continue
            response = clients[principal].post(url, data)
            if outcome(response) == "error":
                problems.append(f"POST {url} as {principal}: server error")
            if principal in NO_WAGTAIL_ACCESS:
                check(
                    problems, f"POST {url}", principal, response, False, login_path="/admin/login/"
                )
            if snapshot(target.obj) != before:
                problems.append(f"POST {url} ({target.name}) as {principal}: changed it")
                before = snapshot(target.obj)
        positive = first_allowed(allowed)
        if positive is not None:
            clients[positive].post(url, data)
            if snapshot(target.obj) == before:
                problems.append(f"POST {url} ({target.name}) as {positive}: had no effect")
    assert not problems, "\n".join(problems)


# --- wagtail-localize's snippet API: one per snippet model, as its chooser -----------------------


def _chooser_declaration(model) -> frozenset[str]:
    namespace = f"wagtailsnippetchoosers_{model._meta.app_label}_{model._meta.model_name}"
    return WAGTAIL_VIEWSETS.get(namespace, {}).get("choose", NOBODY)


@pytest.mark.parametrize("label", sorted(m._meta.label_lower for m in get_snippet_models()))
def test_localize_snippet_api_answers_as_the_snippets_chooser(label):
    from django.apps import apps

    model = apps.get_model(label)
    people = make_people()
    clients = make_clients(people)
    allowed = _chooser_declaration(model)
    problems = []
    app, name = label.split(".")
    targets = [t for t in targets_for(model) if t.only is None]
    urls = [f"/admin/localize/api/snippets/{app}/{name}/"]
    urls += [f"/admin/localize/api/snippets/{app}/{name}/{t.obj.pk}/" for t in targets]
    for url in urls:
        for principal in PRINCIPALS:
            response = clients[principal].get(url)
            check(
                problems,
                f"GET {url}",
                principal,
                response,
                principal in allowed,
                login_path="/admin/login/",
            )
    assert not problems, "\n".join(problems)


# --- Django admin --------------------------------------------------------------------------------

# "app.model" → {view: who} or ANY_VIEW → who. Views: changelist, add, change, delete, history and
# each ModelAdmin's own (UserAdmin's "password", dj-stripe's "djstripe_custom_action", taggit's
# "taggit_tag_merge_tags"). Django's admin is for staff: only the Admin role and superusers enter.
_OUR_ADMIN = _all(("changelist", "add", "change", "delete", "history"), ADMINS)
DJANGO_ADMIN: dict[str, dict[str, frozenset[str]] | tuple[str, frozenset[str]]] = {
    "authentication.user": {**_OUR_ADMIN, "password": ADMINS},
    # Read-only there: links are managed in the Wagtail admin, through the services.
    "authentication.guardianlink": {
        **_all(("changelist", "change", "history"), ADMINS),
        "add": NOBODY,
        "delete": NOBODY,
    },
    "courses.course": _OUR_ADMIN,
    "courses.material": _OUR_ADMIN,
    "courses.enrollment": _OUR_ADMIN,
    # Editing a group is granting its permissions.
    "auth.group": (ANY_VIEW, SUPERUSERS),
}
# Every other registration comes from another package (dj-stripe, allauth, django-q2, postman,
# taggit, Wagtail, django.contrib.sites): superusers only, whatever a group's permissions say,
# because their own views do not all check model permissions (dj-stripe's actions check is_staff).
SUPERUSER_ONLY_APPS = {
    "account",
    "django_q",
    "djstripe",
    "mfa",
    "postman",
    "sites",
    "taggit",
    "wagtaildocs",
    "wagtailimages",
}


# Who may post where the page itself may be seen by more: a read-only registration, and Django's
# rule that deleting needs the delete permission on every row the deletion cascades to (a user's
# email addresses belong to allauth, whose registration is for superusers).
DJANGO_ADMIN_POST = {
    ("authentication.guardianlink", "change"): NOBODY,
    ("authentication.user", "delete"): SUPERUSERS,
}


# dj-stripe's action view is only ever posted to (its GET page cannot render); an empty POST is an
# invalid form, which shows the confirmation page again and calls Stripe for nothing.
PROBED_BY_POST = {"djstripe_custom_action"}


def django_admin_declaration(label: str):
    if label in DJANGO_ADMIN:
        return DJANGO_ADMIN[label]
    if label.split(".")[0] in SUPERUSER_ONLY_APPS:
        return (ANY_VIEW, SUPERUSERS)
    return None


def _admin_view_key(model, pattern) -> str | None:
    if not pattern.name:
        return None  # Django's old change URL: a redirect to the change view
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    if pattern.name.startswith(prefix):
        return pattern.name.removeprefix(prefix)
    if pattern.name == "auth_user_password_change":
        return "password"
    return pattern.name


def test_every_django_admin_registration_is_declared():
    problems = []
    registered = {m._meta.label_lower: (m, ma) for m, ma in admin.site._registry.items()}
    for label, (model, model_admin) in sorted(registered.items()):
        declared = django_admin_declaration(label)
        if declared is None:
            problems.append(f"Django admin {label}: declare who may use it")
            continue
        if isinstance(declared, tuple):
            continue
        keys = {k for p in model_admin.get_urls() if (k := _admin_view_key(model, p))}
        problems += [
            f"Django admin {label}:{k}: declare who may use it" for k in keys - set(declared)
        ]
        problems += [
            f"Django admin {label}:{k}: declared but not registered" for k in set(declared) - keys
        ]
    problems += [
        f"Django admin {label}: declared but not registered"
        for label in set(DJANGO_ADMIN) - set(registered)
    ]
    assert not problems, "\n".join(problems)


def _admin_url(model, pattern, object_id=None) -> str:
    """The URL of one of a ModelAdmin's views (built from its route: several dj-stripe admins share
    their custom view's URL name)."""
    import re

    def fill(match):
        name = match.group(2)
        if name in ("object_id", "id"):
            return str(object_id)
        if name == "model_name":
            return model._meta.model_name
        if name == "action_name":
            return "_sync_all_instances"
        return "x"

    base = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return base + re.sub(r"<(?:(\w+):)?(\w+)>", fill, str(pattern.pattern))


@pytest.mark.parametrize("label", sorted(m._meta.label_lower for m in admin.site._registry))
def test_django_admin_views(label):
    from django.apps import apps

    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    declared = django_admin_declaration(label)
    assert declared is not None, f"Django admin {label}: declare who may use it"
    people = make_people()
    clients = make_clients(people)
    targets = targets_for(model)
    problems = []
    post_rows = []
    for pattern in model_admin.get_urls():
        key = _admin_view_key(model, pattern)
        if key is None:
            continue
        coarse = isinstance(declared, tuple)
        allowed_by_view = declared[1] if coarse else declared.get(key, NOBODY)
        needs_object = any(
            n in ("object_id", "id") for n in getattr(pattern.pattern, "converters", {})
        )
        if needs_object and not targets:
            # No object of this model: a made-up id, tried only by those who must be refused.
            url = _admin_url(model, pattern, "0")
            for principal in PRINCIPALS:
                if principal in allowed_by_view:
                    continue
                response = clients[principal].get(url)
                check(
                    problems,
                    f"GET {url}",
                    principal,
                    response,
                    False,
                    login_path="/django-admin/login/",
                )
            continue
        for target in targets if needs_object else [None]:
            allowed = allowed_by_view
            if target is not None and target.only is not None:
                allowed = allowed & target.only
            url = _admin_url(model, pattern, str(target.obj.pk) if target else None)
            for principal in PRINCIPALS:
                if key in PROBED_BY_POST:
                    response = clients[principal].post(url, {})
                else:
                    response = clients[principal].get(url)
                if coarse and principal in allowed:
                    # The package's own admin decides what a superuser may do there.
                    if outcome(response) == "error":
                        problems.append(f"GET {url} as {principal}: server error")
                    continue
                check(
                    problems,
                    f"{response.request['REQUEST_METHOD']} {url} "
                    f"({target.name if target else 'no object'})",
                    principal,
                    response,
                    principal in allowed,
                    login_path="/django-admin/login/",
                )
            if target is not None and key in ("change", "delete", "password"):
                post_allowed = DJANGO_ADMIN_POST.get((label, key), allowed)
                post_rows.append((key, target, allowed & post_allowed, url))
    order = {"change": 0, "password": 1, "delete": 2}
    for key, target, allowed, url in sorted(post_rows, key=lambda r: order[r[0]]):
        _django_admin_post(problems, clients, model, key, target, allowed, url)
    assert not problems, "\n".join(problems)


def _django_admin_post(problems, clients, model, key, target, allowed, url):
    label = model._meta.label_lower
    if key == "delete":
        data = {"post": ["yes"]}
    elif key == "password":
        data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    else:
        page = clients[SUPER].get(url)
        data = form_data(page.content.decode(), url) if page.status_code == 200 else {}
        data = with_changes(data, EDITS.get(label, {}))
    before = snapshot(target.obj)
    for principal in PRINCIPALS:
        if principal in allowed:
            continue
        response = clients[principal].post(url, data)
        check(
            problems, f"POST {url}", principal, response, False, login_path="/django-admin/login/"
        )
        if snapshot(target.obj) != before:
            problems.append(f"POST {url} ({target.name}) as {principal}: changed it")
            return
    positive = first_allowed(allowed)
    if positive is None or (key == "change" and label not in EDITS):
        return
    response = clients[positive].post(url, data)
    if snapshot(target.obj) == before:
        errors = ""
        if getattr(response, "context", None) and "adminform" in response.context:
            errors = response.context["adminform"].form.errors.as_json()
        problems.append(f"POST {url} ({target.name}) as {positive}: had no effect {errors}")


# --- every Wagtail admin URL refuses people who may not enter the admin --------------------------

# Pages of the admin anyone may open: signing in and out, password reset, the JS catalogue.
PUBLIC_ADMIN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",  # the admin's SVG icons
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _fill(route: str) -> str:
    """A URL for a route: ints → 1, other path parameters → x, regex groups → 1."""
    import re

    route = re.sub(r"\(\?P<\w+>[^()]*\)", "1", route)
    route = route.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else "x", route)


def test_every_wagtail_admin_url_sends_people_without_admin_access_to_the_login():
    from django.urls import Resolver404, resolve

    people = make_people()
    clients = make_clients(people)
    problems, checked = [], 0
    for route, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith("admin/") or pattern.name in PUBLIC_ADMIN_URL_NAMES:
            continue
        url = _fill(route)
        try:
            resolve(url)
        except Resolver404:
            problems.append(f"{route}: cannot build a URL for it")
            continue
        checked += 1
        for principal in (ANON, STUDENT):
            response = clients[principal].get(url)
            check(problems, f"GET {url}", principal, response, False, login_path="/admin/login/")
    assert checked > 300
    assert not problems, "\n".join(problems)


# --- the takeover of issue 8 and the ways to escalate, step by step ------------------------------


def test_an_admin_cannot_take_over_the_superuser_through_the_user_copy_view():
    boss = UserFactory(email="boss@example.com", is_superuser=True, is_staff=True)
    attacker = AdminFactory(email="attacker@example.com")
    client = Client()
    client.force_login(attacker)
    users = User.objects.count()
    assert outcome(client.get(f"/admin/users/copy/{boss.pk}/")) == "refused"
    response = client.post(
        f"/admin/users/copy/{boss.pk}/",
        {
            "email": "evil@example.com",
            "first_name": "Evil",
            "last_name": "Twin",
            "password1": "evil-passphrase-9876",
            "password2": "evil-passphrase-9876",
            "timezone": "UTC",
            "language": "en",
            "is_active": "on",
            "groups": _groups("Admin"),
        },
    )
    assert outcome(response) == "refused"
    assert User.objects.count() == users
    boss.refresh_from_db()
    assert (boss.email, boss.is_superuser, boss.is_active) == ("boss@example.com", True, True)
    assert authenticate(email="boss@example.com", password=PASSWORD) == boss
    assert authenticate(email="evil@example.com", password="evil-passphrase-9876") is None


@pytest.mark.parametrize("viewer", [ADMIN, SUPER])
def test_the_users_listing_offers_no_copy(viewer):
    people = make_people()
    client = make_clients(people)[viewer]
    UserFactory(email="listed.boss@example.com", is_superuser=True, is_staff=True)
    html = client.get("/admin/users/").content.decode()
    assert "listed.boss@example.com" in html
    assert "/admin/users/copy/" not in html


def test_an_admin_sees_everyone_but_is_offered_no_link_to_change_those_with_more_rights():
    people = make_people()
    client = make_clients(people)[ADMIN]
    student = StudentFactory(email="listed.student@example.com")
    protected = staff_with_more_rights()
    html = client.get("/admin/users/").content.decode()
    for name, person in protected:
        assert person.email in html, name  # listed: admins answer for everyone's questions
        for view in ("edit", "delete", "history"):
            assert f"/admin/users/{view}/{person.pk}/" not in html, (name, view)
    for view in ("edit", "delete"):
        assert f"/admin/users/{view}/{student.pk}/" in html, view


def test_the_users_listing_answers_who_may_be_managed_in_its_own_query():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = make_people()
    client = make_clients(people)[ADMIN]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/users/").status_code == 200
        return len(captured)

    few = queries()
    for n in range(6):
        _member_of(MODERATORS, email=f"listed.moderator{n}@example.com")
        StudentFactory(email=f"listed.student{n}@example.com")
    assert queries() == few


@pytest.mark.parametrize(
    "kind",
    [
        "a superuser",
        "an editor",
        "a moderator",
        "someone in a custom group",
        "someone with a permission of their own",
    ],
)
def test_an_admin_cannot_take_over_an_account_with_more_rights(kind):
    """Step by step, the ways to an account's password: the Wagtail edit form (a new password, or
    an email of the attacker's and then a reset) and Django's admin (its password form, its
    change form). Each is refused and the account stays its owner's."""
    person = dict(staff_with_more_rights())[kind]
    attacker = AdminFactory(email="attacker@example.com")
    client, boss = Client(), Client()
    client.force_login(attacker)
    boss.force_login(UserFactory(is_superuser=True, is_staff=True))
    change_url = f"/django-admin/authentication/user/{person.pk}/change/"
    change_form = form_data(boss.get(change_url).content.decode(), change_url)
    before = snapshot(person)
    attempts = [
        (
            f"/admin/users/edit/{person.pk}/",
            _wagtail_user_data(person, password1=NEW_PASSWORD, password2=NEW_PASSWORD),
        ),
        (f"/admin/users/edit/{person.pk}/", _wagtail_user_data(person, email="mine@example.com")),
        (
            f"/django-admin/authentication/user/{person.pk}/password/",
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        ),
        (change_url, with_changes(change_form, {"email": "mine@example.com"})),
    ]
    for url, data in attempts:
        assert outcome(client.get(url)) == "refused", url
        assert outcome(client.post(url, data)) == "refused", url
        assert snapshot(person) == before, url
    assert authenticate(email=person.email, password=NEW_PASSWORD) is None
    assert authenticate(email=person.email, password=PASSWORD) == person


def _wagtail_user_data(user, **overrides):
    data = {
        "email": user.email,
        "first_name": user.first_name or "First",
        "last_name": user.last_name or "Last",
        "password1": "",
        "password2": "",
        "is_active": "on",
        "display_name": user.display_name,
        "timezone": user.timezone,
        "language": user.language,
        "phone": user.phone,
        "groups": list(user.groups.values_list("pk", flat=True)),
    }
    data.update(overrides)
    return data


def _group_names(user):
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


@pytest.mark.parametrize("group", [EDITORS, MODERATORS, "Custom powers"])
def test_an_admin_cannot_put_anyone_in_a_group_beyond_the_roles_in_the_wagtail_admin(group):
    Group.objects.get_or_create(name="Custom powers")
    attacker = AdminFactory(email="attacker@example.com")
    student = StudentFactory()
    client = Client()
    client.force_login(attacker)
    for user in (attacker, student):
        before = _group_names(user)
        client.post(
            f"/admin/users/edit/{user.pk}/",
            _wagtail_user_data(user, groups=_groups(*before, group)),
        )
        assert _group_names(user) == before, user
    client.post(
        "/admin/users/new/",
        {
            "email": "sockpuppet@example.com",
            "first_name": "Sock",
            "last_name": "Puppet",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "timezone": "UTC",
            "language": "en",
            "groups": _groups("Student", group),
        },
    )
    assert not User.objects.filter(email="sockpuppet@example.com", groups__name=group).exists()


def test_a_superuser_editing_a_moderator_changes_what_they_ask_for():
    boss = UserFactory(is_superuser=True, is_staff=True)
    moderator = _member_of(MODERATORS, email="mona@example.com")
    client = Client()
    client.force_login(boss)
    response = client.post(
        f"/admin/users/edit/{moderator.pk}/",
        _wagtail_user_data(
            moderator,
            first_name="Mona",
            groups=_groups(MODERATORS, "Teacher"),
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
        ),
    )
    assert response.status_code == 302, _form_errors(response)
    moderator.refresh_from_db()
    assert moderator.first_name == "Mona"
    assert _group_names(moderator) == {MODERATORS, "Teacher"}
    assert authenticate(email=moderator.email, password=NEW_PASSWORD) == moderator


def test_a_superuser_grants_any_group_in_the_wagtail_admin():
    boss = UserFactory(is_superuser=True, is_staff=True)
    student = StudentFactory()
    client = Client()
    client.force_login(boss)
    client.post(
        f"/admin/users/edit/{student.pk}/",
        _wagtail_user_data(student, groups=_groups("Student", MODERATORS)),
    )
    assert _group_names(student) == {"Student", MODERATORS}


def test_an_admin_cannot_assign_a_group_beyond_the_roles_in_bulk_even_to_themselves():
    attacker = AdminFactory()
    client = Client()
    client.force_login(attacker)
    before = _group_names(attacker)
    client.post(
        f"/admin/bulk/authentication/user/assign_role/?next=/admin/users/&id={attacker.pk}",
        {"role": _groups(MODERATORS)[0]},
    )
    assert _group_names(attacker) == before
    # The roles stay theirs to assign.
    student = StudentFactory()
    client.post(
        f"/admin/bulk/authentication/user/assign_role/?next=/admin/users/&id={student.pk}",
        {"role": _groups("Teacher")[0]},
    )
    assert _group_names(student) == {"Student", "Teacher"}


def test_an_admin_cannot_put_anyone_in_a_group_beyond_the_roles_in_the_django_admin():
    attacker = AdminFactory(email="attacker@example.com")
    student = StudentFactory(email="sam@example.com")
    client = Client()
    client.force_login(attacker)
    for user in (attacker, student):
        url = f"/django-admin/authentication/user/{user.pk}/change/"
        page = client.get(url)
        assert page.status_code == 200
        assert {str(g) for g in page.context["adminform"].form.fields["groups"].queryset} == {
            "Admin",
            "Parent",
            "Student",
            "Teacher",
        }
        before = _group_names(user)
        data = form_data(page.content.decode(), url)
        # Posting a group beyond the roles is refused, and nothing changes.
        forged = {**data, "groups": [str(pk) for pk in _groups(*before, EDITORS)]}
        assert client.post(url, forged).status_code == 200
        assert _group_names(user) == before, user
        # What the form offers: the role is granted.
        chosen = [*data.get("groups", []), str(_groups("Teacher")[0])]
        response = client.post(url, {**data, "groups": chosen, "first_name": ["Renamed"]})
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert _group_names(user) == before | {"Teacher"}, user


@pytest.mark.parametrize("where", ["wagtail", "django"])
def test_an_admin_cannot_give_the_admin_group_more_permissions(where):
    from django.contrib.auth.models import Permission

    give_the_admin_role_what_older_databases_gave_it()
    attacker = AdminFactory()
    boss = UserFactory(is_superuser=True, is_staff=True)
    admin_group = Group.objects.get(name="Admin")
    url = (
        f"/admin/groups/edit/{admin_group.pk}/"
        if where == "wagtail"
        else f"/django-admin/auth/group/{admin_group.pk}/change/"
    )
    superuser_client = Client()
    superuser_client.force_login(boss)
    page = superuser_client.get(url).content.decode()
    everything = offered(page, "permissions")
    assert (
        Permission.objects.filter(pk__in=everything)
        .exclude(content_type__app_label__in=["authentication", "classroom", "courses"])
        .exists()
    )  # rights the Admin role does not hold
    data = {**form_data(page, url), "permissions": everything}
    before = set(admin_group.permissions.values_list("pk", flat=True))
    client = Client()
    client.force_login(attacker)
    assert outcome(client.get(url)) == "refused"
    assert outcome(client.post(url, data)) == "refused"
    assert set(admin_group.permissions.values_list("pk", flat=True)) == before
    attacker = User.objects.get(pk=attacker.pk)
    assert not attacker.has_perm("djstripe.view_apikey")
    # The same post from a superuser is what it looks like: the group gains every permission.
    superuser_client.post(url, data)
    assert set(admin_group.permissions.values_list("pk", flat=True)) >= {int(p) for p in everything}


def test_the_admin_role_holds_no_permission_on_groups_or_permissions():
    from django.apps import apps as global_apps

    from authentication.receivers import grant_admin_role_permissions

    give_the_admin_role_what_older_databases_gave_it()
    grant_admin_role_permissions(
        sender=None, app_config=global_apps.get_app_config("authentication")
    )
    admin_group = Group.objects.get(name="Admin")
    held = set(admin_group.permissions.values_list("content_type__app_label", flat=True))
    assert "auth" not in held
    assert {"authentication", "classroom", "courses", "wagtailadmin"} <= held
