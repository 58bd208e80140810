"""Facts about enrolments and materials that other apps act on. courses never imports them
(dependency direction: classroom listens here and gives or frees seats in group sessions; billing
and inbox will).

Each event is a pair (see cplatform/signals.py): `<event>`, sent inside the transaction that changes
the enrolment, while the course row is locked, and `<event>_committed`, sent after the commit (for
email, Stripe, WebSocket pushes). An in-transaction receiver's writes commit or roll back together
with the enrolment, so an active enrolment never ends up without its session seats (nor a withdrawn
one keeping them) after a crash between the two, and receivers see the course's seat count frozen. A
receiver must therefore be quick and must not raise for ordinary situations (a full session is
skipped, not an error). The sender is the model class.
"""

from django.dispatch import Signal

# An enrolment became active (created active, activated by an admin or billing, or promoted from the
# waitlist of a free course). Sent with `enrollment`.
enrollment_activated = Signal()
enrollment_activated_committed = Signal()

# An enrolment ended (withdrawn or removed). Sent with `enrollment` (its new status) and
# `previous_status`.
enrollment_ended = Signal()
enrollment_ended_committed = Signal()

# A pending enrolment was not paid by its `payment_due_by` and was released (status "expired"): its
# seat returned to the course (the waitlist moves up). Sent with `enrollment`; `enrollment_ended`
# is sent too (with `previous_status` "pending"), as for any enrolment that ends. Inbox tells the
# student (and who enrolled them); billing drops the open payment, and refunds one that arrives.
enrollment_expired = Signal()
enrollment_expired_committed = Signal()

# A seat waits for payment: a pending enrolment was created in a paid course, or a waitlisted one
# was promoted to pending. Sent with `enrollment` (billing asks for the payment, then activates it).
enrollment_requested = Signal()
enrollment_requested_committed = Signal()

# A student joined a full course's waitlist. Sent with `enrollment`.
enrollment_waitlisted = Signal()
enrollment_waitlisted_committed = Signal()

# A person downloaded a material's file (it was opened for them). Sent with `material`, `user`.
material_downloaded = Signal()
material_downloaded_committed = Signal()

# A course's teachers changed (its teachers or its owner, by `course_teachers_set`). Sent with
# `course`, `added` and `removed` (user ids). inbox keeps the course room's members in step.
course_teachers_changed = Signal()
course_teachers_changed_committed = Signal()
