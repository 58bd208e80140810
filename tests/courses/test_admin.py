import pytest

from courses.choices import EnrollmentStatus
from tests.authentication.factories import AdminFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_admin_activates_pending_enrolments_from_the_django_admin(client):
    admin = AdminFactory(is_superuser=True)
    pending = EnrollmentFactory(course=CourseFactory(price=15), status=EnrollmentStatus.PENDING)
    withdrawn = EnrollmentFactory(status=EnrollmentStatus.WITHDRAWN)
    client.force_login(admin)
    assert client.get("/django-admin/courses/enrollment/").status_code == 200
    assert client.get("/django-admin/courses/course/").status_code == 200
    response = client.post(
        "/django-admin/courses/enrollment/",
        {"action": "activate", "_selected_action": [pending.pk, withdrawn.pk]},
        follow=True,
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    withdrawn.refresh_from_db()
    assert pending.status == EnrollmentStatus.ACTIVE
    assert withdrawn.status == EnrollmentStatus.WITHDRAWN
