"""Choosing a row's id in a test, so that ids collide across types on purpose (PostgreSQL).

`next_id(Model, N)` makes the one row of `Model` created inside the block take id N (through the
table's sequence); `ids_from_scratch(models)` first moves those tables' sequences to SCRATCH, so rows
made without `next_id` never land on a chosen N. Sequences are not transactional: a rolled-back test
leaves them where they were, which is harmless (rows and ids are both free again).
"""

from contextlib import contextmanager

from django.db import connection

SCRATCH = 100_000


def _sequence(model) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column]
        )
        return cursor.fetchone()[0]


def _position(sequence: str) -> tuple[int, bool]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 (a sequence name from the catalog)
        return cursor.fetchone()


def _setval(sequence: str, value: int, is_called: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(%s, %s, %s)", [sequence, value, is_called])


def ids_from_scratch(models) -> None:
    """Move each model's sequence to SCRATCH or beyond: rows made without `next_id` never take an id
    below it, the band `next_id` hands out."""
    assert connection.vendor == "postgresql", "ids are chosen through PostgreSQL sequences"
    for model in models:
        sequence = _sequence(model)
        last, called = _position(sequence)
        upcoming = last + 1 if called else last
        if upcoming < SCRATCH:
            _setval(sequence, SCRATCH, False)


@contextmanager
def next_id(model, pk: int):
    """The one row of `model` created inside the block takes id `pk`."""
    assert pk < SCRATCH

    def band() -> set[int]:
        return set(model.objects.filter(pk__lt=SCRATCH).values_list("pk", flat=True))

    before = band()
    assert pk not in before, f"{model.__name__} id {pk} is taken"
    sequence = _sequence(model)
    position = _position(sequence)
    _setval(sequence, pk, False)
    try:
        yield
    finally:
        _setval(sequence, *position)
    made = band() - before
    assert made == {pk}, f"{model.__name__}: expected one row with id {pk}, made {sorted(made)}"
