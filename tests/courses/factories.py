from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Level, Subject, TeachingLanguage
from courses.choices import CourseFormat, CourseStatus, EnrollmentStatus, MaterialKind
from courses.models import Course, Enrollment, Material, Module
from tests.authentication.factories import StudentFactory, TeacherFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class CourseFactory(factory.django.DjangoModelFactory):
    """A published free group course with 10 seats, taught by its owner (seeded lookups)."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = factory.Faker("sentence")
    owner = factory.SubFactory(TeacherFactory)
    format = CourseFormat.GROUP
    price = Decimal("0")
    capacity = 10
    subject = factory.LazyFunction(lambda: Subject.objects.get(slug="mathematics"))
    level = factory.LazyFunction(lambda: Level.objects.get(code="beginner"))
    language = factory.LazyFunction(lambda: TeachingLanguage.objects.get(code="en"))
    status = CourseStatus.PUBLISHED

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        if create:
            self.teachers.set([self.owner, *(extracted or [])])


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    position = factory.Sequence(lambda n: n)


class MaterialFactory(factory.django.DjangoModelFactory):
    """A released PDF file in the private storage."""

    class Meta:
        model = Material

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Material {n}")
    kind = MaterialKind.FILE
    file = factory.LazyFunction(
        lambda: SimpleUploadedFile("notes.pdf", PDF_BYTES, content_type="application/pdf")
    )
    original_name = "notes.pdf"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    course = factory.SubFactory(CourseFactory)
    student = factory.SubFactory(StudentFactory)
    status = EnrollmentStatus.ACTIVE
    enrolled_by = factory.SelfAttribute("student")


class CoursePageFactory:
    """A live course page (Wagtail) for a new published course, under the course catalog; keyword
    arguments go to CourseFactory. The page is `course.page`, built through course_page_create."""

    def __new__(cls, **kwargs):
        from tests.courses.page_helpers import live_course

        return live_course(**kwargs).page
