"""Files sent with direct messages and room messages: what is accepted (by content, never by the
name or the client's content type alone), what is refused and with which code (leaving neither a
message nor a file), who may download (forbidden == missing), and how they are shown and listed
(no query per row)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from postman.models import Message

from inbox.messaging import services as message_services
from inbox.models import Attachment, RoomMessage
from inbox.rooms import services as room_services
from tests.authentication.consent import child
from tests.authentication.factories import AdminFactory, StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.inbox.factories import course_with_room

pytestmark = pytest.mark.django_db

API = "/api/v1"
MISSING = 987654321


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.INBOX_ATTACHMENT_MAX_BYTES = 200_000
    return settings.PRIVATE_MEDIA_ROOT


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def _office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<doc/>")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ALLOWED = {
    "notes.pdf": (PDF_BYTES, "application/pdf"),
    "board.png": (_image("PNG"), "image/png"),
    "photo.jpg": (_image("JPEG"), "image/jpeg"),
    "photo.webp": (_image("WEBP"), "image/webp"),
    "homework.txt": ("Question 3: ½ + ¼ = ¾\n".encode(), "text/plain"),
    "essay.docx": (
        _office("word/document.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "marks.xlsx": (
        _office("xl/workbook.xml"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "slides.pptx": (
        _office("ppt/presentation.xml"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def pair():
    """A teacher and their student (an enrolment links them)."""
    teacher = TeacherFactory(first_name="Tess")
    student = StudentFactory(first_name="Sam")
    EnrollmentFactory(course=CourseFactory(owner=teacher), student=student)
    return teacher, student


def send_with_files(client, sender, recipient, files, body="See the file."):
    client.force_login(sender)
    return client.post(
        f"{API}/messages/with-attachments",
        {"recipient_id": recipient.pk, "subject": "Files", "body": body, "attachments": files},
    )


# What is accepted and what is refused -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_each_allowed_type_is_accepted_through_the_api_and_typed_by_its_content(client, pair, name):
    teacher, student = pair
    content, expected_type = ALLOWED[name]
    # The client claims a wrong type: what counts is the content.
    response = send_with_files(
        client, student, teacher, [upload(name, content, "application/x-whatever")]
    )
    assert response.status_code == 201, response.content
    [item] = response.json()["attachments"]
    assert item["name"] == name
    assert item["size"] == len(content)
    assert item["content_type"] == expected_type
    attachment = Attachment.objects.get(pk=item["id"])
    assert item["url"] == f"http://testserver{API}/attachments/{attachment.pk}"
    client.force_login(teacher)
    download = client.get(item["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", EXE),  # an .exe renamed .pdf
        ("notes.pdf", _image("PNG")),  # a real PNG that says it is a PDF
        ("archive.docx", _office("other/thing.xml")),  # a zip that is not an Office file
        ("script.exe", b"echo hello\n"),  # text, but named as something else
        ("empty.txt", b""),
        ("bytes.txt", b"abc\x00\x01\x02def"),
    ],
)
def test_a_disguised_or_unknown_file_is_refused_and_nothing_is_kept(
    client, pair, _private_media, name, content
):
    teacher, student = pair
    response = send_with_files(client, student, teacher, [upload(name, content)])
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_file_type"
    assert body["error_codes"] == {"attachments": ["invalid_file_type"]}
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(_private_media) == []


def test_a_file_over_the_size_limit_is_refused(client, pair, settings, _private_media):
    teacher, student = pair
    big = b"a" * (settings.INBOX_ATTACHMENT_MAX_BYTES + 1)
    response = send_with_files(client, student, teacher, [upload("big.txt", big)])
    assert response.status_code == 422
    assert response.json()["error_codes"] == {"attachments": ["file_too_large"]}
    assert not Message.objects.exists() and stored_files(_private_media) == []


def test_more_than_three_files_are_refused(client, pair, _private_media):
    teacher, student = pair
    files = [upload(f"n{i}.txt", b"hello\n") for i in range(4)]
    response = send_with_files(client, student, teacher, files)
    assert response.status_code == 422
    assert response.json()["code"] == "too_many_files"
    assert not Message.objects.exists() and stored_files(_private_media) == []
    three = [upload(f"n{i}.txt", b"hello\n") for i in range(3)]
    ok = send_with_files(client, student, teacher, three)
    assert ok.status_code == 201
    assert len(ok.json()["attachments"]) == 3


def test_a_failure_after_the_files_are_written_removes_them(pair, _private_media, monkeypatch):
    """The message is refused after its files were stored (here: the announcement fails): the
    rows roll back and the files are deleted."""
    teacher, student = pair

    def boom(*args, **kwargs):
        raise RuntimeError("the announcement failed")

    monkeypatch.setattr(message_services, "_announce", boom)
    with pytest.raises(RuntimeError):
        message_services.message_send(
            sender=student,
            recipient_id=teacher.pk,
            subject="Files",
            body="See.",
            attachments=[upload("notes.pdf", PDF_BYTES)],
        )
    assert not Attachment.objects.exists()
    assert stored_files(_private_media) == []


def test_an_undeclared_form_part_is_refused(client, pair):
    teacher, student = pair
    client.force_login(student)
    response = client.post(
        f"{API}/messages/with-attachments",
        {
            "recipient_id": teacher.pk,
            "subject": "S",
            "body": "B",
            "file": upload("a.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 422
    assert "file" in response.json()["errors"]


# The pages ---------------------------------------------------------------------------------------


def test_a_student_sends_a_file_through_the_page_and_the_teacher_downloads_it(client, pair):
    teacher, student = pair
    client.force_login(student)
    response = client.post(
        "/messages/new/",
        {
            "recipient": teacher.pk,
            "subject": "My essay",
            "body": "Here it is.",
            "attachments": [upload("essay.docx", ALLOWED["essay.docx"][0])],
        },
    )
    assert response.status_code == 302
    message = Message.objects.get()
    attachment = message.attachments.get()
    client.force_login(teacher)
    thread = client.get(f"/messages/threads/{message.pk}/").content.decode()
    url = f"/messages/attachments/{attachment.pk}/"
    assert url in thread and "essay.docx" in thread
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/octet-stream"

    # The teacher replies with an image, shown inline (with a thumbnail in the thread).
    reply = client.post(
        f"/messages/{message.pk}/reply/",
        {"body": "Marked.", "attachments": [upload("marked.png", ALLOWED["board.png"][0])]},
    )
    assert reply.status_code == 302
    image = Attachment.objects.get(name="marked.png")
    client.force_login(student)
    thread = client.get(f"/messages/threads/{message.pk}/").content.decode()
    assert f'src="/messages/attachments/{image.pk}/"' in thread
    shown = client.get(f"/messages/attachments/{image.pk}/")
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline;")


def test_a_refused_file_on_the_page_says_why_and_sends_nothing(client, pair):
    teacher, student = pair
    client.force_login(student)
    response = client.post(
        "/messages/new/",
        {
            "recipient": teacher.pk,
            "subject": "Invoice",
            "body": "Open this.",
            "attachments": [upload("invoice.pdf", EXE)],
        },
    )
    assert response.status_code == 200
    assert "is not a file type you can send" in response.content.decode()
    assert not Message.objects.exists()


# Who may download ---------------------------------------------------------------------------------


def test_a_direct_message_attachment_is_served_only_to_its_readers(client):
    """A teacher's thread with a student under 16: the two of them and the student's guardian
    read it (and its files); another student, another teacher and an admin get the same 404 as a
    missing id (the rule gives admins no reading of others' messages)."""
    teacher = TeacherFactory()
    minor, guardian = child(age=12, consent=True)
    EnrollmentFactory(course=CourseFactory(owner=teacher), student=minor)
    message = message_services.message_send(
        sender=teacher,
        recipient_id=minor.pk,
        subject="Worksheet",
        body="For Thursday.",
        attachments=[upload("worksheet.pdf", PDF_BYTES)],
    )
    attachment = message.attachments.get()
    expected = {
        "sender": (teacher, 200),
        "recipient": (minor, 200),
        "guardian": (guardian, 200),
        "another student": (StudentFactory(), 404),
        "a teacher not in it": (TeacherFactory(), 404),
        "admin": (AdminFactory(), 404),
    }
    for who, (user, status) in expected.items():
        client.force_login(user)
        for url in (
            f"{API}/attachments/{attachment.pk}",
            f"/messages/attachments/{attachment.pk}/",
        ):
            assert client.get(url).status_code == status, (who, url)
        missing = client.get(f"{API}/attachments/{MISSING}")
        assert missing.status_code == 404
        if status == 404:
            assert client.get(f"{API}/attachments/{attachment.pk}").json() == missing.json()
    client.logout()
    assert client.get(f"{API}/attachments/{attachment.pk}").status_code == 401


def test_a_room_attachment_is_served_to_members_until_its_message_is_deleted(client):
    _course, room, teacher, (student, other) = course_with_room(students=2)
    outsider = StudentFactory()
    client.force_login(student)
    response = client.post(
        f"{API}/rooms/{room.pk}/messages/with-attachments",
        {"body": "My answer", "attachments": [upload("answer.txt", b"42\n")]},
    )
    assert response.status_code == 201, response.content
    [item] = response.json()["attachments"]
    for user, status in ((teacher, 200), (student, 200), (other, 200), (outsider, 404)):
        client.force_login(user)
        assert client.get(item["url"]).status_code == status
    message = RoomMessage.objects.get(pk=response.json()["id"])
    room_services.room_message_delete(actor=student, message=message)
    client.force_login(other)
    assert client.get(item["url"]).status_code == 404
    history = client.get(f"{API}/rooms/{room.pk}/messages").json()["items"]
    assert history[-1]["deleted"] and history[-1]["attachments"] == []


def test_a_non_member_cannot_post_files_in_a_room_and_gets_404(client):
    _course, room, _teacher, _students = course_with_room(students=1)
    client.force_login(StudentFactory())
    response = client.post(
        f"{API}/rooms/{room.pk}/messages/with-attachments",
        {"body": "hi", "attachments": [upload("a.txt", b"hi\n")]},
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_the_room_page_form_takes_files(client):
    _course, room, _teacher, (student,) = course_with_room(students=1)
    client.force_login(student)
    response = client.post(
        f"/rooms/{room.pk}/post/",
        {"body": "Look", "attachments": [upload("board.png", ALLOWED["board.png"][0])]},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 204
    attachment = Attachment.objects.get()
    page = client.get(f"/rooms/{room.pk}/").content.decode()
    assert f"/messages/attachments/{attachment.pk}/" in page


# No query per row ---------------------------------------------------------------------------------


def _count(client, url) -> int:
    client.get(url)  # the first visit may mark things read; count a steady visit
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_cost_the_same_with_one_or_many_attachments(client, pair):
    teacher, student = pair
    first = message_services.message_send(
        sender=student, recipient_id=teacher.pk, subject="One", body="one"
    )
    client.force_login(teacher)
    urls = [
        f"{API}/messages?limit=50",
        f"{API}/threads/{first.pk}",
        f"/messages/threads/{first.pk}/",
    ]
    before = {url: _count(client, url) for url in urls}
    for i in range(4):
        message_services.message_reply(
            sender=student if i % 2 else teacher,
            message_id=first.pk,
            body=f"reply {i}",
            attachments=[upload(f"f{i}.txt", b"x\n"), upload(f"g{i}.png", ALLOWED["board.png"][0])],
        )
    client.force_login(teacher)
    assert {url: _count(client, url) for url in urls} == before

    _course, room, room_teacher, (learner,) = course_with_room(students=1)
    client.force_login(learner)
    url = f"{API}/rooms/{room.pk}/messages"
    room_services.room_message_post(actor=learner, room=room, body="plain")
    empty = _count(client, url)
    for i in range(3):
        room_services.room_message_post(
            actor=room_teacher, room=room, body=f"m{i}", attachments=[upload(f"r{i}.txt", b"r\n")]
        )
    assert _count(client, url) == empty
