"""Our own interface strings are translated into Spanish and served under /es/."""

from pathlib import Path

import polib
import pytest

from tests.classroom.factories import listed_teacher

PO_FILE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_the_spanish_teacher_directory_shows_our_spanish_strings(client):
    listed_teacher(first_name="Lucía", subjects=("mathematics",), languages=("es",))

    response = client.get("/es/teachers/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert "<h1>Encuentra un profesor</h1>" in html
    assert "1 profesor encontrado" in html  # a plural form
    assert "Matemáticas" in html  # the subject's own translation
    assert "Find a teacher" not in html


@pytest.mark.django_db
def test_the_english_teacher_directory_stays_english(client):
    response = client.get("/teachers/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Find a teacher</h1>" in html
    assert "Encuentra un profesor" not in html


def test_every_string_of_ours_has_a_spanish_translation():
    catalog = polib.pofile(str(PO_FILE))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]

    assert len(catalog) > 100
    assert untranslated == [], "run `make messages` and fill these msgstr"
    assert fuzzy == [], "check these guesses by msgmerge, then drop the fuzzy flag"
