"""Matrix rows: the payer's billing API (checkout, orders, payments, invoices, credits). An order and
its invoice are seen by the payer, the student it is for, the student's guardians and admins; a
teacher (student A's own included) never sees anyone's money; others meet a missing object."""

from tests.api.matrix.base import ALL_SIGNED_IN, SIGNED_IN, Call, expect

PAYER_SIDE = expect(
    {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 404)},
    student_a=200,
    parent_of_a=200,
    admin=200,
    superuser=200,
)
SIGNED = {"anonymous": 401, **ALL_SIGNED_IN}

ROWS: dict[str, Call] = {
    # Student A's pending enrolment of a paid course: A or A's parent places the order (201; again
    # answers the open one); everyone else, admins included (they do not pay), meets a missing one.
    "POST /api/v1/checkout": Call(
        expect({"anonymous": 401, **dict.fromkeys(SIGNED_IN, 404)}, student_a=201, parent_of_a=201),
        json=lambda w: {"kind": "course", "enrollment_id": w.pending_enrollment_id},
    ),
    "GET /api/v1/orders/{order_id}": Call(PAYER_SIDE, path_params={"order_id": "order_id"}),
    # The World's order is paid: its payer (A) and admins are refused (409 order_paid, it is
    # refunded instead); A's parent sees the order but did not place it, so for them, as for
    # everyone else, there is no such order to cancel. (An open one: tests/billing/test_order_cancel.py.)
    "POST /api/v1/orders/{order_id}/cancel": Call(
        expect(
            {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 404)},
            student_a=409,
            admin=409,
            superuser=409,
        ),
        path_params={"order_id": "order_id"},
    ),
    "GET /api/v1/payments": Call(SIGNED),
    "GET /api/v1/invoices": Call(SIGNED),
    "GET /api/v1/invoices/{invoice_id}": Call(PAYER_SIDE, path_params={"invoice_id": "invoice_id"}),
    "GET /api/v1/credits": Call(SIGNED),
    "GET /api/v1/credits/entries": Call(SIGNED),
}


def build(world) -> None:
    """Student A's paid lesson package with the teacher (order N, its invoice M, paid by an admin's
    record of the transfer: a payment and five credits)."""
    from billing.choices import OrderKind, PaymentMethod
    from billing.services import Line, invoice_for_order, manual_payment_record, order_create
    from courses.choices import CourseFormat
    from tests.courses.factories import CourseFactory, EnrollmentFactory

    child, teacher = world.users["student_a"], world.users["teacher"]
    package = CourseFactory(
        owner=teacher,
        format=CourseFormat.ONE_TO_ONE,
        capacity=None,
        price=100,
        lessons_included=5,
        title="Five lessons",
    )
    enrollment = EnrollmentFactory(course=package, student=child, status="pending")
    order = world.make(
        "order_id",
        "order",
        lambda: order_create(
            actor=child,
            student=child,
            kind=OrderKind.PACKAGE,
            method=PaymentMethod.MANUAL,
            currency=package.currency,
            lines=[Line(description=package.title, unit_price=package.price)],
            course=package,
            enrollment=enrollment,
            teacher=teacher,
        ),
    )
    world.make("invoice_id", "invoice", lambda: invoice_for_order(order=order))
    manual_payment_record(actor=world.users["admin"], order=order)
