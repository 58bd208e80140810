"""Demo data for `make run`, built through the services and Wagtail's APIs: users of every role, and
the public site in English and Spanish (`demo.site`). Idempotent; refuses production settings."""

import os
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from authentication.choices import Role
from authentication.models import GuardianLink, User
from authentication.services import guardian_accept, guardian_consent, guardian_invite, user_create
from classroom.services import (
    student_profile_update,
    teacher_profile_approve,
    teacher_profile_update,
)
from cplatform.editorial import EDITORS
from dashboards.analytics.periods import school_today
from dashboards.analytics.rollups import rollup_range
from demo.billing import load_demo_billing
from demo.courses import load_demo_courses
from demo.inbox import load_demo_conversations
from demo.rooms import load_demo_rooms
from demo.schedule import load_demo_progress, load_demo_schedule
from demo.site import build_site

PASSWORD = "cplatform-demo"  # noqa: S105 (the README publishes it; refused in production)

ADMIN = {"email": "admin@example.com", "first_name": "Alex", "last_name": "Admin"}
# A teacher who also writes for the blog: she edits pages in the Wagtail admin and submits them to
# the "Marketing review"; the admin (a superuser) approves.
SITE_EDITORS = ["ana.garcia@example.com"]

TEACHERS = [
    {
        "email": "ana.garcia@example.com",
        "first_name": "Ana",
        "last_name": "García",
        "timezone": "Europe/Madrid",
        "language": "es",
        "profile": {
            "headline": "Mathematics and physics teacher, exam preparation",
            "bio": "Fifteen years helping secondary students love numbers. Patient, structured, exam-focused.",
            "translations": {
                "es": {
                    "headline": "Profesora de matemáticas y física, preparación de exámenes",
                    "bio": "Quince años ayudando a estudiantes de secundaria a disfrutar de los números.",
                    "teaching_preferences": "Pasos pequeños y mucha práctica.",
                }
            },
            "subjects": ["mathematics", "physics", "exam-preparation"],
            "levels": ["elementary", "intermediate", "advanced"],
            "languages": ["es", "en"],
            "hourly_rate": "32.00",
            "currency": "EUR",
            "teaches_online": True,
            "teaches_in_person": True,
            "location": "Madrid, Chamberí",
            "teaching_preferences": "Small steps, lots of practice.",
            "is_public": True,
        },
    },
    {
        "email": "ben.carter@example.com",
        "first_name": "Ben",
        "last_name": "Carter",
        "timezone": "America/New_York",
        "profile": {
            "headline": "English as a second language, conversation and grammar",
            "bio": "CELTA-certified teacher. Lessons built around what you need to say at work and when you travel.",
            "translations": {
                "es": {
                    "headline": "Inglés como segunda lengua: conversación y gramática",
                    "bio": "Profesor certificado CELTA. Clases centradas en lo que necesitas decir en el trabajo y de viaje.",
                }
            },
            "subjects": ["english", "exam-preparation"],
            "levels": ["beginner", "elementary", "intermediate", "upper-intermediate"],
            "languages": ["en"],
            "hourly_rate": "40.00",
            "currency": "USD",
            "teaches_online": True,
            "is_public": True,
        },
    },
    {
        "email": "chloe.martin@example.com",
        "first_name": "Chloé",
        "last_name": "Martin",
        "timezone": "Europe/Paris",
        "profile": {
            "headline": "Piano and music theory for all ages",
            "bio": "Concert pianist and teacher. From first notes to conservatory auditions.",
            "translations": {
                "es": {
                    "headline": "Piano y teoría musical para todas las edades",
                    "bio": "Pianista concertista y profesora. De las primeras notas a las pruebas de conservatorio.",
                }
            },
            "subjects": ["piano"],
            "levels": ["beginner", "intermediate", "advanced"],
            "languages": ["fr", "en", "es"],
            "hourly_rate": "45.00",
            "currency": "EUR",
            "teaches_online": True,
            "teaches_in_person": True,
            "location": "Paris 11e",
            "is_public": True,
        },
    },
]


def aged(years: int, month: int, day: int) -> date:
    """The date of birth (month, day) of someone `years` old today: a student's "age" in the demo is
    (years, month, day), so its children stay children (and under the consent age) whenever it is
    loaded, instead of growing up on a fixed year."""
    today = timezone.localdate()
    year = today.year - years - (1 if (today.month, today.day) < (month, day) else 0)
    return date(year, month, day)


STUDENTS = [
    {
        "email": "sofia.ruiz@example.com",
        "first_name": "Sofía",
        "last_name": "Ruiz",
        "timezone": "Europe/Madrid",
        "language": "es",
        "student": {
            "age": (23, 4, 12),
            "level": "intermediate",
            "learning_goals": "Pass the university entrance exam.",
        },
    },
    {
        "email": "liam.johnson@example.com",
        "first_name": "Liam",
        "last_name": "Johnson",
        "timezone": "America/New_York",
        "student": {
            "age": (35, 7, 22),
            "level": "beginner",
            "learning_goals": "Conversational Spanish for travel.",
        },
    },
    {
        "email": "emma.wilson@example.com",
        "first_name": "Emma",
        "last_name": "Wilson",
        "timezone": "Europe/London",
        "student": {
            "age": (27, 1, 30),
            "level": "advanced",
            "learning_goals": "Prepare a piano audition.",
        },
    },
    {
        "email": "noah.brown@example.com",
        "first_name": "Noah",
        "last_name": "Brown",
        "timezone": "America/Chicago",
        # Under 16 and his father has not consented yet: the demo books nothing for him (log in as
        # david.brown@example.com to give consent on Family links, then book for Noah).
        "student": {"age": (14, 5, 14), "level": "elementary"},
    },
    {
        "email": "mia.lopez@example.com",
        "first_name": "Mía",
        "last_name": "López",
        "timezone": "Europe/Madrid",
        "language": "es",
        "student": {"age": (18, 2, 19), "level": "intermediate"},
    },
    {
        "email": "lucas.lopez@example.com",
        "first_name": "Lucas",
        "last_name": "López",
        "timezone": "Europe/Madrid",
        "language": "es",
        "student": {
            "age": (13, 9, 3),
            "level": "elementary",
            "learning_goals": "Catch up with maths at school.",
        },
    },
    {
        "email": "olivia.davis@example.com",
        "first_name": "Olivia",
        "last_name": "Davis",
        "timezone": "Australia/Sydney",
        "student": {"age": (39, 11, 5), "level": "upper-intermediate"},
    },
    {
        "email": "hugo.moreau@example.com",
        "first_name": "Hugo",
        "last_name": "Moreau",
        "timezone": "Europe/Paris",
        "student": {"age": (22, 6, 8), "level": "beginner"},
    },
]

PARENTS = [
    {
        "email": "maria.lopez@example.com",
        "first_name": "María",
        "last_name": "López",
        "timezone": "Europe/Madrid",
        "language": "es",
        "children": ["lucas.lopez@example.com", "mia.lopez@example.com"],
        "consent": True,
    },
    {
        "email": "david.brown@example.com",
        "first_name": "David",
        "last_name": "Brown",
        "timezone": "America/Chicago",
        "children": ["noah.brown@example.com"],
        "consent": False,
    },
]

PROFILE_KEYS = ("first_name", "last_name", "timezone", "language")


class Command(BaseCommand):
    help = (
        "Load demo users (admin, teachers, students, parents) and the public site in English and "
        "Spanish (idempotent). Password for all: " + PASSWORD
    )

    def handle(self, *args, **options):
        # Under override_settings (tests, a live server) SETTINGS_MODULE reads None: ask the environment.
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if getattr(settings, "IS_PRODUCTION", False) or module.endswith(".production"):
            raise CommandError("load_demo_data refuses to run with production settings.")
        if not (settings.DEBUG or module.endswith(".test")):
            # An unknown settings module with DEBUG off may well be a live site.
            raise CommandError("load_demo_data runs with the dev or test settings only (DEBUG on).")
        with transaction.atomic():
            self._admin()
            for spec in TEACHERS:
                self._teacher(spec)
            for spec in STUDENTS:
                self._student(spec)
            for spec in PARENTS:
                self._parent(spec)
            self._extra()
            self._site_editors()
            load_demo_courses()
            load_demo_schedule()
            load_demo_rooms()
            load_demo_conversations()
            load_demo_billing()  # payments, invoices, a refund, a subscription, a payout
            load_demo_progress()  # the enrolments billing's payments activated
            site = build_site()
            # The school dashboard reads past days from the rollups, which the hourly schedule
            # keeps for the last week only: roll up the demo's history as backfill_analytics would.
            today = school_today()
            rollup_range(start=today - timedelta(days=2 * 366), end=today - timedelta(days=1))
        for missing in site.untranslated:
            self.stderr.write(f"No Spanish for {missing}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Every demo login uses the password {PASSWORD!r}.")
        )

    def _user(self, spec: dict, roles: list[str], **extra) -> tuple[User, bool]:
        existing = User.objects.filter(email__iexact=spec["email"]).first()
        if existing:
            return existing, False
        profile = {k: spec[k] for k in PROFILE_KEYS if k in spec}
        user = user_create(
            email=spec["email"],
            password=PASSWORD,
            roles=roles,
            email_verified=True,
            **profile,
            **extra,
        )
        return user, True

    def _admin(self):
        self._user(ADMIN, [Role.ADMIN.value], is_superuser=True)

    def _teacher(self, spec):
        user, created = self._user(spec, [Role.TEACHER.value])
        if created:
            profile = teacher_profile_update(user=user, data=spec["profile"], actor=user)
            teacher_profile_approve(profile=profile)

    def _student(self, spec):
        user, created = self._user(spec, [Role.STUDENT.value])
        if created:
            data = dict(spec["student"])
            data["date_of_birth"] = aged(*data.pop("age"))
            student_profile_update(user=user, data=data)

    def _parent(self, spec):
        parent, created = self._user(spec, [Role.PARENT.value])
        if not created:
            return
        for child_email in spec["children"]:
            child = User.objects.get(email__iexact=child_email)
            link = guardian_invite(actor=parent, email=child.email, as_role="child")
            link = guardian_accept(link=link, actor=child)
            if spec["consent"]:
                guardian_consent(link=link, actor=parent)

    def _site_editors(self):
        editors = Group.objects.get(name=EDITORS)
        for email in SITE_EDITORS:
            User.objects.get(email=email).groups.add(editors)

    def _extra(self):
        """A pending invitation so the family page shows both states."""
        parent = User.objects.get(email="david.brown@example.com")
        if not GuardianLink.objects.filter(
            guardian=parent, invited_email="hugo.moreau@example.com"
        ).exists():
            guardian_invite(actor=parent, email="hugo.moreau@example.com", as_role="child")
