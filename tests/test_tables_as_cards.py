"""No page scrolls sideways at 375 px because of a table: below 40rem every `.table` becomes cards
(static/css/site.css), each cell labelled by its column through `data-label`. Every template with a
table is held to that here (a new table without the labels fails), and the pages that show them are
read through the test client to see the labels rendered in the reader's language."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.classroom.conftest import as_user, people  # noqa: F401, F811
from tests.courses.factories import CourseFactory, EnrollmentFactory

ROOT = Path(__file__).resolve().parent.parent
# Tables that are not lists of records, and why they stay tables on a phone.
NOT_RECORD_TABLES = {
    # The weekly availability grid: days across, half hours down; it scrolls inside its own box
    # (the page does not), and the grid is the editor.
    "classroom/schedule/availability_edit.html",
    # Django's admin index (a copy that folds dj-stripe's tables): the Django admin's own styles.
    "admin/app_list.html",
    # A panel of the Wagtail admin's dashboard: Wagtail's own listing table and styles (its admin
    # is used at desk width; its tables scroll inside their panel).
    "wagtailadmin/home/translations_waiting.html",
    # Listings of the Wagtail admin (billing's money screens, messaging suspensions): Wagtail's own
    # listing styles, at desk width, like the panel above.
    "billing/admin/dispute_index.html",
    "billing/admin/invoice_index.html",
    "billing/admin/payment_index.html",
    "billing/admin/payout_index.html",
    "billing/admin/refund_index.html",
    "inbox/admin/suspension_index.html",
    # An invoice's PDF: a printed A4 page (WeasyPrint), never shown at 375 px.
    "billing/invoice_pdf.html",
}
TEMPLATES = sorted(
    path
    for path in (ROOT / "templates").rglob("*.html")
    if "<table" in path.read_text()
    and str(path.relative_to(ROOT / "templates")) not in NOT_RECORD_TABLES
)


def test_the_templates_with_tables_are_found():
    names = {str(path.relative_to(ROOT / "templates")) for path in TEMPLATES}
    assert {"courses/my_courses.html", "courses/teach_course.html"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_every_table_is_a_card_table_and_labels_each_body_cell(path):
    text = path.read_text()
    for table in re.findall(r"<table\b[^>]*>", text):
        assert re.search(r'class="[^"]*\btable\b', table), f"{path}: {table} lacks class table"
    for body in re.findall(r"<tbody>(.*?)</tbody>", text, re.S):
        for cell in re.findall(r"<td\b[^>]*>|<th\b[^>]*>", body):
            assert "data-label=" in cell, f"{path}: {cell} has no data-label"


@pytest.mark.django_db
def test_the_rendered_tables_label_their_cells_in_the_readers_language(client, people):  # noqa: F811
    course = CourseFactory(owner=people.teacher, title="Álgebra")
    EnrollmentFactory(course=course, student=people.student_a)
    pages = [
        (people.student_a, reverse("my-courses"), True),
        (people.teacher, reverse("teach-courses"), True),
        (people.teacher, reverse("teach-course", kwargs={"course_id": course.pk}), True),
        (people.teacher, reverse("progress-home"), False),  # no status column
    ]
    for user, url, has_status in pages:
        as_user(client, user)
        for prefix, status_label in (("", "Status"), ("/es", "Estado")):
            response = client.get(prefix + url)
            assert response.status_code == 200, (prefix + url, response.status_code)
            tables = BeautifulSoup(response.content, "html.parser").select("main table.table")
            assert tables, url
            cells = [c for t in tables for c in t.select("tbody td, tbody th")]
            assert cells and all(c.has_attr("data-label") for c in cells), url
            labels = {c["data-label"] for c in cells}
            if has_status:
                assert status_label in labels, (prefix + url, labels)
