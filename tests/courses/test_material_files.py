import pytest
from django.db import transaction

from courses.models import Material
from courses.services import material_delete
from tests.courses.factories import CourseFactory, MaterialFactory

pytestmark = pytest.mark.django_db


def test_a_material_file_goes_only_when_its_deletion_commits(django_capture_on_commit_callbacks):
    course = CourseFactory()
    material = MaterialFactory(course=course)
    pk, name, storage = material.pk, material.file.name, material.file.storage
    assert storage.exists(name)

    with transaction.atomic():
        material_delete(actor=course.owner, material=material)
        transaction.set_rollback(True)  # the request fails after the service ran
    assert Material.objects.filter(pk=pk).exists()
    assert storage.exists(name), "the row is back, so must its file be"

    material = Material.objects.get(pk=pk)
    with django_capture_on_commit_callbacks(execute=True):
        material_delete(actor=course.owner, material=material)
    assert not Material.objects.filter(pk=pk).exists()
    assert not storage.exists(name)
