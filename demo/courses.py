"""Demo courses for `manage.py load_demo_data`: one of each format in English and Spanish, free and paid,
with modules, a text and a link material, and enrolments of the demo students (through the services).
Idempotent: a course whose slug exists is left alone, and a student already enrolled is not enrolled
again (so a student added here is enrolled on the next run).

`demo_course_pages` gives each demo course a live English page with a description; the demo site
(demo.site) translates the catalog and these pages into Spanish with the rest of the site."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from authentication.models import User
from courses.choices import CourseFormat, CourseStatus, EnrollmentStatus, MaterialKind
from courses.models import Course
from courses.page_services import course_index_ensure, course_page_create
from courses.services import (
    course_create,
    enrollment_activate,
    enrollment_create,
    material_create,
    module_create,
)

from .text import T, rich

COURSES = [
    {
        "teacher": "ana.garcia@example.com",
        "slug": "algebra-basics",
        "data": {
            "title": "Algebra basics",
            "summary": T(
                "Equations, functions and graphs for secondary school, in small groups.",
                "Ecuaciones, funciones y gráficas para secundaria, en grupos reducidos.",
            ),
            "format": CourseFormat.GROUP,
            "capacity": 8,
            "price": Decimal("0"),
            "subject": "mathematics",
            "level": "beginner",
            "language": "en",
            "starts_in_days": -21,  # under way: past sessions with attendance, upcoming ones
            "weeks": 8,
        },
        "modules": [
            T("Equations", "Ecuaciones"),
            T("Functions", "Funciones"),
            T("Graphs", "Gráficas"),
        ],
        # Not Noah: under 16, his father has not consented yet (a group course is contact).
        "students": ["liam.johnson@example.com"],
        # child → the parent who enrols them
        "children": {"lucas.lopez@example.com": "maria.lopez@example.com"},
    },
    {
        "teacher": "ana.garcia@example.com",
        "slug": "fisica-para-selectividad",
        "data": {
            "title": "Física para selectividad",
            "summary": T(
                "Physics exam preparation in a small group, with mock exams.",
                "Preparación del examen de física en grupo reducido, con simulacros.",
            ),
            "format": CourseFormat.GROUP,
            "capacity": 6,
            "price": Decimal("120.00"),
            "subject": "physics",
            "level": "advanced",
            "language": "es",
            "starts_in_days": 20,
            "weeks": 12,
        },
        "modules": [
            T("Mechanics", "Mecánica"),
            T("Electromagnetism", "Electromagnetismo"),
            T("Mock exams", "Simulacros"),
        ],
        "students": ["sofia.ruiz@example.com"],
    },
    {
        "teacher": "ben.carter@example.com",
        "slug": "business-english-one-to-one",
        "data": {
            "title": "Business English, one to one",
            "summary": T(
                "Lessons around the meetings, emails and calls of your own job.",
                "Clases en torno a las reuniones, los correos y las llamadas de tu trabajo.",
            ),
            "format": CourseFormat.ONE_TO_ONE,
            "capacity": None,
            "lessons_included": 10,  # sold as a package of ten lessons
            "price": Decimal("320.00"),
            "subject": "english",
            "level": "intermediate",
            "language": "en",
            "starts_in_days": None,
            "weeks": None,
        },
        "modules": [],
        "students": ["olivia.davis@example.com"],
        "paid": True,  # activated as billing would once paid: her 1:1 lessons belong to the course
    },
    {
        "teacher": "chloe.martin@example.com",
        "slug": "piano-a-tu-ritmo",
        "data": {
            "title": "Piano a tu ritmo",
            "summary": T(
                "Videos and scores to start playing the piano from scratch.",
                "Vídeos y partituras para empezar a tocar el piano desde cero.",
            ),
            "format": CourseFormat.SELF_PACED,
            "capacity": None,
            "price": Decimal("0"),
            "subject": "piano",
            "level": "beginner",
            "language": "es",
            "starts_in_days": None,
            "weeks": None,
        },
        "modules": [
            T("Posture and notes", "Postura y notas"),
            T("First pieces", "Primeras piezas"),
        ],
        "students": ["mia.lopez@example.com", "emma.wilson@example.com"],
    },
]


def load_demo_courses() -> None:
    today = timezone.localdate()
    for spec in COURSES:
        course = Course.objects.filter(slug=spec["slug"]).first() or _create_course(spec, today)
        _enrol(course, spec)


def _create_course(spec: dict, today) -> Course:
    teacher = User.objects.get(email=spec["teacher"])
    data = dict(spec["data"])
    starts_in, weeks = data.pop("starts_in_days"), data.pop("weeks")
    # Texts in English with their Spanish (cplatform/localized.py), whatever language it is taught in.
    summary = data.pop("summary")
    data.update(summary=summary.en, translations={"es": {"summary": summary.es}})
    if starts_in is not None:
        data["starts_on"] = today + timedelta(days=starts_in)
        data["ends_on"] = data["starts_on"] + timedelta(weeks=weeks)
    course = course_create(actor=teacher, data={**data, "status": CourseStatus.PUBLISHED})
    Course.objects.filter(pk=course.pk).update(slug=spec["slug"])
    course.slug = spec["slug"]
    for position, name in enumerate(spec["modules"]):
        title = name.en
        module = module_create(
            actor=teacher,
            course=course,
            data={"title": title, "position": position, "translations": {"es": {"title": name.es}}},
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
    return course


def _enrol(course: Course, spec: dict) -> None:
    """Enrol the spec's students not enrolled yet (a child through their parent); a paid course's
    enrolment is activated as billing would once paid."""
    people = [(email, email) for email in spec["students"]]
    people += [(parent, child) for child, parent in spec.get("children", {}).items()]
    for actor_email, student_email in people:
        student = User.objects.get(email=student_email)
        if course.enrollments.filter(student=student).exists():
            continue
        actor = User.objects.get(email=actor_email)
        enrollment = enrollment_create(actor=actor, course=course, student=student)
        if spec.get("paid") and enrollment.status == EnrollmentStatus.PENDING:
            enrollment_activate(actor=None, enrollment=enrollment)


# The page of each demo course: its title, meta description and description in both languages.
PAGES = {
    "algebra-basics": {
        "title": T("Algebra basics", "Álgebra básica"),
        "description": T(
            "Equations, functions and graphs for secondary school, in small groups.",
            "Ecuaciones, funciones y gráficas para secundaria, en grupos reducidos.",
        ),
        "body": T(
            "Eight weeks of short explanations and lots of practice, with a mock test at the end.",
            "Ocho semanas de explicaciones breves y mucha práctica, con un examen de prueba al final.",
        ),
    },
    "fisica-para-selectividad": {
        "title": T("Física para selectividad", "Física para selectividad"),
        "description": T(
            "Physics exam preparation in a small group, with mock exams.",
            "Preparación del examen de física en grupo reducido, con simulacros.",
        ),
        "body": T(
            "Mechanics, electromagnetism and a mock exam every month, taught in Spanish.",
            "Mecánica, electromagnetismo y un simulacro cada mes.",
        ),
    },
    "business-english-one-to-one": {
        "title": T("Business English, one to one", "Inglés de negocios, individual"),
        "description": T(
            "Lessons around the meetings, emails and calls of your own job.",
            "Clases en torno a las reuniones, los correos y las llamadas de tu trabajo.",
        ),
        "body": T(
            "Book single lessons from Ben's availability and practise what your week needs.",
            "Reserva clases sueltas según la disponibilidad de Ben y practica lo que necesita tu semana.",
        ),
    },
    "piano-a-tu-ritmo": {
        "title": T("Piano a tu ritmo", "Piano a tu ritmo"),
        "description": T(
            "Videos and scores to start playing the piano from scratch.",
            "Vídeos y partituras para empezar a tocar el piano desde cero.",
        ),
        "body": T(
            "Self-paced lessons in Spanish: posture, notes and your first pieces.",
            "Lecciones a tu ritmo: postura, notas y tus primeras piezas.",
        ),
    },
}
CATALOG_TITLE = T("Courses", "Cursos")


def demo_course_pages() -> list[tuple[str, object]]:
    """(key, page) of the catalog and each demo course's English page, live, with its description
    (given once: a page that already has one is left as an editor may have changed it)."""
    index = course_index_ensure()
    if index is None:
        return []
    pages = [("courses", index)]
    for slug, spec in PAGES.items():
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            continue
        page = course_page_create(course=course)
        if not page.description:
            page.title = spec["title"].en
            page.search_description = spec["description"].en
            page.description = [("rich_text", rich(("p", spec["body"])))]
            page.save_revision(user=course.owner).publish()
            page.refresh_from_db()
        pages.append((f"course-{slug}", page))
    return pages
