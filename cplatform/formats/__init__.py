"""Dates that read naturally in each site language (FORMAT_MODULE_PATH).

Templates name a format, never spell one: `{{ lesson.start|date:"DATETIME_FORMAT" }}` reads
"Monday, 7 December 2026, 14:00" in English and "lunes, 7 de diciembre de 2026, 14:00" in Spanish.
DATE_FORMAT is the day with its weekday, DATETIME_FORMAT adds the 24-hour time, TIME_FORMAT is the
time alone, SHORT_DATETIME_FORMAT is the compact form for lists and cards ("Mon 7 Dec, 14:00").
Python code formats through `django.utils.formats.date_format(value, "DATETIME_FORMAT")` after
`timezone.localtime`. Only what differs from Django's own locale files is here (input formats,
separators and the rest come from Django).
"""
