"""Writes for courses, modules, materials and enrolments. Each service checks who acts, validates, and
writes inside a transaction. Seats are counted under a lock on the course row, so two requests can never
both take the last one."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from authentication.models import User
from authentication.roles import is_admin, is_parent, is_student, is_teacher
from authentication.selectors import (
    acts_for_student,
    guardian_consent_require,
    is_guardian_of,
    students_held_by_consent,
)
from catalog.models import Level, Subject, TeachingLanguage
from cplatform.exceptions import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    refused,
)
from cplatform.localized import clean_translations
from cplatform.signals import announce

from . import signals
from .choices import SEAT_STATUSES, CourseFormat, CourseStatus, EnrollmentStatus, MaterialKind
from .models import Course, Enrollment, Material, Module
from .page_services import (
    course_page_create,
    course_pages_unpublish,
    course_publish_through_page,
)
from .selectors import (
    can_manage_course,
    enrollment_needs_consent,
    enrollment_visible_to,
    material_visible_to,
)
from .validators import validate_material_file

logger = logging.getLogger(__name__)

COURSE_FIELDS = {
    "title",
    "summary",
    "translations",
    "format",
    "price",
    "currency",
    "capacity",
    "lessons_included",
    "cancellation_cutoff_hours",
    "free_cancellation_outcome",
    "subject",
    "level",
    "language",
    "starts_on",
    "ends_on",
    "status",
}


# Slugs that name pages under /courses/ rather than a course.
RESERVED_SLUGS = frozenset({"mine", "teach", "materials", "enrollments"})


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:150] or "course"
    if base in RESERVED_SLUGS:
        base = f"{base}-course"
    slug, n = base, 1
    while Course.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _resolve_lookups(data: dict) -> dict:
    """Codes from the API or forms (subject slug, level code, language code) → lookup rows."""
    data = dict(data)
    problems: dict[str, list[str]] = {}
    for field, model, code_field in (
        ("subject", Subject, "slug"),
        ("level", Level, "code"),
        ("language", TeachingLanguage, "code"),
    ):
        value = data.get(field)
        if value is None or isinstance(value, model):
            continue
        found = model.objects.filter(**{code_field: value}).first()
        if found is None:
            problems[field] = [_("Unknown value “%(value)s”.") % {"value": value}]
        data[field] = found
    if problems:
        raise ValidationFailed(errors=problems)
    return data


def _validate_course(course: Course) -> None:
    """Field errors first (the database constraints repeat these rules as a last line)."""
    problems: dict[str, list[str]] = {}
    if course.format == CourseFormat.GROUP and course.capacity is None:
        problems["capacity"] = [_("A group course needs a number of seats.")]
    if course.lessons_included is not None and course.format != CourseFormat.ONE_TO_ONE:
        problems["lessons_included"] = [_("Only a 1:1 course is sold as a package of lessons.")]
    if course.starts_on and course.ends_on and str(course.ends_on) < str(course.starts_on):
        problems["ends_on"] = [_("The course cannot end before it starts.")]
    try:
        course.full_clean(exclude=["slug", "owner"], validate_constraints=False)
    except ValidationError as exc:
        for field, msgs in exc.message_dict.items():
            problems.setdefault(field, []).extend(str(m) for m in msgs)
    if problems:
        raise ValidationFailed(errors=problems)


def course_create(*, actor: User, data: dict, teachers: list[User] | None = None) -> Course:
    """A teacher creates a course they own (a draft unless `status` says otherwise)."""
    if not is_teacher(actor):
        raise PermissionDenied(_("Only teachers create courses."))
    data = _resolve_lookups({k: v for k, v in data.items() if k in COURSE_FIELDS})
    if "translations" in data:
        data["translations"] = clean_translations(data["translations"]) or {}
    if data.get("subject") is None:
        raise ValidationFailed(errors={"subject": [_("Choose a subject.")]})
    course = Course(owner=actor, **data)
    if course.price is None:
        course.price = Decimal("0")
    _validate_course(course)
    with transaction.atomic():
        course.slug = _unique_slug(course.title)
        course.save()
        course.teachers.set({actor, *(teachers or [])})
        # Its public page starts as a draft the teacher owns (edit it in the admin, then publish).
        course_page_create(course=course, owner=actor)
        if course.status == CourseStatus.PUBLISHED:
            course_publish_through_page(actor=actor, course=course)
    return course


def course_update(*, actor: User, course: Course, data: dict) -> Course:
    """Teachers of the course and admins edit it. Capacity may not drop below the seats taken."""
    if not can_manage_course(user=actor, course=course):
        raise NotFound()
    data = _resolve_lookups({k: v for k, v in data.items() if k in COURSE_FIELDS})
    if "translations" in data:
        data["translations"] = clean_translations(data["translations"]) or {}
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        was_published = locked.status == CourseStatus.PUBLISHED
        for field, value in data.items():
            setattr(locked, field, value)
        if locked.price is None:
            locked.price = Decimal("0")
        _validate_course(locked)
        if locked.capacity is not None:
            taken = locked.enrollments.filter(status__in=SEAT_STATUSES).count()
            if locked.capacity < taken:
                raise ValidationFailed(
                    errors={
                        "capacity": [
                            _("%(taken)d seats are taken; the capacity cannot be lower.")
                            % {"taken": taken}
                        ]
                    },
                    code="capacity_below_taken",
                )
        locked.save()
        if "capacity" in data:
            _promote_waitlist(locked)
        if was_published and locked.status != CourseStatus.PUBLISHED:
            course_pages_unpublish(course=locked)
        elif not was_published and locked.status == CourseStatus.PUBLISHED:
            course_publish_through_page(actor=actor, course=locked)
    return locked


def _teacher_ids(course: Course) -> set[int]:
    return {course.owner_id, *course.teachers.values_list("pk", flat=True)} - {None}


def course_teachers_set(
    *, actor: User, course: Course, teacher_ids, owner_id: int | None = None
) -> Course:
    """The course's teachers become `teacher_ids` (and `owner_id` its owner, if given; the owner is
    always one of them). The course's teachers and admins change them; each must be a teacher
    (422 otherwise). Announces `course_teachers_changed` when the set changes."""
    if not can_manage_course(user=actor, course=course):
        raise NotFound()
    ids = {int(pk) for pk in teacher_ids}
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if owner_id is not None:
            ids.add(int(owner_id))
        people = {u.pk: u for u in User.objects.filter(pk__in=ids, is_active=True)}
        refused = sorted(pk for pk in ids if pk not in people or not is_teacher(people[pk]))
        if refused:
            raise ValidationFailed(
                errors={"teacher_ids": [_("Not a teacher: %(id)s.") % {"id": pk} for pk in refused]}
            )
        before = _teacher_ids(locked)
        if owner_id is not None and locked.owner_id != int(owner_id):
            locked.owner_id = int(owner_id)
            locked.save(update_fields=["owner"])
        locked.teachers.set(ids | {locked.owner_id})
        course_teachers_changed_announce(course=locked, before=before)
    return locked


def course_teachers_changed_announce(*, course: Course, before: set[int]) -> None:
    """Announce `course_teachers_changed` if the course's teachers (owner included) differ from
    `before`; called inside the transaction that changed them (by `course_teachers_set`, and by
    Django's admin after it saved the course's form)."""
    after = _teacher_ids(course)
    if after != before:
        announce(
            signals.course_teachers_changed,
            signals.course_teachers_changed_committed,
            sender=Course,
            course=course,
            added=sorted(after - before),
            removed=sorted(before - after),
        )


def module_create(*, actor: User, course: Course, data: dict) -> Module:
    if not can_manage_course(user=actor, course=course):
        raise NotFound()
    if "translations" in data:
        data = {**data, "translations": clean_translations(data["translations"]) or {}}
    module = Module(course=course, **data)
    if "position" not in data:
        module.position = course.modules.count()
    _full_clean(module, exclude=["course"])
    module.save()
    return module


def _full_clean(obj, *, exclude=()):
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ValidationFailed(
            errors={field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        ) from exc


def material_create(
    *,
    actor: User,
    course: Course,
    title: str,
    kind: str,
    module: Module | None = None,
    upload=None,
    url: str = "",
    body: str = "",
    release_at=None,
    position: int | None = None,
) -> Material:
    """A teacher of the course adds a file (validated), a link or a text."""
    if not can_manage_course(user=actor, course=course):
        raise NotFound()
    if module is not None and module.course_id != course.pk:
        raise ValidationFailed(errors={"module": [_("The module belongs to another course.")]})
    material = Material(
        course=course,
        module=module,
        title=title,
        kind=kind,
        url=url if kind == MaterialKind.LINK else "",
        body=body if kind == MaterialKind.TEXT else "",
        release_at=release_at,
        position=course.materials.count() if position is None else position,
    )
    if kind == MaterialKind.FILE:
        if upload is None:
            raise ValidationFailed(errors={"file": [_("Choose a file to upload.")]})
        try:
            validate_material_file(upload)
        except ValidationError as exc:
            raise ValidationFailed(errors={"file": exc.messages}) from exc
        material.original_name = (upload.name or "file")[-255:]
    elif kind == MaterialKind.LINK and not url:
        raise ValidationFailed(errors={"url": [_("Enter the link's address.")]})
    elif kind == MaterialKind.TEXT and not body:
        raise ValidationFailed(errors={"body": [_("Write the text.")]})
    _full_clean(material, exclude=["course", "module", "file"])
    if kind == MaterialKind.FILE:
        material.file.save(upload.name, upload, save=False)
    material.save()
    return material


def material_delete(*, actor: User, material: Material) -> None:
    if not can_manage_course(user=actor, course=material.course):
        raise refused(
            visible=material_visible_to(user=actor, material=material),
            detail=_("Only the course's teachers or an admin can delete a material."),
        )
    with transaction.atomic():
        name, storage = material.file.name, material.file.storage
        material.delete()
        if name:
            # After the commit (as avatars do): a rolled-back deletion keeps the file its row names.
            transaction.on_commit(lambda: storage.delete(name))


def material_file_open(*, user: User, material: Material):
    """Open a material's private file for `user` (who got `material` from `material_get_for_user`,
    the access check) and announce the download. No file (a link or text, or one gone from the
    storage): NotFound."""
    if not material.file:
        raise NotFound()
    try:
        handle = material.file.storage.open(material.file.name, "rb")
    except FileNotFoundError as exc:
        raise NotFound() from exc
    announce(
        signals.material_downloaded,
        signals.material_downloaded_committed,
        sender=Material,
        material=material,
        user=user,
    )
    return handle


# Enrolment ------------------------------------------------------------------------------------------


def enrollment_lock_enabled() -> bool:
    """The course row lock that serialises seat counting. Only the race-control test turns it off
    (COURSES_ENROLLMENT_LOCK = False) to show that counting seats without it overbooks."""
    return getattr(django_settings, "COURSES_ENROLLMENT_LOCK", True)


def _check_can_enrol_for(*, actor: User, student: User) -> None:
    if actor.pk == student.pk:
        if not is_student(actor):
            raise ValidationFailed(
                errors={"student_id": [_("Only students enrol; choose which child to enrol.")]}
            )
        return
    if not (is_parent(actor) and is_guardian_of(guardian=actor, child_id=student.pk)):
        raise NotFound()
    if not is_student(student):
        raise ValidationFailed(errors={"student_id": [_("This person is not a student.")]})


def enrollment_create(
    *, actor: User, course: Course, student: User | None = None, waitlist: bool = False
) -> Enrollment:
    """Enrol `student` (default: the actor; a parent names a linked child). A free course enrols at once,
    a paid one creates a pending enrolment that billing (or an admin) activates. When every seat is taken,
    `waitlist=True` joins the waitlist; otherwise Conflict. Where `enrollment_needs_consent`, a student
    held back by the guardian-consent gate is refused (PermissionDenied with a `code`), waitlist too:
    a waitlisted student is later given the seat without asking again."""
    try:
        return _enrollment_create(actor=actor, course=course, student=student, waitlist=waitlist)
    except DomainError as exc:
        level = logging.WARNING if exc.status_code == 409 else logging.INFO
        logger.log(level, "enrollment_create refused (%s): course %s", exc.code, course.pk)
        raise


def _enrollment_create(
    *, actor: User, course: Course, student: User | None = None, waitlist: bool = False
) -> Enrollment:
    student = student or actor
    _check_can_enrol_for(actor=actor, student=student)
    with transaction.atomic():
        courses = (
            Course.objects.select_for_update() if enrollment_lock_enabled() else Course.objects
        )
        try:
            locked = courses.get(pk=course.pk)
        except Course.DoesNotExist as exc:
            raise NotFound() from exc
        if locked.status != CourseStatus.PUBLISHED:
            raise NotFound()
        if enrollment_needs_consent(course=locked):
            guardian_consent_require(student=student, actor=actor)
        live = Enrollment.objects.filter(
            course=locked,
            student=student,
            status__in=[*SEAT_STATUSES, EnrollmentStatus.WAITLISTED],
        ).first()
        if live is not None:
            raise Conflict(
                _("Already enrolled or on the waitlist for this course."), code="already_enrolled"
            )
        taken = locked.enrollments.filter(status__in=SEAT_STATUSES).count()
        now = timezone.now()
        if locked.capacity is not None and taken >= locked.capacity:
            if not waitlist:
                raise Conflict(
                    _("The course is full. You can join the waitlist."), code="course_full"
                )
            status = EnrollmentStatus.WAITLISTED
        else:
            status = EnrollmentStatus.ACTIVE if locked.is_free else EnrollmentStatus.PENDING
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.create(
                    course=locked,
                    student=student,
                    status=status,
                    enrolled_by=actor,
                    created_at=now,
                    activated_at=now if status == EnrollmentStatus.ACTIVE else None,
                    payment_due_by=_payment_due_by(now) if status == PENDING else None,
                )
        except IntegrityError as exc:
            logger.warning("A second enrolment reached the database constraint: answered 409")
            raise Conflict(
                _("Already enrolled or on the waitlist for this course."), code="already_enrolled"
            ) from exc
        _announce_status(enrollment)
        return enrollment


PENDING = EnrollmentStatus.PENDING


def payment_hours() -> int:
    """Hours a pending enrolment keeps its seat unpaid (`settings.ENROLLMENT_PAYMENT_HOURS`)."""
    return int(getattr(django_settings, "ENROLLMENT_PAYMENT_HOURS", 48))


def _payment_due_by(now: datetime) -> datetime:
    return now + timedelta(hours=payment_hours())


def _announce_status(enrollment: Enrollment) -> None:
    """The event of an enrolment's new status: activated, requested (pending payment) or waitlisted."""
    pair = {
        EnrollmentStatus.ACTIVE: (
            signals.enrollment_activated,
            signals.enrollment_activated_committed,
        ),
        EnrollmentStatus.PENDING: (
            signals.enrollment_requested,
            signals.enrollment_requested_committed,
        ),
        EnrollmentStatus.WAITLISTED: (
            signals.enrollment_waitlisted,
            signals.enrollment_waitlisted_committed,
        ),
    }[enrollment.status]
    announce(*pair, sender=Enrollment, enrollment=enrollment)


def _promote_waitlist(course: Course) -> list[Enrollment]:
    """Give freed seats to the waitlist in order. The caller holds the lock on the course row.
    Where `enrollment_needs_consent`, a student the guardian-consent gate holds back (consent ended
    since they joined the waitlist, or they joined before the gate) is passed over and keeps their
    place; the next one in line gets the seat."""
    promoted = []
    taken = course.enrollments.filter(status__in=SEAT_STATUSES).count()
    free_seats = None if course.capacity is None else max(course.capacity - taken, 0)
    if free_seats == 0:
        return promoted
    waiting = list(
        course.enrollments.filter(status=EnrollmentStatus.WAITLISTED).order_by("created_at", "pk")
    )
    if enrollment_needs_consent(course=course):
        held = students_held_by_consent(student_ids=[e.student_id for e in waiting])
        waiting = [e for e in waiting if e.student_id not in held]
    if free_seats is not None:
        waiting = waiting[:free_seats]
    now = timezone.now()
    for enrollment in waiting:
        if course.is_free:
            enrollment.status = EnrollmentStatus.ACTIVE
            enrollment.activated_at = now
        else:
            enrollment.status = EnrollmentStatus.PENDING
            enrollment.payment_due_by = _payment_due_by(now)
        enrollment.save(update_fields=["status", "activated_at", "payment_due_by"])
        _announce_status(enrollment)
        promoted.append(enrollment)
    return promoted


def _end(
    enrollment: Enrollment, *, actor: User | None, status: str, now: datetime | None = None
) -> Enrollment:
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=enrollment.course_id)
        current = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if not current.is_live:
            raise Conflict(_("This enrolment has already ended."), code="enrollment_ended")
        previous_status = current.status
        current.status = status
        current.ended_at = now or timezone.now()
        current.ended_by = actor
        current.save(update_fields=["status", "ended_at", "ended_by"])
        if status == EnrollmentStatus.EXPIRED:
            announce(
                signals.enrollment_expired,
                signals.enrollment_expired_committed,
                sender=Enrollment,
                enrollment=current,
            )
        announce(
            signals.enrollment_ended,
            signals.enrollment_ended_committed,
            sender=Enrollment,
            enrollment=current,
            previous_status=previous_status,
        )
        _promote_waitlist(course)
    return current


def enrollment_withdraw(*, actor: User, enrollment: Enrollment) -> Enrollment:
    """The student, or a linked parent, leaves the course (or its waitlist); the first waiting student
    takes the freed seat."""
    if not acts_for_student(user=actor, student_id=enrollment.student_id):
        raise refused(
            visible=enrollment_visible_to(user=actor, enrollment=enrollment),
            detail=_("Only the student or their parent can withdraw."),
        )
    return _end(enrollment, actor=actor, status=EnrollmentStatus.WITHDRAWN)


def enrollment_remove(*, actor: User, enrollment: Enrollment) -> Enrollment:
    """A teacher of the course or an admin removes a student; the waitlist moves up."""
    if not can_manage_course(user=actor, course=enrollment.course):
        raise refused(
            visible=enrollment_visible_to(user=actor, enrollment=enrollment),
            detail=_("Only the course's teachers or an admin can remove a student."),
        )
    return _end(enrollment, actor=actor, status=EnrollmentStatus.REMOVED)


def enrollment_activate(*, actor: User | None, enrollment: Enrollment) -> Enrollment:
    """Activate a pending enrolment: billing once paid (actor None), or an admin by hand. A student the
    guardian-consent gate holds back is refused (PermissionDenied with a `code`, its message worded for
    whoever acts): the enrolment stays pending, as it was before the gate or before consent ended.
    One released unpaid (`enrollment_release_unpaid`) is refused with Conflict `enrollment_expired`
    and stays released: its seat may be someone else's by now (billing refunds the payment). A
    pending one past its `payment_due_by` that the sweep has not reached yet is still activated."""
    if actor is not None and not is_admin(actor):
        raise PermissionDenied(_("Only an admin activates an enrolment by hand."))
    with transaction.atomic():
        # The course lock orders this with other seat changes of the course (and the receivers of
        # `enrollment_activated`, which give seats in its group sessions).
        course = Course.objects.select_for_update().filter(pk=enrollment.course_id).first()
        current = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if current.status == EnrollmentStatus.ACTIVE:
            return current
        if current.status == EnrollmentStatus.EXPIRED:
            raise Conflict(
                _("This enrolment was not paid in time and was released."),
                code="enrollment_expired",
            )
        if current.status != EnrollmentStatus.PENDING:
            raise Conflict(
                _("Only a pending enrolment can be activated."), code="enrollment_not_pending"
            )
        if enrollment_needs_consent(course=course):
            guardian_consent_require(student=current.student, actor=actor)
        current.status = EnrollmentStatus.ACTIVE
        current.activated_at = timezone.now()
        current.payment_due_by = None
        current.save(update_fields=["status", "activated_at", "payment_due_by"])
        _announce_status(current)
    return current


def enrollment_release_unpaid(*, enrollment: Enrollment, now: datetime | None = None) -> bool:
    """A pending enrolment not paid by its `payment_due_by` is released: it ends as "expired" (no
    actor: the system), its seat returns and the waitlist moves up (as any ending does), announced as
    `enrollment_expired` (and `enrollment_ended`). Anything else (paid, ended, not yet due) is left
    alone: False. Safe to run twice."""
    now = now or timezone.now()
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=enrollment.course_id).first()
        current = Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
        if (
            current is None
            or current.status != EnrollmentStatus.PENDING
            or current.payment_due_by is None
            or current.payment_due_by > now
        ):
            return False
        _end(current, actor=None, status=EnrollmentStatus.EXPIRED, now=now)
        logger.info("Pending enrolment %s released unpaid", current.pk)
    return True


def enrollments_release_unpaid_due(*, now: datetime | None = None) -> int:
    """Release every pending enrolment whose `payment_due_by` passed by `now` (the sweep django-q2
    runs every 5 minutes), each in its own transaction; the number released. Running it twice (or two
    at once) releases each once."""
    now = now or timezone.now()
    due = Enrollment.objects.filter(
        status=EnrollmentStatus.PENDING, payment_due_by__lte=now
    ).order_by("pk")
    return sum(
        enrollment_release_unpaid(enrollment=e, now=now) for e in due.only("pk", "course_id")
    )
