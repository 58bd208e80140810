"""Facts about enrolments that other apps act on. courses never imports them (dependency direction:
classroom listens here and gives or frees seats in group sessions).

Both signals are sent inside the transaction that changes the enrolment, while the course row is
locked: a receiver's writes commit or roll back together with the enrolment, so an active enrolment
never ends up without its session seats (nor a withdrawn one keeping them) after a crash between the
two, and receivers see the course's seat count frozen. A receiver must therefore be quick and must not
raise for ordinary situations (a full session is skipped, not an error).
"""

from django.dispatch import Signal

# An enrolment became active (created active, activated by an admin or billing, or promoted from the
# waitlist of a free course). Sent with `enrollment`.
enrollment_activated = Signal()

# An enrolment ended (withdrawn or removed). Sent with `enrollment` (its new status) and
# `previous_status`.
enrollment_ended = Signal()
