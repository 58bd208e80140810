import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from authentication.selectors import CONSENT_AGE, age_on
from catalog.choices import Currency, FreeCancellationOutcome
from catalog.models import Level, Subject, TeachingLanguage
from cplatform.localized import LocalizedText, TranslatedTextMixin
from cplatform.validators import text_problem, validate_multiline_text, validate_single_line

from .choices import (
    AttendanceStatus,
    BillingOutcome,
    LessonKind,
    LessonMode,
    LessonStatus,
)

# Slugs that name pages under /teachers/ rather than a teacher.
RESERVED_SLUGS = frozenset({"me", "edit", "new", "search"})

# Fields of a teacher profile that may be given in other languages, with their maximum length.
TRANSLATABLE_FIELDS = {"headline": 160, "bio": 5000, "teaching_preferences": 2000}
MULTILINE_TRANSLATABLE = frozenset({"bio", "teaching_preferences"})


def translations_errors(value) -> list[str]:
    """Why a `translations` value is not {"<site language>": {"headline": str, "bio": str}} (empty: fine)."""
    codes = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, dict):
        return [_('Use {"es": {"headline": "…", "bio": "…"}}.')]
    problems = []
    for lang, fields in value.items():
        if lang not in codes:
            problems.append(_("%(lang)s is not a language of this site.") % {"lang": lang})
        elif not isinstance(fields, dict) or not set(fields) <= set(TRANSLATABLE_FIELDS):
            problems.append(_('Use {"es": {"headline": "…", "bio": "…"}}.'))
        else:
            for field, text in fields.items():
                if not isinstance(text, str):
                    problems.append(
                        _("The %(field)s in %(lang)s must be text.")
                        % {"field": field, "lang": lang}
                    )
                elif len(text) > TRANSLATABLE_FIELDS[field]:
                    problems.append(
                        _("The %(field)s in %(lang)s is longer than %(max)d characters.")
                        % {"field": field, "lang": lang, "max": TRANSLATABLE_FIELDS[field]}
                    )
                elif problem := text_problem(text, multiline=field in MULTILINE_TRANSLATABLE):
                    problems.append(
                        _("The %(field)s in %(lang)s: %(problem)s")
                        % {"field": field, "lang": lang, "problem": problem}
                    )
    return problems


class TeacherProfile(TranslatedTextMixin, models.Model):
    """What a teacher shows the public. Listed in the directory once public and approved by an admin."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher_profile"
    )
    slug = models.SlugField(unique=True, max_length=100, validators=[validate_single_line])
    headline = models.CharField(
        max_length=160,
        blank=True,
        help_text=_("One line under the name."),
        validators=[validate_single_line],
    )
    bio = models.TextField(
        blank=True, max_length=5000, validators=[MaxLengthValidator(5000), validate_multiline_text]
    )
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "Headline, bio and how they teach in other languages: "
            '{"es": {"headline": "…", "bio": "…", "teaching_preferences": "…"}}.'
        ),
    )
    subjects = models.ManyToManyField(Subject, blank=True, related_name="teachers")
    levels = models.ManyToManyField(Level, blank=True, related_name="teachers")
    languages = models.ManyToManyField(TeachingLanguage, blank=True, related_name="teachers")
    hourly_rate = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.EUR)
    teaches_online = models.BooleanField(default=True)
    teaches_in_person = models.BooleanField(default=False)
    location = models.CharField(
        max_length=160,
        blank=True,
        help_text=_("Where in-person lessons happen."),
        validators=[validate_single_line],
    )
    teaching_preferences = models.TextField(
        blank=True, max_length=2000, validators=[MaxLengthValidator(2000), validate_multiline_text]
    )
    is_public = models.BooleanField(default=False, help_text=_("The teacher wants to be listed."))
    is_approved = models.BooleanField(
        default=False, help_text=_("Set by an admin; only approved profiles are listed.")
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The admin who last approved or withdrew approval."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_approved", "user__first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hourly_rate__gte=0) | models.Q(hourly_rate__isnull=True),
                name="teacher_rate_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["is_public", "is_approved"], name="teacher_listed_idx")]

    def __str__(self):
        return self.user.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("teacher-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        problems = translations_errors(self.translations)
        if problems:
            raise ValidationError({"translations": problems})

    def _unique_slug(self) -> str:
        base = slugify(self.user.name)[:80] or "teacher"
        slug, n = base, 2
        while (
            slug in RESERVED_SLUGS
            or TeacherProfile.objects.filter(slug=slug).exclude(pk=self.pk).exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        return slug

    TRANSLATABLE_FIELDS = TRANSLATABLE_FIELDS

    @property
    def headline_display(self) -> LocalizedText:
        return self.translated("headline")

    @property
    def bio_display(self) -> LocalizedText:
        return self.translated("bio")

    @property
    def teaching_preferences_display(self) -> LocalizedText:
        return self.translated("teaching_preferences")


MAX_AGE = 120  # an older date of birth is a typo (or a way around the consent gate), not a learner


class StudentProfile(models.Model):
    """What a teacher needs to know about a learner. The date of birth drives guardian consent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_profile"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    learning_goals = models.TextField(
        blank=True, max_length=2000, validators=[MaxLengthValidator(2000), validate_multiline_text]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.user.name

    def clean(self):
        super().clean()
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            raise ValidationError(
                {"date_of_birth": _("The date of birth cannot be in the future.")}
            )
        if self.date_of_birth and age_on(born=self.date_of_birth, today=today) > MAX_AGE:
            raise ValidationError(
                {
                    "date_of_birth": _("Enter a real date of birth: at most %(n)d years ago.")
                    % {"n": MAX_AGE}
                }
            )

    @property
    def date_of_birth_locked(self) -> bool:
        """Its date of birth puts the student under the guardian-consent age: from then on only a
        guardian or an admin changes it (so a child cannot switch the gate off by editing it)."""
        born = self.date_of_birth
        return born is not None and age_on(born=born, today=timezone.localdate()) < CONSENT_AGE


# Scheduling: availability, lessons and series. Times of day are the teacher's wall clock (in the
# teacher's `User.timezone`); instants (lessons, time off) are stored in UTC.


def default_lesson_lengths() -> list[int]:
    return [60]


class TeacherSchedulingSettings(models.Model):
    """How a teacher can be booked: lesson lengths, buffer, notice, horizon and cancellation policy."""

    teacher = models.OneToOneField(
        TeacherProfile, on_delete=models.CASCADE, related_name="scheduling_settings"
    )
    lesson_lengths = models.JSONField(
        default=default_lesson_lengths, help_text=_("Lesson lengths offered, in minutes.")
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=0, help_text=_("Free minutes kept before and after each lesson.")
    )
    min_notice_minutes = models.PositiveIntegerField(
        default=12 * 60, help_text=_("How long before its start a lesson can still be booked.")
    )
    horizon_days = models.PositiveSmallIntegerField(
        default=60, help_text=_("How many days ahead lessons can be booked.")
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text=_("A student may cancel or reschedule for free until this many hours before."),
    )
    free_cancellation_outcome = models.CharField(
        max_length=8,
        choices=FreeCancellationOutcome.choices,
        default=FreeCancellationOutcome.REFUND,
        help_text=_("What the student gets back for a free cancellation."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "teacher scheduling settings"

    def __str__(self):
        return f"Scheduling of {self.teacher}"


MIDNIGHT = datetime.time(0, 0)


def minutes_of_day(at: datetime.time, *, end: bool = False) -> int:
    """Minutes since the day's midnight; an end at 00:00 is the midnight that ends the day (1440)."""
    minutes = at.hour * 60 + at.minute
    return 24 * 60 if end and minutes == 0 else minutes


class AvailabilityRule(models.Model):
    """A weekly window in the teacher's own time zone: every `weekday` from `start_time` to `end_time`.
    An `end_time` of 00:00 is the midnight at the end of the day (shown as 24:00), so an evening
    window can run to midnight and 00:00–00:00 is the whole day."""

    teacher = models.ForeignKey(
        TeacherProfile, on_delete=models.CASCADE, related_name="availability_rules"
    )
    weekday = models.PositiveSmallIntegerField(help_text=_("0 = Monday … 6 = Sunday."))
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="availability_weekday_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time"))
                | models.Q(end_time=MIDNIGHT),
                name="availability_rule_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.weekday} {self.start_time}–{self.end_time}"


class AvailabilityException(models.Model):
    """Time off: no lesson can be booked between `start` and `end` (UTC instants)."""

    teacher = models.ForeignKey(
        TeacherProfile, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=160, blank=True, validators=[validate_single_line])

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="time_off_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M} UTC"


class LessonSeries(models.Model):
    """A weekly recurring lesson, anchored to the teacher's wall clock (`local_start_time` in `timezone`)."""

    teacher = models.ForeignKey(TeacherProfile, on_delete=models.CASCADE, related_name="series")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_series"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    timezone = models.CharField(
        max_length=64,
        help_text=_("The teacher's zone at booking."),
        validators=[validate_single_line],
    )
    weekday = models.PositiveSmallIntegerField()
    local_start_time = models.TimeField()
    length_minutes = models.PositiveSmallIntegerField()
    first_date = models.DateField()
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "The price of each lesson shown at booking; empty when the teacher set no price."
        ),
    )
    currency = models.CharField(
        max_length=3, choices=Currency.choices, blank=True, help_text=_("The price's currency.")
    )
    mode = models.CharField(
        max_length=10,
        choices=LessonMode.choices,
        default=LessonMode.ONLINE,
        help_text=_("Online or in person, as shown at booking."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "lesson series"

    def __str__(self):
        return f"Weekly {self.local_start_time} {self.timezone}"


class Lesson(models.Model):
    """A lesson between `start` and `end` (UTC, half-open): a 1:1 lesson with one `student`, or a group
    session of a group course (`kind="group"`, no `student`, up to `capacity` students holding a
    `LessonSeat`). Lessons of a teacher (both kinds) and 1:1 lessons of a student that are neither
    cancelled nor expired never overlap (a held lesson, awaiting payment, blocks its slot): on
    PostgreSQL exclusion constraints hold that (migration 0013, replacing 0006's)."""

    teacher = models.ForeignKey(TeacherProfile, on_delete=models.PROTECT, related_name="lessons")
    kind = models.CharField(max_length=8, choices=LessonKind.choices, default=LessonKind.PRIVATE)
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        help_text=_("The course the lesson belongs to; required for a group session."),
    )
    title = models.CharField(max_length=160, blank=True, validators=[validate_single_line])
    capacity = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Seats of a group session."),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        help_text=_("The student of a 1:1 lesson; empty for a group session."),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The student, or the parent who booked for them."),
    )
    series = models.ForeignKey(
        LessonSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=LessonStatus.choices, default=LessonStatus.SCHEDULED
    )
    hold_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "Until when a booking awaiting payment (held) keeps its slot; empty unless held."
        ),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_late = models.BooleanField(
        default=False,
        help_text=_("Cancelled by the student side after the cut-off: counts as taken."),
    )
    cancellation_reason = models.CharField(
        max_length=300, blank=True, validators=[validate_single_line]
    )
    billing_outcome = models.CharField(
        max_length=8,
        choices=BillingOutcome.choices,
        default=BillingOutcome.CHARGE,
        help_text=_("What billing must settle for this lesson."),
    )
    price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "The price shown at booking, which billing charges; 0 when a course covers it, empty "
            "when the teacher set no price (and for group sessions, paid through their course)."
        ),
    )
    currency = models.CharField(
        max_length=3, choices=Currency.choices, blank=True, help_text=_("The price's currency.")
    )
    mode = models.CharField(
        max_length=10,
        choices=LessonMode.choices,
        default=LessonMode.ONLINE,
        help_text=_("Online or in person, as shown at booking."),
    )
    video_call_url = models.URLField(blank=True, max_length=500, validators=[validate_single_line])
    notes = models.TextField(
        blank=True,
        max_length=10000,
        help_text=_("Lesson notes; the student and parents see them."),
        validators=[validate_multiline_text],
    )
    homework = models.TextField(blank=True, max_length=10000, validators=[validate_multiline_text])
    homework_due = models.DateTimeField(null=True, blank=True)
    materials = models.ManyToManyField(
        "courses.Material",
        blank=True,
        related_name="lessons",
        help_text=_("Materials of the lesson's course shared in this lesson."),
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text=_("Bumped on every reschedule or cancellation (calendar SEQUENCE).")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="lesson_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=LessonKind.PRIVATE, student__isnull=False)
                    | models.Q(
                        kind=LessonKind.GROUP,
                        student__isnull=True,
                        course__isnull=False,
                        capacity__isnull=False,
                    )
                ),
                name="lesson_kind_shape",
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0) | models.Q(price__isnull=True),
                name="lesson_price_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(status=LessonStatus.HELD, hold_expires_at__isnull=False)
                | (~models.Q(status=LessonStatus.HELD) & models.Q(hold_expires_at__isnull=True)),
                name="lesson_hold_expiry_iff_held",
            ),
        ]
        indexes = [
            models.Index(fields=["teacher", "start"], name="lesson_teacher_start_idx"),
            models.Index(fields=["student", "start"], name="lesson_student_start_idx"),
            # analytics: lessons / attendance of a period, whoever teaches (issue 15 at scale)
            models.Index(fields=["start"], name="lesson_start_idx"),
            models.Index(
                fields=["hold_expires_at"],
                condition=models.Q(status=LessonStatus.HELD),
                name="lesson_held_expiry_idx",
            ),
        ]

    def __str__(self):
        return f"{self.teacher} / {self.student} {self.start:%Y-%m-%d %H:%M} UTC"

    def title_for(self, viewer) -> str:
        """The lesson's name for the person looking, in the active language: it names the other
        person ("Lesson with Ana García" for the student and their parents, "Lesson with Leo" for
        the teacher; both names for anyone else, such as an admin); a group session names its
        course (and the session's own title when it has another). Pages, the calendar feed and the
        API (`display_title`) all use this. Needs teacher.user, student and course loaded."""
        if self.kind == LessonKind.GROUP:
            course_title = self.course.title if self.course_id else ""
            # A session titled after its course ("Algebra basics · 4") is not prefixed again.
            if self.title and course_title and not self.title.startswith(course_title):
                return f"{course_title}: {self.title}"
            return self.title or course_title or str(_("Group session"))
        teacher_name = self.teacher.user.name
        student_name = self.student.name if self.student_id else ""
        viewer_id = getattr(viewer, "pk", None)
        if viewer_id is not None and viewer_id == self.teacher.user_id:
            title = _("Lesson with %(person)s") % {"person": student_name}
        elif viewer_id is not None and viewer_id == self.student_id:
            title = _("Lesson with %(person)s") % {"person": teacher_name}
        elif viewer_id is not None and viewer_id == self.booked_by_id:
            # A parent who booked: the teacher, and which child.
            title = _("Lesson with %(teacher)s for %(student)s") % {
                "teacher": teacher_name,
                "student": student_name,
            }
        else:
            title = _("%(student)s with %(teacher)s") % {
                "student": student_name,
                "teacher": teacher_name,
            }
        return f"{self.title} · {title}" if self.title else title


class LessonSeat(models.Model):
    """A student's seat in a group session. A cancelled seat keeps its row (`cancelled_at`)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="seats")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_seats"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "student"],
                condition=models.Q(cancelled_at__isnull=True),
                name="lessonseat_one_live_per_student",
            )
        ]
        indexes = [models.Index(fields=["student", "lesson"], name="lessonseat_student_idx")]

    def __str__(self):
        return f"{self.student} in {self.lesson}"


class Attendance(models.Model):
    """Whether a student came to a lesson (1:1 or group), recorded by the teacher."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attendances")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(max_length=8, choices=AttendanceStatus.choices)
    note = models.CharField(max_length=300, blank=True, validators=[validate_single_line])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["lesson", "student"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "student"], name="attendance_one_per_student")
        ]

    def __str__(self):
        return f"{self.student} {self.status} at {self.lesson}"


class HomeworkDone(models.Model):
    """A student's mark that they did a lesson's homework: one per student and lesson (a 1:1
    lesson's student or a seat holder of a group session), set by the student; undoing it deletes
    the row."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="homework_marks")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="homework_done"
    )
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["lesson", "done_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "student"], name="homeworkdone_one_per_student"
            )
        ]
        indexes = [
            # analytics: homework done in a period
            models.Index(fields=["done_at"], name="homeworkdone_done_at_idx"),
            models.Index(fields=["student", "lesson"], name="homeworkdone_student_idx"),
        ]

    def __str__(self):
        return f"{self.student} did the homework of {self.lesson}"


class CalendarFeed(models.Model):
    """A person's secret calendar URL. Revoking deletes the row; a new one gets a new token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, validators=[validate_single_line])
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"
