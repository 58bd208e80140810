"""Streaming exports of a report: CSV row by row through a StreamingHttpResponse, XLSX written by
openpyxl in write-only mode (rows go to disk as they come) into a temporary file streamed back
with a FileResponse, so a year of rows never sits in memory twice."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A value as a spreadsheet shows it: numbers and dates stay typed, text is text (a text
    starting like a formula is quoted, so a name such as "=cmd" is never run by a spreadsheet)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def text(value) -> str:
    """A value as the report's page and the CSV show it (dates as ISO dates, numbers as written)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: Iterable, rows: Iterable[tuple]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so spreadsheet programs read the UTF-8 names right
    yield writer.writerow([str(h) for h in header])
    for row in rows:
        yield writer.writerow([_csv_cell(v) for v in row])


def _csv_cell(value) -> str:
    shown = cell(value)
    return shown if isinstance(shown, str) else text(shown)


def csv_response(filename: str, header, rows) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def csv_text(header, rows) -> str:
    """The same CSV as one string (the weekly email's attachment)."""
    return "".join(csv_lines(header, rows))


def xlsx_response(filename: str, title: str, header, rows) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Report")
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    # Deleted when the response is closed (FileResponse closes the file).
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )
