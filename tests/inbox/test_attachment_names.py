"""Attachment names: whatever name a client sends, what is stored (and sent back in the download's
header) is one plain file name — no path, no control characters, no bidi overrides or isolates, no
invisible characters — and the model's own validator refuses anything else on `full_clean`. A name
that only looked harmless because of a bidi override ("invoice\u202efdp.exe") is judged by its real
extension and refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cplatform.exceptions import ValidationFailed
from inbox.attachments.validators import attachments_check, validate_file_name
from inbox.models import Attachment
from tests.inbox.test_attachments import pair as pair  # noqa: F401, the fixture
from tests.inbox.test_attachments import send_with_files

pytestmark = pytest.mark.django_db

TEXT = b"Question 3\n"

# What the sender's name becomes.
CLEANED = [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\Windows\\notes.txt", "notes.txt"),
    ("C:\\Users\\ana\\notes.txt", "notes.txt"),
    ("/absolute/path/notes.txt", "notes.txt"),
    ("line\nbreak.txt", "linebreak.txt"),
    ("carriage\rreturn.txt", "carriagereturn.txt"),
    ("nul\x00byte.txt", "nulbyte.txt"),
    ("tab\there.txt", "tabhere.txt"),
    ("bell\x07.txt", "bell.txt"),
    ("c1\x85control.txt", "c1control.txt"),
    ("del\x7f.txt", "del.txt"),
    ("report\u202egnp.txt", "reportgnp.txt"),  # right-to-left override
    ("a\u202ab\u202bc\u202cd\u202d.txt", "abcd.txt"),  # embeddings and pop
    ("\u2066iso\u2067lat\u2068ed\u2069.txt", "isolated.txt"),  # isolates
    ("mark\u200e\u200f\u061c.txt", "mark.txt"),  # LRM, RLM, Arabic letter mark
    ("zero\u200bwidth\u200d\ufeff.txt", "zerowidth.txt"),
    ("para\u2028sep\u2029.txt", "parasep.txt"),
    ("  spaced   out  .txt", "spaced out .txt"),
    (".hidden.txt", "hidden.txt"),
    ("trailing.txt...", "trailing.txt"),
    ("cafe\u0301.txt", "café.txt"),  # NFC
]

# Names that are refused: once cleaned, their real extension is not their type (or nothing is left).
REFUSED = [
    "invoice\u202efdp.exe",
    "photo\u202egnp.exe",
    "\u202e",
    "\u202e\u2066.txt",
]


@pytest.mark.parametrize(("sent", "stored"), CLEANED)
def test_a_nasty_name_is_cleaned_before_it_is_stored(sent, stored):
    [checked] = attachments_check([SimpleUploadedFile(sent, TEXT)])
    assert checked.name == stored
    validate_file_name(checked.name)  # what is stored passes the model's validator


@pytest.mark.parametrize("sent", REFUSED)
def test_a_name_hiding_its_real_type_or_naming_nothing_is_refused(sent):
    with pytest.raises(ValidationFailed) as refused:
        attachments_check([SimpleUploadedFile(sent, TEXT)])
    assert refused.value.code == "invalid_file_type"


@pytest.mark.parametrize("sent", ["..", "/", "notes.txt/", "a/..", " . "])
def test_a_name_that_names_no_file_becomes_file_without_a_type(sent):
    # Django's upload objects already refuse these; what reaches the check is cleaned the same way.
    from inbox.attachments.validators import _safe_name

    assert _safe_name(sent) == "file"


@pytest.mark.parametrize(
    "name",
    [
        "a/b.txt",
        "a\\b.txt",
        "..",
        "x\u202etxt.exe",
        "x\u2066.txt",
        "zero\u200b.txt",
        "nul\x00.txt",
        "c1\x9b.txt",
        "line\u2028.txt",
    ],
)
def test_the_models_validator_refuses_what_was_not_cleaned(name):
    with pytest.raises(ValidationError):
        validate_file_name(name)
    attachment = Attachment(name=name, content_type="text/plain", size=1)
    with pytest.raises(ValidationError) as refused:
        attachment.full_clean(exclude=["file", "message", "room_message", "uploaded_by"])
    assert "name" in refused.value.message_dict


def test_through_the_api_the_stored_and_downloaded_name_is_the_clean_one(client, pair):
    teacher, student = pair
    response = send_with_files(
        client, student, teacher, [SimpleUploadedFile("report\u202egnp.txt", TEXT)]
    )
    assert response.status_code == 201, response.content
    [item] = response.json()["attachments"]
    assert item["name"] == "reportgnp.txt"
    assert Attachment.objects.get(pk=item["id"]).name == "reportgnp.txt"
    client.force_login(teacher)
    download = client.get(item["url"])
    assert download.status_code == 200
    assert "\u202e" not in download["Content-Disposition"]
    assert "reportgnp.txt" in download["Content-Disposition"]
