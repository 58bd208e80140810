import io

import pytest
from django.core.management import call_command

from courses.choices import CourseFormat, CourseStatus, EnrollmentStatus
from courses.models import Course, Enrollment, Material

pytestmark = pytest.mark.django_db


def test_demo_data_adds_published_courses_of_each_format_in_both_languages_once():
    call_command("load_demo_data", stdout=io.StringIO(), stderr=io.StringIO())
    courses = Course.objects.filter(status=CourseStatus.PUBLISHED)
    assert set(courses.values_list("format", flat=True)) == set(CourseFormat.values)
    assert set(courses.values_list("language__code", flat=True)) == {"en", "es"}
    assert courses.filter(price=0).exists() and courses.filter(price__gt=0).exists()
    enrolled = set(
        Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE).values_list(
            "student__email", flat=True
        )
    )
    assert {"liam.johnson@example.com", "mia.lopez@example.com"} <= enrolled
    before = (Course.objects.count(), Enrollment.objects.count(), Material.objects.count())
    call_command("load_demo_data", stdout=io.StringIO(), stderr=io.StringIO())
    assert (Course.objects.count(), Enrollment.objects.count(), Material.objects.count()) == before
