from .choices import Role
from .roles import user_roles


def roles(request):
    """Expose the viewer's roles to templates (navigation by role)."""
    user = getattr(request, "user", None)
    names = user_roles(user) if user is not None else set()
    return {
        "user_roles": names,
        "is_student": Role.STUDENT in names,
        "is_teacher": Role.TEACHER in names,
        "is_parent": Role.PARENT in names,
        "is_admin_role": Role.ADMIN in names,
    }
