"""Courses and what hangs off them: modules, materials and enrolments. Plain models: a Wagtail
CoursePage (later) presents a Course; enrolments and billing link to these rows, never to pages."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.choices import Currency, FreeCancellationOutcome
from cplatform.localized import TranslatedTextMixin, translations_problems
from cplatform.validators import validate_multiline_text, validate_single_line

from .choices import LIVE_STATUSES, CourseFormat, CourseStatus, EnrollmentStatus, MaterialKind
from .storage import private_storage


class Course(TranslatedTextMixin, models.Model):
    """What a student enrols in and pays for: who teaches, in which format, at what price, for how many."""

    # The summary in other languages than the default one (cplatform/localized.py); the title is
    # the course page's, which Wagtail translates per language.
    TRANSLATABLE_FIELDS = {"summary": 2000}

    title = models.CharField(max_length=160, validators=[validate_single_line])
    slug = models.SlugField(unique=True, max_length=180, validators=[validate_single_line])
    summary = models.TextField(blank=True, max_length=2000, validators=[validate_multiline_text])
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('The summary in other languages: {"es": {"summary": "…"}}.'),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_courses",
        help_text=_("The teacher responsible for the course; always one of its teachers."),
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="taught_courses", blank=True
    )
    format = models.CharField(max_length=16, choices=CourseFormat.choices)
    price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("0 makes the course free."),
    )
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.EUR)
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Seats; empty means unlimited. Required for group courses."),
    )
    lessons_included = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "1:1 courses sold as a package: how many lessons an enrolment includes. "
            "Empty: single lessons, booked one by one."
        ),
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "The course's own cancellation cut-off (hours before a lesson); empty: the teacher's."
        ),
    )
    free_cancellation_outcome = models.CharField(
        max_length=8,
        blank=True,
        choices=FreeCancellationOutcome.choices,
        help_text=_("What a free cancellation gives back in this course; empty: the teacher's."),
    )
    subject = models.ForeignKey("catalog.Subject", on_delete=models.PROTECT, related_name="courses")
    level = models.ForeignKey(
        "catalog.Level", on_delete=models.PROTECT, null=True, blank=True, related_name="courses"
    )
    language = models.ForeignKey(
        "catalog.TeachingLanguage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="courses_course_price_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(format=CourseFormat.GROUP) | Q(capacity__isnull=False),
                name="courses_course_group_has_capacity",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="courses_course_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(lessons_included__isnull=True)
                | Q(format=CourseFormat.ONE_TO_ONE, lessons_included__gte=1),
                name="courses_course_package_is_1_to_1",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="courses_course_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("course-detail", kwargs={"slug": self.slug})

    @property
    def is_free(self) -> bool:
        return self.price == 0

    def clean(self):
        super().clean()
        if problems := translations_problems(
            self.translations, fields=self.TRANSLATABLE_FIELDS, multiline={"summary"}
        ):
            raise ValidationError({"translations": problems})

    @property
    def summary_display(self):
        return self.translated("summary")

    @property
    def is_published(self) -> bool:
        return self.status == CourseStatus.PUBLISHED


class Module(TranslatedTextMixin, models.Model):
    """An ordered part of a course's syllabus, released to students at `release_at`."""

    TRANSLATABLE_FIELDS = {"title": 160, "description": 5000}

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=160, validators=[validate_single_line])
    description = models.TextField(
        blank=True, max_length=5000, validators=[validate_multiline_text]
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('Title and description in other languages: {"es": {"title": "…"}}.'),
    )
    position = models.PositiveIntegerField(default=0)
    release_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Students see it from then on; empty: at once.")
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if problems := translations_problems(
            self.translations, fields=self.TRANSLATABLE_FIELDS, multiline={"description"}
        ):
            raise ValidationError({"translations": problems})

    @property
    def title_display(self):
        return self.translated("title")

    @property
    def description_display(self):
        return self.translated("description")

    def is_released(self, now=None) -> bool:
        return self.release_at is None or self.release_at <= (now or timezone.now())


def material_upload_to(instance, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"courses/{instance.course_id}/{uuid.uuid4().hex}{suffix}"


class Material(models.Model):
    """A file, link or text for a course (or one of its modules), released to students at `release_at`."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="materials")
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, null=True, blank=True, related_name="materials"
    )
    title = models.CharField(max_length=160, validators=[validate_single_line])
    kind = models.CharField(max_length=8, choices=MaterialKind.choices)
    file = models.FileField(
        upload_to=material_upload_to, storage=private_storage, blank=True, max_length=255
    )
    original_name = models.CharField(max_length=255, blank=True, validators=[validate_single_line])
    url = models.URLField(blank=True, max_length=500, validators=[validate_single_line])
    body = models.TextField(blank=True, max_length=20000, validators=[validate_multiline_text])
    position = models.PositiveIntegerField(default=0)
    release_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Students see it from then on; empty: at once.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=MaterialKind.FILE) | ~Q(file=""),
                name="courses_material_file_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MaterialKind.LINK) | ~Q(url=""),
                name="courses_material_link_has_url",
            ),
        ]

    def __str__(self):
        return self.title

    def is_released(self, now=None) -> bool:
        now = now or timezone.now()
        own = self.release_at is None or self.release_at <= now
        return own and (self.module is None or self.module.is_released(now))


class Enrollment(models.Model):
    """A student's place in a course. Rows are never deleted: withdrawn, removed and expired ones (a
    pending enrolment not paid by `payment_due_by`) are the history."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    status = models.CharField(max_length=16, choices=EnrollmentStatus.choices)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The student, or the parent who enrolled them."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)
    payment_due_by = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "A pending enrolment of a paid course: when it is released unpaid (its seat returns)."
        ),
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "student"],
                condition=Q(status__in=LIVE_STATUSES),
                name="courses_enrollment_one_live_per_student",
            )
        ]
        indexes = [
            models.Index(fields=["course", "status", "created_at"]),
            models.Index(
                fields=["payment_due_by"],
                condition=Q(status="pending"),
                name="enrollment_pending_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.student} → {self.course} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def holds_seat(self) -> bool:
        return self.status in (EnrollmentStatus.PENDING, EnrollmentStatus.ACTIVE)


class ModuleCompletion(models.Model):
    """A module of the course done by the enrolled student (marked by the student or a teacher)."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="module_completions"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["completed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "module"], name="courses_modulecompletion_once"
            )
        ]

    def __str__(self):
        return f"{self.module} done ({self.enrollment_id})"


class ProgressNote(models.Model):
    """A teacher's note on how an enrolled student is doing; the student and parents read it."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="progress_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=5000, validators=[validate_multiline_text])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Note on {self.enrollment_id} ({self.created_at:%Y-%m-%d})"


# The Wagtail pages that present courses live in pages.py; importing them here registers the models.
from .pages import CourseIndexPage, CoursePage  # noqa: E402, F401
