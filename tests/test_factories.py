"""Every factory in tests/*/factories.py builds a saved, valid object (STYLE.md §5)."""

import importlib
import inspect
from pathlib import Path

import factory
import pytest

TESTS = Path(__file__).resolve().parent


def _factories():
    found = []
    for path in sorted(TESTS.glob("*/factories.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.factories")
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if (
                # Model factories only: StreamField block factories build values, not rows, and
                # are exercised through the page factories that use them.
                issubclass(obj, factory.django.DjangoModelFactory)
                and obj.__module__ == module.__name__
                and not obj._meta.abstract
            ):
                found.append(pytest.param(obj, id=f"{path.parent.name}.{name}"))
    return found


FACTORIES = _factories()


def test_there_are_factories_to_build():
    assert len(FACTORIES) >= 5


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", FACTORIES)
def test_every_factory_builds_a_saved_valid_object(factory_class):
    first = factory_class()
    second = factory_class()

    for obj in (first, second):
        assert obj.pk is not None
        model = type(obj)
        assert model.objects.filter(pk=obj.pk).exists()
        obj.full_clean(validate_unique=False)
    assert first.pk != second.pk
