"""Every `code` a DomainError may carry: the stable, machine-readable reason of a refusal. Clients branch
on these, never on the English of `detail`; the API's error schema lists them (an OpenAPI enum).

One registry for the whole project (strings only: naming a code here imports no feature app). A code
means the same wherever it is raised. Add a code here with a one-line meaning, raise it with
`code=...`, and make tests/hooks/test_error_codes.py reach it (the test fails for a code no case
reaches, and DomainError refuses a code that is not listed here).
"""

CODES: dict[str, str] = {
    # Generic: the default code of each DomainError class.
    "invalid": "Some fields are not valid; `errors` says which and why.",
    "not_found": "No such object, or one the person may not see (both answer the same).",
    "permission_denied": "The person sees the object but may not do this to it.",
    "not_authenticated": "Sign in first (the API's 401).",
    "session_invalid": "The `X-Session-Token` is unknown, expired or signed out: sign in again (401).",
    "method_not_allowed": "The path exists but not with this method; `Allow` lists the methods (405).",
    "malformed_request": "The body cannot be read: not JSON, nested too deeply, wrong type (400).",
    # People and guardians (authentication).
    "email_taken": "An account with this email already exists.",
    "already_invited": "The inviter already has an open invitation or link with this person.",
    "already_linked": "The guardian and the child are already linked.",
    "guardian_limit_reached": "A child can have at most two guardians (links or invitations).",
    "invitation_not_acceptable": "The invitation is not pending or was not sent to this person.",
    "invitation_pending": "An invitation between these two people is still pending.",
    "own_guardian": "A person cannot be their own guardian.",
    "guardian_consent_required": "A student under 16 needs a linked guardian's consent first.",
    "date_of_birth_required": "The student's date of birth is needed before this.",
    "guardian_removal_locked": "A child under 16 cannot end a guardian link (the guardian can).",
    "date_of_birth_locked": "An under-16 student's date of birth is changed by a guardian or admin.",
    # Files sent with messages (inbox attachments).
    "too_many_files": "More files than a message may carry (`INBOX_ATTACHMENT_MAX_FILES`).",
    "file_too_large": "A file is larger than allowed (`INBOX_ATTACHMENT_MAX_BYTES`).",
    "invalid_file_type": "The file's content is not an allowed type, or its name says another type.",
    # Courses and enrolments.
    "course_full": "Every seat of the course is taken (the waitlist is open).",
    "already_enrolled": "The student is already enrolled in, or waiting for, the course.",
    "enrollment_ended": "The enrolment has already ended.",
    "enrollment_not_pending": "Only a pending enrolment can be activated.",
    "enrollment_not_active": "Only an active enrolment can do this (e.g. record progress).",
    # Billing: orders, payments, refunds and credits.
    "nothing_to_pay": "The order would have no lines: there is nothing to pay.",
    "already_ordered": "A lesson is already on another order: pay or cancel that one.",
    "payment_mismatch": "The amount or currency received does not match the order.",
    "order_paid": "A paid order cannot be cancelled; refund it instead.",
    "no_credit": "There are not enough lesson credits with this teacher in this currency.",
    "capacity_below_taken": "A course's capacity cannot drop below the seats already taken.",
    "module_not_released": "The module is not released yet.",
    "catalog_page_missing": "The site has no course catalog page to put the course's page under.",
    "moderation_in_progress": "The course's page is already waiting for a moderator.",
    # Booking and scheduling (classroom).
    "slot_taken": "The teacher already has a lesson at that time (or it was just taken).",
    "student_busy": "The student already has a lesson or a group session at that time.",
    "slot_too_close": "The time is too close to another lesson of the teacher (their buffer).",
    "outside_availability": "The teacher is not available at that time.",
    "length_not_offered": "The teacher does not offer lessons of that length.",
    "notice_too_short": "The lesson starts too soon for the teacher's notice.",
    "beyond_horizon": "The lesson is further ahead than the teacher lets students book.",
    "series_unavailable": "Some lessons of a series cannot be booked; nothing was booked.",
    "package_used_up": "Every lesson of the 1:1 package has been used.",
    "course_not_bookable": "The course cannot hold this 1:1 lesson (format, teacher, enrolment).",
    "own_lesson": "A person cannot book a lesson with themself.",
    "student_required": "Name the student (a linked child) the lesson is for.",
    "lesson_not_scheduled": "Only a scheduled lesson can be changed; this one is not.",
    "lesson_started": "The lesson or session has already started (or is no longer scheduled).",
    "reschedule_too_late": "Past the cancellation cut-off the student's side cannot reschedule.",
    "hold_expired_slot_taken": "The booking was not paid in time and its slot was booked since.",
    "lesson_not_held": "The booking is no longer awaiting payment (cancelled, or taken place).",
    "lesson_not_confirmed": "The booking awaits payment or expired unpaid: it is not taking place.",
    "enrollment_expired": "The pending enrolment was not paid in time and was released.",
    "group_session_not_movable": "A group session is cancelled and created anew, not moved.",
    "price_changed": "The lesson's price is not the one the booker was shown; nothing was booked.",
    "mode_not_offered": "The teacher does not teach this way (online or in person).",
    # Teaching (classroom).
    "teacher_profile_missing": "The course's teacher has no teacher profile.",
    "not_a_group_session": "Seats belong to group sessions.",
    "already_seated": "The student already has a seat in this session.",
    "session_full": "Every seat of the session is taken.",
    "lesson_cancelled": "The lesson was cancelled; it is no longer run or edited.",
    "lesson_not_started": "Attendance can be recorded once the lesson has started.",
    "no_homework": "The lesson has no homework, so there is nothing to mark as done.",
    # Inbox safety: blocks, reports and the moderation queue (inbox/safety).
    "admin_not_blockable": "Admins cannot be blocked (nor suspended): they answer safety reports.",
    "already_reported": "The person already has an open report of this message.",
    "report_not_open": "The report was already dismissed or acted on.",
    # Direct messages (inbox).
    "recipient_not_allowed": "You may not write to this person, or there is no such person "
    "(both answer the same).",
    # Retries (cplatform.idempotency).
    "idempotency_key_reused": "This Idempotency-Key was already used with another request (422).",
    "idempotency_key_in_use": "A request with this Idempotency-Key is still running; retry (409).",
    # Chat rooms (inbox.rooms).
    "room_member_not_allowed": "The person cannot be put in a room by this member (or does not exist).",
    "course_room_managed": "A course room's members follow its enrolments; it is not changed by hand.",
    "room_message_deleted": "The message was deleted; it can no longer be edited.",
    # billing (policy): credits, subscriptions
    "already_subscribed": "The student already has a live subscription to this plan.",
    "subscription_not_active": "The subscription is not in a state that allows this (paused, cancelled…).",
    # Billing (billing.services, billing.stripe) — the stripe engineer's block.
    "not_manual": "Only a manual (bank transfer, cash) order is marked paid by hand.",
    "refund_too_large": "The refund is more than what is left to refund of the payment.",
    "order_not_open": "The order is no longer awaiting payment.",
    "stripe_disabled": "Card payments (Stripe) are not set up on this site; pay by transfer.",
    # Billing papers (billing/papers) and the core refusals the admins' billing API answers.
    "invalid_amount": "The amount is not a positive number with at most two decimals.",
    "not_refundable": "The payment has nothing left to refund (failed or fully refunded).",
    "not_an_invoice": "A credit note is not paid; only an invoice is marked paid.",
    "invoice_void": "The invoice was voided (its order was cancelled): nothing is owed.",
    # Billing (billing.services, billing.stripe) — the stripe engineer's block.
    # Billing: checkout (billing.checkout).
    "method_unavailable": "The payment method is not available (card payments need Stripe on).",
    "coupon_invalid": "The coupon does not exist, expired, is used up or is for another currency.",
    "lesson_not_payable": "The lessons cannot be paid together (other student, teacher, no price).",
    # Inbox leftovers of issue 13 (admins reading rooms, admins blocking).
    "room_not_member": "An admin reads (and moderates) this room without being a member; only "
    "members write in it.",
    "admin_cannot_block": "Admins do not block people: they may write to anyone, and act on reports "
    "instead.",
}


# The per-field codes of `error_codes` (beside `errors`, one code per message) when the input itself
# does not validate, derived from pydantic's error `type` and Django's ValidationError `code`. A field
# refused by a rule of the domain carries the refusal's code from CODES instead (`slot_taken` …).
FIELD_CODES: dict[str, str] = {
    "invalid": "The value is not valid for the field (wrong type, format or rule).",
    "required": "The field is required and was not given.",
    "not_nullable": "`null` does not clear this field (PATCH): leave it out to keep its value.",
    "unknown_field": "The request names a field the operation does not take.",
    "invalid_choice": "The value is not one of the field's choices.",
    "too_short": "The value is shorter (or has fewer items) than the field allows.",
    "too_long": "The value is longer (or has more items) than the field allows.",
    "too_small": "The number or date is below the field's minimum.",
    "too_large": "The number or date is above the field's maximum.",
    "control_characters": "Text holds line breaks or control characters the field refuses.",
    "password_too_common": "The password is too common.",
    "password_entirely_numeric": "The password is entirely numeric.",
}
