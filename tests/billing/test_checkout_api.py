"""POST /api/v1/checkout and GET /api/v1/orders/{id}: an order per thing bought, its invoice for a
manual payment, clear 4xx answers for bad input and no rows left behind."""

from decimal import Decimal

import pytest
from django.test import Client

from billing.models import Invoice, Order
from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.billing.factories_front import coupon, family, held_lessons, pending_enrollment
from tests.conftest import login_token

pytestmark = pytest.mark.django_db


def api(user):
    client = Client()
    token = login_token(client, user.email)
    return client, {"HTTP_X_SESSION_TOKEN": token}


def post(user, body):
    client, headers = api(user)
    return client.post("/api/v1/checkout", body, content_type="application/json", **headers)


def test_a_parent_checks_out_a_childs_package_and_gets_the_order_with_its_invoice():
    parent, child = family()
    enrollment = pending_enrollment(student=child, actor=parent, price="100", lessons_included=5)
    coupon("TEN", percent_off=10)
    response = post(parent, {"kind": "package", "enrollment_id": enrollment.pk, "coupon": "ten"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "package" and body["status"] == "open" and body["method"] == "manual"
    assert Decimal(body["total"]) == Decimal("90.00")
    assert body["student_id"] == child.pk and body["payer_name"] == parent.name
    assert body["invoice"]["status"] == "open" and body["invoice"]["number"].startswith("INV-")
    assert body["redirect_url"] is None
    assert response["Location"].endswith(f"/api/v1/orders/{body['id']}")
    client, headers = api(child)  # the student sees the order paid for them
    again = client.get(f"/api/v1/orders/{body['id']}", **headers)
    assert again.status_code == 200 and again.json()["id"] == body["id"]


def test_held_lessons_are_checked_out_through_the_api():
    lessons = held_lessons(count=2, price="25.00")
    response = post(lessons[0].student, {"kind": "lesson", "lesson_ids": [ls.pk for ls in lessons]})
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["total"]) == Decimal("50.00")
    assert len(response.json()["lines"]) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "course"}, "enrollment_id"),
        ({"kind": "lesson"}, "lesson_ids"),
        ({"kind": "lesson", "lesson_ids": []}, "lesson_ids"),
        ({"kind": "plan"}, "plan_id"),
        ({"kind": "gift"}, "kind"),
        ({"kind": "course", "enrollment_id": "x"}, "enrollment_id"),
        ({"kind": "course", "enrollment_id": 1, "price": "0"}, "price"),
        ({"kind": "course", "enrollment_id": "ENR", "method": "cash"}, "method"),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_writes_nothing(body, field):
    pending_enrollment()
    response = post(StudentFactory(), body)
    assert response.status_code == 422, response.content
    answer = response.json()
    assert set(answer) == {"detail", "code", "errors", "error_codes"}
    assert field in answer["errors"], answer
    assert not Order.objects.exists() and not Invoice.objects.exists()


def test_a_wrong_kind_a_bad_coupon_or_an_unavailable_method_answer_422_and_leave_no_rows():
    enrollment = pending_enrollment(price="30")
    student = enrollment.student
    for body, field, code in [
        ({"kind": "package", "enrollment_id": enrollment.pk}, "kind", "invalid"),
        ({"kind": "course", "enrollment_id": enrollment.pk, "coupon": "NONE"}, "coupon", None),
        ({"kind": "course", "enrollment_id": enrollment.pk, "method": "stripe"}, "method", None),
    ]:
        response = post(student, body)
        assert response.status_code == 422, (body, response.content)
        assert field in response.json()["errors"], response.json()
        if code:
            assert response.json()["code"] == code
    assert not Order.objects.exists() and not Invoice.objects.exists()


def test_a_plan_that_does_not_exist_answers_404_and_writes_nothing():
    response = post(StudentFactory(), {"kind": "plan", "plan_id": 987654})
    assert response.status_code == 404
    assert not Order.objects.exists()


def test_someone_elses_enrolment_and_order_answer_404_like_missing_ones():
    enrollment = pending_enrollment()
    mine = post(enrollment.student, {"kind": "course", "enrollment_id": enrollment.pk})
    order_id = mine.json()["id"]
    for outsider in (StudentFactory(), TeacherFactory(), enrollment.course.owner):
        refused = post(outsider, {"kind": "course", "enrollment_id": enrollment.pk})
        missing = post(outsider, {"kind": "course", "enrollment_id": 987654321})
        assert refused.status_code == missing.status_code == 404
        assert refused.json() == missing.json()
        client, headers = api(outsider)
        assert client.get(f"/api/v1/orders/{order_id}", **headers).status_code == 404
    assert Order.objects.count() == 1


def test_paying_again_answers_the_same_open_order():
    enrollment = pending_enrollment()
    first = post(enrollment.student, {"kind": "course", "enrollment_id": enrollment.pk})
    second = post(enrollment.student, {"kind": "course", "enrollment_id": enrollment.pk})
    assert first.json()["id"] == second.json()["id"]
    assert Order.objects.count() == 1
