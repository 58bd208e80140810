"""Demo courses for `manage.py load_demo_data`: one of each format in English and Spanish, free and paid,
with modules, a text and a link material, and enrolments of the demo students (through the services).
Idempotent: a course whose slug exists is left alone."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from authentication.models import User

from .choices import CourseFormat, CourseStatus, MaterialKind
from .models import Course
from .services import course_create, enrollment_create, material_create, module_create

COURSES = [
    {
        "teacher": "ana.garcia@example.com",
        "slug": "algebra-basics",
        "data": {
            "title": "Algebra basics",
            "summary": "Equations, functions and graphs for secondary school, in small groups.",
            "format": CourseFormat.GROUP,
            "capacity": 8,
            "price": Decimal("0"),
            "subject": "mathematics",
            "level": "beginner",
            "language": "en",
            "starts_in_days": 10,
            "weeks": 8,
        },
        "modules": ["Equations", "Functions", "Graphs"],
        "students": ["liam.johnson@example.com", "noah.brown@example.com"],
    },
    {
        "teacher": "ana.garcia@example.com",
        "slug": "fisica-para-selectividad",
        "data": {
            "title": "Física para selectividad",
            "summary": "Preparación del examen de física en grupo reducido, con simulacros.",
            "format": CourseFormat.GROUP,
            "capacity": 6,
            "price": Decimal("120.00"),
            "subject": "physics",
            "level": "advanced",
            "language": "es",
            "starts_in_days": 20,
            "weeks": 12,
        },
        "modules": ["Mecánica", "Electromagnetismo", "Simulacros"],
        "students": ["sofia.ruiz@example.com"],
    },
    {
        "teacher": "ben.carter@example.com",
        "slug": "business-english-one-to-one",
        "data": {
            "title": "Business English, one to one",
            "summary": "Lessons around the meetings, emails and calls of your own job.",
            "format": CourseFormat.ONE_TO_ONE,
            "capacity": None,
            "price": Decimal("35.00"),
            "subject": "english",
            "level": "intermediate",
            "language": "en",
            "starts_in_days": None,
            "weeks": None,
        },
        "modules": [],
        "students": [],
    },
    {
        "teacher": "chloe.martin@example.com",
        "slug": "piano-a-tu-ritmo",
        "data": {
            "title": "Piano a tu ritmo",
            "summary": "Vídeos y partituras para empezar a tocar el piano desde cero.",
            "format": CourseFormat.SELF_PACED,
            "capacity": None,
            "price": Decimal("0"),
            "subject": "piano",
            "level": "beginner",
            "language": "es",
            "starts_in_days": None,
            "weeks": None,
        },
        "modules": ["Postura y notas", "Primeras piezas"],
        "students": ["mia.lopez@example.com", "emma.wilson@example.com"],
    },
]


def load_demo_courses() -> None:
    today = timezone.localdate()
    for spec in COURSES:
        if Course.objects.filter(slug=spec["slug"]).exists():
            continue
        teacher = User.objects.get(email=spec["teacher"])
        data = dict(spec["data"])
        starts_in, weeks = data.pop("starts_in_days"), data.pop("weeks")
        if starts_in is not None:
            data["starts_on"] = today + timedelta(days=starts_in)
            data["ends_on"] = data["starts_on"] + timedelta(weeks=weeks)
        course = course_create(actor=teacher, data={**data, "status": CourseStatus.PUBLISHED})
        Course.objects.filter(pk=course.pk).update(slug=spec["slug"])
        course.slug = spec["slug"]
        for position, title in enumerate(spec["modules"]):
            module = module_create(
                actor=teacher, course=course, data={"title": title, "position": position}
            )
            material_create(
                actor=teacher,
                course=course,
                module=module,
                title=title,
                kind=MaterialKind.TEXT,
                body=f"{title}: notes for the session.",
            )
        material_create(
            actor=teacher,
            course=course,
            title="Wikipedia",
            kind=MaterialKind.LINK,
            url="https://www.wikipedia.org/",
        )
        for email in spec["students"]:
            enrollment_create(actor=User.objects.get(email=email), course=course)
