from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from authentication.api_auth import api_viewer, auth_for
from authentication.choices import Role
from authentication.models import User
from catalog.selectors import unknown_vocabulary
from cplatform.api_base import (
    LimitOffset,
    errors,
    refuse_query_values,
    sort_enum,
    sort_field,
    sorted_by,
)
from cplatform.api_http import location
from cplatform.exceptions import NotFound, ValidationFailed

from .choices import CourseFormat, EnrollmentStatus
from .schemas import (
    CourseIn,
    CourseOut,
    CoursePatch,
    EnrollmentIn,
    EnrollmentOut,
    MaterialIn,
    MaterialOut,
    ModuleIn,
    ModuleOut,
)
from .selectors import (
    CourseFilters,
    course_get_for_editor,
    course_get_for_user,
    course_get_public,
    course_list_public,
    enrollment_get_for_user,
    enrollment_list_for_student,
    enrollment_list_for_user,
    material_get_for_user,
    material_list_for_user,
    module_get_for_user,
)
from .services import (
    course_create,
    course_update,
    enrollment_activate,
    enrollment_create,
    enrollment_remove,
    enrollment_withdraw,
    material_create,
    material_delete,
    module_create,
)
from .views import material_file_response

router = Router(tags=["courses"])

CourseSort = sort_enum(
    "CourseSort",
    {
        "starts_on": ("starts_on", "title"),
        "title": ("title",),
        "price": ("price", "title"),
        "created": ("created_at",),
    },
)
EnrollmentSort = sort_enum("EnrollmentSort", {"created": ("created_at",)})
MaterialSort = sort_enum(
    "MaterialSort",
    {
        "course": ("course_id", "module__position", "position"),
        "title": ("title",),
        "created": ("created_at",),
    },
)


class CourseFilterQuery(Schema):
    subject: str | None = Field(None, max_length=80, description="Subject slug (unknown: 422)")
    level: str | None = Field(None, max_length=32, description="Level code (unknown: 422)")
    language: str | None = Field(
        None, max_length=8, description="Teaching language code (unknown: 422)"
    )
    format: CourseFormat | None = Field(None, description="The course's format")
    teacher_id: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="Courses this teacher owns or co-teaches (`/teachers/{teacher_id}`)",
    )
    min_price: float | None = Field(None, ge=0, le=999999.99)
    max_price: float | None = Field(None, ge=0, le=999999.99)
    free: bool | None = Field(None, description="true: free courses only; false: paid only")
    starting_soon: bool = Field(False, description="Starting within the next 30 days")
    q: str | None = Field(None, max_length=100, description="Search titles, summaries, subjects")
    sort: CourseSort = sort_field(CourseSort, "starts_on")


@router.get("/courses", response={200: list[CourseOut], **errors(422)})
@paginate(LimitOffset)
def list_courses(request, filters: Query[CourseFilterQuery]):
    """The public catalog: published courses, filtered, searched and sorted."""
    refuse_query_values(
        unknown_vocabulary(subject=filters.subject, level=filters.level, language=filters.language)
    )
    data = filters.model_dump(exclude={"sort"})
    for key in ("min_price", "max_price"):
        data[key] = None if data[key] is None else Decimal(str(data[key]))
    return sorted_by(course_list_public(filters=CourseFilters(**data)), filters.sort)


@router.get("/courses/{course_id}", response={200: CourseOut, **errors(404, 422)})
def retrieve_course(request, course_id: int):
    """A published course, for anyone. Signed in, also a course you teach (any status; admins: any
    course) or one you or your child have an enrolment in, so every `course_id` you were given
    resolves. Any other draft or archived course answers 404."""
    return course_get_for_user(user=api_viewer(request), course_id=course_id)


@router.post(
    "/courses",
    response={201: CourseOut, **errors(400, 401, 403, 422)},
    auth=auth_for(Role.TEACHER),
)
@location("api:retrieve_course", course_id="id")
def create_course(request, payload: CourseIn):
    """A teacher creates a course they own (a draft unless `status` says otherwise)."""
    course = course_create(actor=request.auth, data=payload.model_dump())
    return Status(201, course_get_for_editor(user=request.auth, course_id=course.pk))


@router.patch(
    "/courses/{course_id}",
    response={200: CourseOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=auth_for(Role.TEACHER, Role.ADMIN),
)
def update_course(request, course_id: int, payload: CoursePatch):
    """Teachers edit their own courses (another teacher's answers 404); admins edit any. Setting
    `status` to "published" publishes the course page, or, when the admin has put a moderation
    workflow on the course catalog, submits it (the course stays a draft until a moderator
    approves; 409 while it waits)."""
    course = course_get_for_editor(user=request.auth, course_id=course_id)
    course_update(actor=request.auth, course=course, data=payload.changes())
    return course_get_for_editor(user=request.auth, course_id=course_id)


@router.post(
    "/courses/{course_id}/modules",
    response={201: ModuleOut, **errors(400, 401, 403, 404, 422)},
    auth=auth_for(Role.TEACHER, Role.ADMIN),
)
@location("api:retrieve_module", module_id="id")
def create_module(request, course_id: int, payload: ModuleIn):
    """A teacher of the course (or an admin) adds a module to its syllabus."""
    course = course_get_for_editor(user=request.auth, course_id=course_id)
    data = payload.model_dump(exclude_none=True)
    return Status(201, module_create(actor=request.auth, course=course, data=data))


@router.post(
    "/courses/{course_id}/materials",
    response={201: MaterialOut, **errors(400, 401, 403, 404, 422)},
    auth=auth_for(Role.TEACHER, Role.ADMIN),
    tags=["materials"],
)
@location("api:retrieve_material", material_id="id")
def create_material(
    request, course_id: int, payload: Form[MaterialIn], file: File[UploadedFile] = None
):
    """A teacher of the course (or an admin) adds a file (checked: type by extension and content, size),
    a link or a text, to the course or one of its modules. Files stay private."""
    course = course_get_for_editor(user=request.auth, course_id=course_id)
    module = None
    if payload.module_id is not None:
        module = course.modules.filter(pk=payload.module_id).first()
        if module is None:
            raise ValidationFailed(errors={"module_id": [_("No such module in this course.")]})
    material = material_create(
        actor=request.auth,
        course=course,
        module=module,
        title=payload.title,
        kind=payload.kind,
        upload=file,
        url=payload.url,
        body=payload.body,
        release_at=payload.release_at,
    )
    return Status(201, material)


@router.get("/modules/{module_id}", response={200: ModuleOut, **errors(404, 422)})
def retrieve_module(request, module_id: int):
    """A module of a course you may read (`GET /courses/{course_id}`): the syllabus of a published
    course for anyone; of any other course for its teachers, admins and the learners (and their
    parents) who have an enrolment in it. Others: 404."""
    return module_get_for_user(user=api_viewer(request), module_id=module_id)


class EnrollmentFilterQuery(Schema):
    course_id: int | None = Field(None, ge=1, le=2**31 - 1)
    student_id: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="One student (user id): yourself, a linked child, a student in your course; "
        "anyone else answers 404",
    )
    status: EnrollmentStatus | None = Field(None, description="Only enrolments in this status")
    sort: EnrollmentSort = sort_field(EnrollmentSort, "-created")


@router.get(
    "/enrollments",
    response={200: list[EnrollmentOut], **errors(401, 404, 422)},
    auth=auth_for(),
    tags=["enrollments"],
)
@paginate(LimitOffset)
def list_enrollments(request, filters: Query[EnrollmentFilterQuery]):
    """Enrolments with their history: a student's own, a parent's linked children's (all of them;
    `student_id` narrows to one), those in a teacher's courses; admins see all."""
    if filters.student_id is not None:
        qs = enrollment_list_for_student(user=request.auth, student_id=filters.student_id)
    else:
        qs = enrollment_list_for_user(user=request.auth)
    if filters.course_id is not None:
        qs = qs.filter(course_id=filters.course_id)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    return sorted_by(qs, filters.sort)


@router.get(
    "/enrollments/{enrollment_id}",
    response={200: EnrollmentOut, **errors(401, 404, 422)},
    auth=auth_for(),
    tags=["enrollments"],
)
def retrieve_enrollment(request, enrollment_id: int):
    """One enrolment, for whoever sees it in `GET /enrollments` (others: 404)."""
    return enrollment_get_for_user(user=request.auth, enrollment_id=enrollment_id)


@router.post(
    "/enrollments",
    response={201: EnrollmentOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=auth_for(Role.STUDENT, Role.PARENT),
    tags=["enrollments"],
)
@location("api:retrieve_enrollment", enrollment_id="id")
def create_enrollment(request, payload: EnrollmentIn):
    """Enrol yourself, or (a parent) a linked child with `student_id`. Free courses enrol at once
    (`active`); paid ones answer `pending` until paid. A full course answers 409 unless `waitlist`."""
    course = course_get_public(course_id=payload.course_id)
    student = None
    if payload.student_id is not None and payload.student_id != request.auth.pk:
        student = User.objects.filter(pk=payload.student_id).first()
        if student is None:
            raise NotFound()
    enrollment = enrollment_create(
        actor=request.auth, course=course, student=student, waitlist=payload.waitlist
    )
    return Status(201, enrollment_get_for_user(user=request.auth, enrollment_id=enrollment.pk))


@router.post(
    "/enrollments/{enrollment_id}/withdraw",
    response={200: EnrollmentOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for(),
    tags=["enrollments"],
)
def withdraw_enrollment(request, enrollment_id: int):
    """The student or a linked parent leaves the course or its waitlist; the waitlist moves up."""
    enrollment = enrollment_get_for_user(user=request.auth, enrollment_id=enrollment_id)
    return enrollment_withdraw(actor=request.auth, enrollment=enrollment)


@router.post(
    "/enrollments/{enrollment_id}/remove",
    response={200: EnrollmentOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for(),
    tags=["enrollments"],
)
def remove_enrollment(request, enrollment_id: int):
    """A teacher of the course or an admin removes the student; the waitlist moves up."""
    enrollment = enrollment_get_for_user(user=request.auth, enrollment_id=enrollment_id)
    return enrollment_remove(actor=request.auth, enrollment=enrollment)


@router.post(
    "/enrollments/{enrollment_id}/activate",
    response={200: EnrollmentOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for(Role.ADMIN),
    tags=["enrollments"],
)
def activate_enrollment(request, enrollment_id: int):
    """An admin activates a pending (unpaid) enrolment by hand."""
    enrollment = enrollment_get_for_user(user=request.auth, enrollment_id=enrollment_id)
    return enrollment_activate(actor=request.auth, enrollment=enrollment)


class MaterialFilterQuery(Schema):
    course_id: int | None = Field(None, ge=1, le=2**31 - 1)
    sort: MaterialSort = sort_field(
        MaterialSort, "course", note="`course`: by course, then module and position in it."
    )


@router.get(
    "/materials",
    response={200: list[MaterialOut], **errors(401, 422)},
    auth=auth_for(),
    tags=["materials"],
)
@paginate(LimitOffset)
def list_materials(request, filters: Query[MaterialFilterQuery]):
    """Materials of the courses you teach, or of courses you (or your child) are actively enrolled in,
    released ones only for learners. `course_id` narrows to one course."""
    qs = material_list_for_user(user=request.auth, course_id=filters.course_id)
    return sorted_by(qs, filters.sort)


@router.get(
    "/materials/{material_id}",
    response={200: MaterialOut, **errors(401, 404, 422)},
    auth=auth_for(),
    tags=["materials"],
)
def retrieve_material(request, material_id: int):
    """One material, for whoever sees it in `GET /materials`: the course's teachers and admins, and
    once released, students actively enrolled in the course and their parents. Others: 404."""
    return material_get_for_user(user=request.auth, material_id=material_id)


@router.delete(
    "/materials/{material_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    auth=auth_for(),
    tags=["materials"],
)
def delete_material(request, material_id: int):
    """Teachers of the course and admins delete a material (and its file)."""
    material = material_get_for_user(user=request.auth, material_id=material_id)
    material_delete(actor=request.auth, material=material)
    return Status(204, None)


@router.get(
    "/materials/{material_id}/download",
    response={200: None, **errors(401, 404, 422)},
    auth=auth_for(),
    tags=["materials"],
    url_name="download_material",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment.",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_material(request, material_id: int):
    """A material's file, for enrolled students (once released), their parents, the course's teachers
    and admins. Anyone else gets 404, as for a missing file."""
    material = material_get_for_user(user=request.auth, material_id=material_id)
    return material_file_response(material, user=request.auth)
