from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import Currency


class TranslatedNameMixin(models.Model):
    """A name in English plus `translations` {"es": "…"} for the other site languages."""

    name = models.CharField(max_length=80)
    translations = models.JSONField(default=dict, blank=True, help_text=_('Other languages, e.g. {"es": "Matemáticas"}.'))

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return (self.translations or {}).get(get_language() or "en") or self.name


class Subject(TranslatedNameMixin):
    """What is taught (mathematics, Spanish, piano…)."""

    slug = models.SlugField(unique=True, max_length=80)

    class Meta:
        ordering = ["name"]


class Level(TranslatedNameMixin):
    """A learner level (beginner … advanced); `position` orders them."""

    code = models.SlugField(unique=True, max_length=32)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]


class TeachingLanguage(TranslatedNameMixin):
    """A language a teacher teaches in (ISO 639-1 code)."""

    code = models.CharField(unique=True, max_length=8)

    class Meta:
        ordering = ["name"]


class TeacherProfile(models.Model):
    """What a teacher shows the public. Listed in the directory once public and approved by an admin."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher_profile")
    slug = models.SlugField(unique=True, max_length=100)
    headline = models.CharField(max_length=160, blank=True, help_text=_("One line under the name."))
    bio = models.TextField(blank=True, max_length=5000)
    translations = models.JSONField(
        default=dict, blank=True, help_text=_('Headline and bio in other languages: {"es": {"headline": "…", "bio": "…"}}.')
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
    location = models.CharField(max_length=160, blank=True, help_text=_("Where in-person lessons happen."))
    teaching_preferences = models.TextField(blank=True, max_length=2000)
    is_public = models.BooleanField(default=False, help_text=_("The teacher wants to be listed."))
    is_approved = models.BooleanField(default=False, help_text=_("Set by an admin; only approved profiles are listed."))
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_approved", "user__first_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hourly_rate__gte=0) | models.Q(hourly_rate__isnull=True),
                                   name="teacher_rate_not_negative"),
        ]
        indexes = [models.Index(fields=["is_public", "is_approved"], name="teacher_listed_idx")]

    def __str__(self):
        return self.user.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = slugify(self.user.name)[:80] or "teacher"
        slug, n = base, 2
        while TeacherProfile.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def translated(self, field: str) -> str:
        lang = get_language() or "en"
        value = ((self.translations or {}).get(lang) or {}).get(field)
        return value or getattr(self, field)

    @property
    def headline_display(self) -> str:
        return self.translated("headline")

    @property
    def bio_display(self) -> str:
        return self.translated("bio")

    @property
    def is_listed(self) -> bool:
        return self.is_public and self.is_approved


class StudentProfile(models.Model):
    """What a teacher needs to know about a learner. The date of birth drives guardian consent."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_profile")
    date_of_birth = models.DateField(null=True, blank=True)
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    learning_goals = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.user.name
