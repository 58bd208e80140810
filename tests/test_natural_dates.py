"""Dates read naturally in each language (cplatform/formats): "lunes, 7 de diciembre de 2026, 14:00"
and "Monday, 7 December 2026, 14:00", through the pages people read them on."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, translation

from tests.booking.factories import student
from tests.calendar.factories import private_lesson
from tests.classroom.factories import listed_teacher
from tests.courses.page_helpers import live_course, translate_page

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
MONDAY_2PM = datetime.datetime(2026, 12, 7, 14, 0, tzinfo=MADRID)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "DATE_FORMAT": "Monday, 7 December 2026",
                "DATETIME_FORMAT": "Monday, 7 December 2026, 14:00",
                "SHORT_DATETIME_FORMAT": "Mon 7 Dec, 14:00",
                "TIME_FORMAT": "14:00",
                "MONTH_DAY_FORMAT": "7 December",
            },
        ),
        (
            "es",
            {
                "DATE_FORMAT": "lunes, 7 de diciembre de 2026",
                "DATETIME_FORMAT": "lunes, 7 de diciembre de 2026, 14:00",
                "SHORT_DATETIME_FORMAT": "lun 7 dic, 14:00",
                "TIME_FORMAT": "14:00",
                "MONTH_DAY_FORMAT": "7 de diciembre",
            },
        ),
    ],
)
def test_each_named_format_reads_naturally(language, expected):
    with translation.override(language):
        got = {name: formats.date_format(MONDAY_2PM, name) for name in expected}
    assert got == expected


@pytest.fixture
def lesson():
    teacher = listed_teacher(timezone="Europe/Madrid", first_name="Ana", last_name="García")
    learner = student(tz="Europe/Madrid", first_name="Leo", last_name="Ruiz")
    return private_lesson(teacher=teacher, student=learner, start=MONDAY_2PM)


@pytest.mark.parametrize(
    ("prefix", "when", "title"),
    [
        ("", "Monday, 7 December 2026, 14:00", "Lesson with Ana García"),
        ("/es", "lunes, 7 de diciembre de 2026, 14:00", "Clase con Ana García"),
    ],
)
def test_the_lessons_list_and_the_lesson_page_show_natural_dates(
    client, lesson, prefix, when, title
):
    client.force_login(lesson.student)
    for path in (f"{prefix}/lessons/", f"{prefix}/lessons/{lesson.pk}/"):
        html = client.get(path).content.decode()
        assert when in html, path
        assert title in html, path


def test_the_teachers_lesson_page_names_the_student_in_natural_spanish(client, lesson):
    client.force_login(lesson.teacher.user)
    html = client.get(f"/es/lessons/{lesson.pk}/").content.decode()
    assert "lunes, 7 de diciembre de 2026, 14:00" in html
    assert "Clase con Leo Ruiz" in html


def test_a_course_page_gives_its_dates_in_the_pages_language(client):
    course = live_course(starts_on=datetime.date(2026, 12, 7), ends_on=datetime.date(2027, 2, 1))
    translate_page(course.page, title="Curso")
    assert "Monday, 7 December 2026" in client.get(f"/courses/{course.slug}/").content.decode()
    html = client.get(f"/es/courses/{course.slug}/").content.decode()
    assert "lunes, 7 de diciembre de 2026" in html
    assert "lunes, 1 de febrero de 2027" in html


# A date or time written with a spelled pattern ("l j F, H:i") reads unnaturally in Spanish ("lunes
# 7 diciembre"): only the named formats (cplatform/formats) and machine formats ("c", ISO) are
# allowed, in templates and in Python alike.
_NAMED = re.compile(r"^(?:[A-Z_]+_FORMAT|[a-zA-Z]|Y-m-d|Y-m|Ymd|Y-m-d\\TH:i:sO)$")  # or one part
_TEMPLATE_PATTERN = re.compile(r"""\|(?:date|time):["']([^"']*)["']""")
# In Python: a line that formats a date, and a string on it made of format characters.
_PYTHON_CALL = re.compile(r"date_format|time_format|dateformat\.format|strftime|\bformat\(")
_PYTHON_PATTERN = re.compile(r"""["']((?:[dDjlNSwzWFmMnyYaAfgGhHisuePT%]|[\s,.:/\-–])+)["']""")
ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    *ROOT.glob("templates/**/*.html"),
    *ROOT.glob("*/templates/**/*.html"),
    *(
        path
        for path in ROOT.glob("*/**/*.py")
        if not path.is_relative_to(ROOT / ".venv")
        and not path.is_relative_to(ROOT / "tests")
        and "migrations" not in path.parts
        and "formats" not in path.parts
    ),
]


def test_no_date_or_time_is_written_with_a_spelled_pattern():
    spelled = []
    for path in SOURCES:
        text = path.read_text()
        if path.suffix == ".html":
            found = [
                m.group(0) for m in _TEMPLATE_PATTERN.finditer(text) if not _NAMED.match(m.group(1))
            ]
        else:
            found = [
                line.strip()
                for line in text.splitlines()
                if _PYTHON_CALL.search(line)
                and any(
                    not _NAMED.match(m.group(1)) and re.search(r"[\s,:]", m.group(1))
                    for m in _PYTHON_PATTERN.finditer(line)
                )
            ]
        spelled += [f"{path.relative_to(ROOT)}: {item}" for item in found]
    assert not spelled, "use a named format (DATETIME_FORMAT, SHORT_DATETIME_FORMAT, …):\n" + (
        "\n".join(spelled)
    )
