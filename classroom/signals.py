"""Facts about lessons that other apps act on (billing settles, inbox notifies, dashboards count).
classroom never imports its listeners (dependency direction: they live in higher apps).

Each event is a pair (see cplatform/signals.py): `<event>`, sent inside the service's transaction (a
receiver's writes commit with the event: seats, billing records, notification rows), and
`<event>_committed`, sent after the commit (email, Stripe, WebSocket pushes). Both carry the same
keyword arguments; the sender is the model class of the main object.
"""

from django.dispatch import Signal

# A 1:1 lesson was booked (alone, or as one lesson of a weekly series). `lesson`, `actor` (who
# booked: the student or their parent), `series` (the LessonSeries, or None).
lesson_booked = Signal()
lesson_booked_committed = Signal()

# A 1:1 lesson was booked awaiting payment (held: status "held", `hold_expires_at` set), alone or as
# one lesson of a weekly series booked at once. Not a confirmed booking: `lesson_booked` is sent when
# the hold is confirmed (paid; `lesson_hold_confirm`). `lesson` (its `price`, `currency` and
# `hold_expires_at` say what to collect and until when), `actor` (who booked: the student or their
# parent, the payer), `series` (the LessonSeries, or None). Billing starts the payment here.
lesson_held = Signal()
lesson_held_committed = Signal()

# A held lesson was not paid in time: it is now "expired" and its slot is free again. `lesson`,
# `actor` (always None: the system). Billing drops the open payment; inbox tells the booker.
lesson_hold_expired = Signal()
lesson_hold_expired_committed = Signal()

# A lesson was moved. `lesson` (at its new time), `actor`, `previous_start`, `previous_end`.
lesson_rescheduled = Signal()
lesson_rescheduled_committed = Signal()

# A lesson (1:1 or a group session) was cancelled. `lesson`, `actor` (who cancelled), `late` (after
# the cut-off, by the student's side: it counts as taken), `billing_outcome` (a BillingOutcome:
# refund, credit or charge), `was_held` (True: it was a booking awaiting payment, never paid nor
# announced as booked: nothing to settle, its `billing_outcome` is left as it was).
lesson_cancelled = Signal()
lesson_cancelled_committed = Signal()

# The teacher recorded (or corrected) attendance. `lesson` (its new status and billing outcome),
# `attendances` (the Attendance rows written), `actor`.
attendance_recorded = Signal()
attendance_recorded_committed = Signal()

# The teacher wrote the lesson's notes or homework. `lesson`, `actor`, `fields` (which of "notes",
# "homework", "homework_due" changed).
lesson_notes_posted = Signal()
lesson_notes_posted_committed = Signal()

# A course material was shared in a lesson (not sent when it already was). `lesson`, `material`,
# `actor`.
lesson_material_shared = Signal()
lesson_material_shared_committed = Signal()

# A student got a seat in a group session: taken by them or their parent, or given by the system
# (the session was created, or their enrolment became active). `seat`, `lesson`, `student_id`, `actor`
# (None when the system gave it).
seat_taken = Signal()
seat_taken_committed = Signal()

# A seat was given up: by the student or their parent, or by the system when the enrolment ended.
# `seat`, `lesson`, `student_id`, `actor` (None for the system).
seat_released = Signal()
seat_released_committed = Signal()
