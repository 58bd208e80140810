"""Spanish pages carry no English from our catalog: a test-client crawl in Spanish as each role
(anonymous, student, parent, teacher, admin) reads every page it reaches and fails on any catalog
string shown untranslated (a gettext at import time, a cache shared across languages, a string
rendered outside the active language…). The catalog itself has no untranslated or fuzzy entry."""

import re
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from bs4 import BeautifulSoup

from tests.booking.factories import days_ahead
from tests.calendar.factories import private_lesson
from tests.classroom.conftest import people  # noqa: F401 - the fixture
from tests.classroom.factories import listed_teacher
from tests.courses.page_helpers import live_course, translate_page

PO_FILE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES" / "django.po"
PAGES_PER_ROLE = 30
# Links a crawl does not follow: leaving, files, and addresses that are not pages.
SKIP = re.compile(r"^/es/(?:auth/logout|.*\.(?:ics|pdf|xml|txt)$)|/download/|/api/|/admin/")


def english_strings() -> set[str]:
    """Catalog strings that differ in Spanish and are long enough to mean something on their own
    (a few words, no placeholders): any of them on a Spanish page is English showing through."""
    found = set()
    for entry in polib.pofile(str(PO_FILE)):
        msgid = entry.msgid
        if entry.msgid_plural or entry.msgstr == msgid or "%" in msgid or "{" in msgid:
            continue
        if len(msgid) >= 18 and " " in msgid and "\n" not in msgid:
            found.add(msgid)
    return found


def test_the_spanish_catalog_has_no_untranslated_or_fuzzy_entry():
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "template"]):
        element.decompose()
    # The language switcher names English on purpose; user-written text marked with another
    # language (cplatform/localized.py) is labelled, not ours to translate.
    for element in soup.select(".language-switcher, [lang]:not(html)"):
        element.decompose()
    return " ".join(soup.get_text(" ").split())


def crawl(client, start: list[str]) -> dict[str, str]:
    """Spanish pages reachable from `start` by GET links, with their visible text."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.popleft()
        if path in seen or SKIP.search(path):
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[path] = ""
            continue
        html = response.content.decode()
        seen[path] = visible_text(html)
        for a in BeautifulSoup(html, "html.parser").select("a[href]"):
            parts = urlsplit(a["href"])
            if parts.netloc in ("", "testserver") and parts.path.startswith("/es/"):
                queue.append(parts.path)
    return seen


@pytest.fixture
def world(people):  # noqa: F811 - the fixture imported above
    teacher = listed_teacher(first_name="Ana", last_name="García")
    private_lesson(teacher=teacher, student=people.student_a, start=days_ahead(2))
    course = live_course(owner=people.teacher)
    translate_page(course.page, title="Curso de prueba")
    return people


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "student_a", "parent_of_a", "teacher", "admin"])
def test_spanish_pages_show_no_english_string_of_our_catalog(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    english = english_strings()
    pages = crawl(client, ["/es/", "/es/dashboard/", "/es/lessons/", "/es/courses/"])

    assert len([p for p, text in pages.items() if text]) >= 3
    leaks = {path: sorted(s for s in english if s in text) for path, text in pages.items() if text}
    leaks = {path: found for path, found in leaks.items() if found}
    assert leaks == {}, f"English on Spanish pages as {role}: {leaks}"


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Developer pages in English only: the OpenAPI browser of allauth's headless API.
ENGLISH_ONLY_TEMPLATES = {"headless/spec/swagger.html"}
_OUTSIDE_TEXT = [
    r"\{% comment %\}.*?\{% endcomment %\}",
    r"\{#.*?#\}",
    r"\{% blocktrans(?:late)? .*?\{% endblocktrans(?:late)? %\}",
    r"\{% block \w*class %\}.*?\{% endblock %\}",  # CSS classes
    r"<(script|style)\b.*?</\1>",
    r"\{%.*?%\}",
    r"\{\{.*?\}\}",
    r"<!--.*?-->",
    r"<[^>]*>",
    r"&[a-z]+;|&#\d+;",
]


def test_no_template_writes_words_outside_translate():
    """What a template shows goes through {% translate %} / {% blocktranslate %} or comes from
    data; a bare English word in the markup would reach the Spanish pages as it is."""
    bare = {}
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in ENGLISH_ONLY_TEMPLATES:
            continue
        text = path.read_text()
        for pattern in _OUTSIDE_TEXT:
            text = re.sub(pattern, " ", text, flags=re.S)
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z']{2,}", text) if w != "cplatform"]
        if words:
            bare[name] = words[:5]
    assert bare == {}
