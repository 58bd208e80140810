"""The API as a frontend team meets it: clients generated from the documents the site publishes,
driving real journeys against a live server.

`openapi-python-client` (a tool nobody here wrote) generates one client from `/api/v1/openapi.json`
and one from allauth's headless document (`/_allauth/openapi.json`, served beside ours), as
published: no warning, no post-processing. The people below then do everything through those two
clients and read typed models back, never raw JSON: a student signs up, verifies their email (the
link's key read from the outbox, as from their mailbox), logs in, browses teachers, sets their date
of birth, books two lessons, lists them and cancels one; a parent and a child sign up, link through
the guardian invitation, and the parent books for the child. Only the teacher is seeded (a listed
teacher needs an admin's approval, which the API does not offer)."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from classroom.models import Lesson
from classroom.scheduling.services import lesson_hold_confirm
from tests.authentication.helpers import confirmation_key
from tests.booking.factories import bookable_teacher

pytestmark = pytest.mark.django_db(transaction=True)

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PASSWORD = "Journey-pass-2026!"
PLACEHOLDER = re.compile(r"\{[^}]*\}")
OPERATION = re.compile(r'"method": "(\w+)",\s*"url": "([^"]+)"')


def generate(document_url: str, package: str, into: Path) -> ModuleType:
    """Generate `package` from the document at `document_url`, exactly as the site publishes it,
    and import it. Any warning of the generator fails the test."""
    response = httpx.get(document_url, timeout=60)
    assert response.status_code == 200, response.text
    document = into / f"{package}.json"
    document.write_bytes(response.content)
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--output-path",
            str(into / package),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower() and "error" not in output.lower(), output
    if str(into) not in sys.path:
        sys.path.insert(0, str(into))
    return importlib.import_module(package)


class Operations:
    """A generated client's operations by method and path, as the document names them
    (`ops("post", "/api/v1/lessons")`): independent of the operationIds and tags the generator
    turns into module names."""

    def __init__(self, package: ModuleType):
        self.package = package
        self.modules: dict[tuple[str, str], str] = {}
        root = Path(package.__file__).parent
        for source in (root / "api").glob("*/*.py"):
            found = OPERATION.search(source.read_text())
            if found:
                method, url = found.groups()
                module = ".".join(source.relative_to(root).with_suffix("").parts)
                self.modules[(method, PLACEHOLDER.sub("{}", url))] = module

    def __call__(self, method: str, path: str) -> ModuleType:
        module = self.modules[(method.lower(), PLACEHOLDER.sub("{}", path))]
        return importlib.import_module(f"{self.package.__name__}.{module}")

    def model(self, name: str):
        return getattr(importlib.import_module(f"{self.package.__name__}.models"), name)


@dataclass
class Clients:
    base_url: str
    ours: Operations
    allauth: Operations

    def anonymous(self):
        return self.ours.package.Client(base_url=self.base_url, raise_on_unexpected_status=True)

    def signed_in(self, token: str):
        """Our client as the person holding `token` (allauth's session token)."""
        return self.ours.package.AuthenticatedClient(
            base_url=self.base_url,
            token=token,
            prefix="",
            auth_header_name="X-Session-Token",
            raise_on_unexpected_status=True,
        )


@pytest.fixture(scope="module")
def clients(live_server, tmp_path_factory, django_db_blocker) -> Clients:
    into = tmp_path_factory.mktemp("generated")
    with (
        django_db_blocker.unblock()
    ):  # the live server answers in its thread, from the test database
        ours = generate(f"{live_server.url}/api/v1/openapi.json", "cplatform_client", into)
        allauth = generate(f"{live_server.url}/_allauth/openapi.json", "allauth_client", into)
    yield Clients(live_server.url, Operations(ours), Operations(allauth))
    for name in list(sys.modules):
        if name.split(".")[0] in ("cplatform_client", "allauth_client"):
            del sys.modules[name]


def ok(answer, model):
    """The parsed answer, which must be `model` (a refusal shows its body)."""
    parsed = answer.parsed if hasattr(answer, "parsed") else answer
    assert isinstance(parsed, model), f"expected {model.__name__}, got {parsed!r}"
    return parsed


def sign_up(clients: Clients, email: str, role: str) -> str:
    """Sign up through allauth's generated client, verify the email with the key the site mailed,
    then log in: the session token a frontend keeps."""
    auth = clients.allauth
    allauth_client = auth.package.Client(base_url=clients.base_url)
    models = importlib.import_module(f"{auth.package.__name__}.models")
    signup = models.Signup(
        email=email, password=PASSWORD, first_name=role, role=models.BaseSignupRole(role)
    )
    pending = auth("post", "/_allauth/{client}/v1/auth/signup").sync_detailed(
        "app", client=allauth_client, body=signup
    )
    assert pending.status_code == 401  # allauth: signed up, a flow (verify_email) still pending
    pending = ok(pending, models.AuthenticationResponse)
    assert [f.id for f in pending.data.flows if getattr(f, "is_pending", False)] == ["verify_email"]
    pending_token = pending.meta.session_token

    key = confirmation_key(email)  # from the link in the mail the site sent
    verifying = auth.package.AuthenticatedClient(
        base_url=clients.base_url,
        token=pending_token,
        prefix="",
        auth_header_name="X-Session-Token",
    )
    verified = auth("post", "/_allauth/{client}/v1/auth/email/verify").sync_detailed(
        "app", client=verifying, body=models.VerifyEmail(key=key)
    )
    assert verified.status_code == 200
    assert ok(verified, models.AuthenticatedResponse).meta.is_authenticated

    login = models.Login(password=PASSWORD)
    login["email"] = email  # Login is one of email / username / phone: allauth's schema says which
    session = ok(
        auth("post", "/_allauth/{client}/v1/auth/login").sync_detailed(
            "app", client=allauth_client, body=login
        ),
        models.AuthenticatedResponse,
    )
    assert session.data.user.email == email
    return session.meta.session_token


def upcoming_slots(clients: Clients, client, teacher_id: int, *, count: int):
    """`count` bookable starts at least two days ahead (outside the free-cancellation cutoff)."""
    ours = clients.ours
    slots = ok(
        ours("get", "/api/v1/slots").sync_detailed(
            client=client,
            teacher_id=teacher_id,
            from_=datetime.now(UTC) + timedelta(days=2),
            length=60,
        ),
        ours.model("SlotsOut"),
    )
    assert slots.length == 60 and slots.teacher_id == teacher_id
    starts = []
    for slot in slots.slots:  # one after the other, so none overlaps the one before
        if not starts or slot.start >= starts[-1] + timedelta(minutes=60):
            starts.append(slot.start)
    assert len(starts) >= count, slots
    return starts[:count]


def test_a_student_signs_up_browses_books_lists_and_cancels_through_generated_clients(clients):
    ours = clients.ours
    teacher = bookable_teacher(first_name="Ben", last_name="Carter", lesson_lengths=[30, 60])
    token = sign_up(clients, "maya.journey@example.com", "Student")
    me = clients.signed_in(token)

    # Browse: the directory, then the teacher's own page by the id the directory gave.
    directory = ok(
        ours("get", "/api/v1/teachers").sync_detailed(client=clients.anonymous()),
        ours.model("PagedTeacherOut"),
    )
    listed = next(t for t in directory.items if t.slug == teacher.slug)
    profile = ok(
        ours("get", "/api/v1/teachers/{teacher_id}").sync_detailed(listed.id, client=me),
        ours.model("TeacherOut"),
    )
    assert profile.name == listed.name and profile.id == teacher.pk

    # A student gives their date of birth before their first booking.
    student = ok(
        ours("patch", "/api/v1/me/student-profile").sync_detailed(
            client=me, body=ours.model("StudentProfilePatch")(date_of_birth=date(2001, 4, 2))
        ),
        ours.model("StudentOut"),
    )
    assert student.date_of_birth == date(2001, 4, 2)

    first, second = upcoming_slots(clients, me, profile.id, count=2)
    booked = []
    for start in (first, second):
        answer = ours("post", "/api/v1/lessons").sync_detailed(
            client=me,
            body=ours.model("LessonBookingIn")(teacher_id=profile.id, start=start, length=60),
        )
        assert answer.status_code == 201
        lesson = ok(answer, ours.model("LessonOut"))
        assert lesson.start == start and lesson.end == start + timedelta(minutes=60)
        # The teacher's lessons have a price: each waits for payment (held) until billing
        # confirms it once paid.
        assert lesson.status == ours.model("LessonStatus").HELD and lesson.payment_due
        assert lesson.teacher.teacher_id == profile.id and lesson.student.name
        booked.append(lesson.id)
    lesson_hold_confirm(lessons=list(Lesson.objects.filter(pk__in=booked)))

    mine = ok(ours("get", "/api/v1/lessons").sync_detailed(client=me), ours.model("PagedLessonOut"))
    assert sorted(lesson.id for lesson in mine.items) == sorted(booked)

    cancelled = ok(
        ours("post", "/api/v1/lessons/{lesson_id}/cancel").sync_detailed(
            booked[0], client=me, body=ours.model("CancelIn")(reason="Exam week")
        ),
        ours.model("LessonOut"),
    )
    assert cancelled.status == ours.model("LessonStatus").CANCELLED
    assert cancelled.cancelled_late is False
    assert cancelled.billing_outcome == ours.model("BillingOutcome").REFUND
    again = ok(
        ours("get", "/api/v1/lessons/{lesson_id}").sync_detailed(booked[1], client=me),
        ours.model("LessonOut"),
    )
    assert again.status == ours.model("LessonStatus").SCHEDULED


def test_a_parent_links_their_child_and_books_for_them_through_generated_clients(clients):
    ours = clients.ours
    teacher = bookable_teacher(first_name="Chloé", lesson_lengths=[60])
    parent = clients.signed_in(sign_up(clients, "pat.journey@example.com", "Parent"))
    child_email = "kim.journey@example.com"
    child = clients.signed_in(sign_up(clients, child_email, "Student"))

    invited = ok(
        ours("post", "/api/v1/guardians").sync_detailed(
            client=parent,
            body=ours.model("GuardianInviteIn")(
                email=child_email, invite_as=ours.model("GuardianInviteRole").CHILD
            ),
        ),
        ours.model("GuardianLinkOut"),
    )
    assert invited.status == ours.model("GuardianLinkStatus").PENDING and invited.initiated_by_me
    waiting = ok(
        ours("get", "/api/v1/guardians").sync_detailed(client=child),
        ours.model("PagedGuardianLinkOut"),
    )
    assert [link.id for link in waiting.items] == [invited.id]
    accepted = ok(
        ours("post", "/api/v1/guardians/{link_id}/accept").sync_detailed(invited.id, client=child),
        ours.model("GuardianLinkOut"),
    )
    assert accepted.status == ours.model("GuardianLinkStatus").ACTIVE
    child_id = accepted.child.user_id

    # The parent fills in the child's date of birth (12: a guardian's consent is needed) and consents.
    twelve = date(date.today().year - 12, 1, 1)
    dob = ok(
        ours("put", "/api/v1/students/{student_id}/date-of-birth").sync_detailed(
            child_id, client=parent, body=ours.model("StudentDateOfBirthIn")(date_of_birth=twelve)
        ),
        ours.model("StudentOut"),
    )
    assert dob.date_of_birth == twelve
    consented = ok(
        ours("post", "/api/v1/guardians/{link_id}/consent").sync_detailed(
            invited.id, client=parent
        ),
        ours.model("GuardianLinkOut"),
    )
    assert consented.consent_given_at is not None

    (start,) = upcoming_slots(clients, parent, teacher.pk, count=1)
    answer = ours("post", "/api/v1/lessons").sync_detailed(
        client=parent,
        body=ours.model("LessonBookingIn")(
            teacher_id=teacher.pk, start=start, length=60, student_id=child_id
        ),
    )
    assert answer.status_code == 201
    lesson = ok(answer, ours.model("LessonOut"))
    assert lesson.student.student_id == child_id and lesson.teacher.teacher_id == teacher.pk

    # Both see it in their list; the parent by default, as the child's guardian.
    for who in (parent, child):
        listed = ok(
            ours("get", "/api/v1/lessons").sync_detailed(client=who), ours.model("PagedLessonOut")
        )
        assert [item.id for item in listed.items] == [lesson.id]
