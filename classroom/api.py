from decimal import Decimal

from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from authentication.api_auth import api_viewer, auth_for
from authentication.choices import Role
from catalog.selectors import unknown_vocabulary
from cplatform.api_base import (
    LimitOffset,
    errors,
    refuse_query_values,
    sort_enum,
    sort_field,
    sorted_by,
)

from .schemas import (
    MyTeacherProfileOut,
    StudentDateOfBirthIn,
    StudentOut,
    StudentProfilePatch,
    TeacherOut,
    TeacherProfileIn,
    TeacherProfilePatch,
)
from .selectors import (
    TeacherFilters,
    student_get_for_user,
    student_list_for_user,
    teacher_list_public,
)
from .services import (
    student_date_of_birth_set,
    student_profile_ensure,
    student_profile_update,
    teacher_profile_ensure,
    teacher_profile_update,
)
from .teaching.selectors import teacher_get_for_user

router = Router(tags=["teachers", "students"])


TeacherSort = sort_enum(
    "TeacherSort",
    {
        "name": ("user__first_name", "user__last_name"),
        "price": ("hourly_rate", "user__first_name", "user__last_name"),
    },
)
StudentSort = sort_enum(
    "StudentSort", {"email": ("user__email",), "name": ("user__first_name", "user__last_name")}
)


class TeacherFilterQuery(Schema):
    subject: str | None = Field(None, max_length=80, description="Subject slug (unknown: 422)")
    language: str | None = Field(
        None, max_length=8, description="Language code taught in (unknown: 422)"
    )
    level: str | None = Field(None, max_length=32, description="Level code (unknown: 422)")
    min_price: float | None = Field(None, ge=0, le=999999.99, description="Minimum hourly rate")
    max_price: float | None = Field(None, ge=0, le=999999.99, description="Maximum hourly rate")
    q: str | None = Field(
        None, max_length=100, description="Search names, headlines, bios and subjects"
    )
    sort: TeacherSort = sort_field(TeacherSort, "name")


class StudentFilterQuery(Schema):
    sort: StudentSort = sort_field(StudentSort, "email")


@router.get("/teachers", response={200: list[TeacherOut], **errors(422)}, tags=["teachers"])
@paginate(LimitOffset)
def list_teachers(request, filters: Query[TeacherFilterQuery]):
    """Listed teachers (public and approved), filtered like the directory page. Texts follow
    `Accept-Language` (English or Spanish)."""
    refuse_query_values(
        unknown_vocabulary(subject=filters.subject, level=filters.level, language=filters.language)
    )
    data = filters.model_dump(exclude={"sort"})
    for key in ("min_price", "max_price"):
        data[key] = None if data[key] is None else Decimal(str(data[key]))
    return sorted_by(teacher_list_public(filters=TeacherFilters(**data)), filters.sort)


@router.get(
    "/teachers/{teacher_id}", response={200: TeacherOut, **errors(404, 422)}, tags=["teachers"]
)
def retrieve_teacher(request, teacher_id: int):
    """A teacher by `teacher_id`, the id every `teacher_id` field and parameter holds. A listed
    teacher answers anyone; an unlisted one answers whoever can see a course or lesson they teach
    (anyone, for a published course), themself and admins. Others: 404."""
    return teacher_get_for_user(user=api_viewer(request), teacher_id=teacher_id)


@router.get(
    "/teachers/by-slug/{slug}",
    response={200: TeacherOut, **errors(404, 422)},
    tags=["teachers"],
)
def retrieve_teacher_by_slug(
    request, slug: str = Path(..., max_length=100, pattern=r"^[-a-zA-Z0-9_]+$")
):
    """The same teacher by the slug of their page (`/teachers/<slug>/`), for deep links; the same
    rule as `GET /teachers/{teacher_id}`."""
    return teacher_get_for_user(user=api_viewer(request), slug=slug)


@router.get(
    "/me/teacher-profile",
    response={200: MyTeacherProfileOut, **errors(401, 403)},
    auth=auth_for(Role.TEACHER),
    tags=["teachers"],
)
def retrieve_my_teacher_profile(request):
    """The teacher's own profile as written (all translations) with its listing state;
    created empty on first read."""
    return teacher_profile_ensure(user=request.auth)


@router.put(
    "/me/teacher-profile",
    response={200: MyTeacherProfileOut, **errors(400, 401, 403, 422)},
    auth=auth_for(Role.TEACHER),
    tags=["teachers"],
)
def replace_my_teacher_profile(request, payload: TeacherProfileIn):
    """Replace the whole editable profile (fields left out take their defaults)."""
    data = payload.model_dump(mode="python")
    return teacher_profile_update(user=request.auth, data=data, replace=True, actor=request.auth)


@router.patch(
    "/me/teacher-profile",
    response={200: MyTeacherProfileOut, **errors(400, 401, 403, 422)},
    auth=auth_for(Role.TEACHER),
    tags=["teachers"],
)
def update_my_teacher_profile(request, payload: TeacherProfilePatch):
    """Change some fields of the teacher's profile; only the fields sent change."""
    return teacher_profile_update(
        user=request.auth,
        data=payload.changes(mode="python"),
        actor=request.auth,
    )


@router.get(
    "/me/student-profile",
    response={200: StudentOut, **errors(401, 403)},
    auth=auth_for(Role.STUDENT),
    tags=["students"],
)
def retrieve_my_student_profile(request):
    """The student's own profile (created empty on first read)."""
    return student_profile_ensure(user=request.auth)


@router.patch(
    "/me/student-profile",
    response={200: StudentOut, **errors(400, 401, 403, 422)},
    auth=auth_for(Role.STUDENT),
    tags=["students"],
)
def update_my_student_profile(request, payload: StudentProfilePatch):
    """Change the student's date of birth, level or learning goals; only the fields sent
    change. A locked date of birth (under 16) is changed by a guardian or an admin (400)."""
    return student_profile_update(user=request.auth, data=payload.changes())


@router.get(
    "/students",
    response={200: list[StudentOut], **errors(401, 422)},
    auth=auth_for(),
    tags=["students"],
)
@paginate(LimitOffset)
def list_students(request, filters: Query[StudentFilterQuery]):
    """Admins: every student. Parents: their linked children. Students: themselves. Teachers: their own
    students (none until lessons exist)."""
    return sorted_by(student_list_for_user(user=request.auth), filters.sort)


@router.get(
    "/students/{student_id}",
    response={200: StudentOut, **errors(401, 404, 422)},
    auth=auth_for(),
    tags=["students"],
)
def retrieve_student(request, student_id: int):
    """`student_id` is the student's user id; a student the caller may not see answers 404."""
    return student_get_for_user(user=request.auth, student_id=student_id)


@router.put(
    "/students/{student_id}/date-of-birth",
    response={200: StudentOut, **errors(400, 401, 403, 404, 422)},
    auth=auth_for(Role.PARENT, Role.ADMIN),
    tags=["students"],
)
def set_student_date_of_birth(request, student_id: int, payload: StudentDateOfBirthIn):
    """A linked guardian (or an admin) sets a student's date of birth: how a parent fills it in for a
    child, and the only way to change it once it says under 16 (the student's own
    `PATCH /me/student-profile` then answers 422 with `code` `date_of_birth_locked`). A student the
    caller may not see answers 404; one they see but do not guard (a teacher), 403."""
    profile = student_get_for_user(user=request.auth, student_id=student_id)
    return student_date_of_birth_set(
        actor=request.auth, student=profile.user, date_of_birth=payload.date_of_birth
    )
