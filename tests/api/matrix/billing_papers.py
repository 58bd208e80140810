"""Matrix rows: invoice PDFs and the admins' billing operations (billing/papers).

The World's objects: student A's outstanding manual invoice for a course (`invoice_id`; student A
pays for themself, so their parent reads it as their guardian) and student A's paid course order's
payment (`billing_payment_id`). Both courses are the World teacher's: student A's enrolments, and the
paid course's room, are in that teacher's lists (test_permission_matrix's LISTS)."""

from tests.api.matrix.base import ADMINS, ONLY_ADMIN, SIGNED_IN, Call, expect

ANON = {"anonymous": 401}
NOT_FOUND = {**ANON, **dict.fromkeys(SIGNED_IN, 404)}

ROWS: dict[str, Call] = {
    # The payer (student A), their guardian and admins; a pending invitation (second parent) and
    # the teacher of the course read nothing.
    "GET /api/v1/invoices/{invoice_id}/pdf": Call(
        expect(NOT_FOUND, student_a=200, parent_of_a=200, **dict.fromkeys(ADMINS, 200)),
        path_params={"invoice_id": "invoice_id"},
    ),
    "GET /api/v1/admin/payments": Call(ONLY_ADMIN),
    "POST /api/v1/admin/payments/{payment_id}/refund": Call(
        expect(ONLY_ADMIN, admin=200, superuser=200),
        path_params={"payment_id": "billing_payment_id"},
        json={"amount": "1.00", "note": "Goodwill"},
    ),
    "POST /api/v1/admin/invoices/{invoice_id}/mark-paid": Call(
        ONLY_ADMIN,
        path_params={"invoice_id": "invoice_id"},
        json={"note": "Transfer"},
    ),
}


def build(world) -> None:
    from tests.billing.factories_papers import course_order, paid_course_order

    student, teacher = world.users["student_a"], world.users["teacher"]
    world.make(
        "invoice_id",
        "invoice",
        lambda: course_order(student=student, teacher=teacher).invoices.get(),
    )
    world.make(
        "billing_payment_id",
        "payment",
        lambda: paid_course_order(
            student=student, teacher=teacher, admin=world.users["admin"]
        ).payments.get(),
    )
