"""The one place that answers "does this person hold this role?", for views and the API alike."""

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .choices import Role

_CACHE_ATTR = "_cplatform_roles"


def user_roles(user) -> set[str]:
    """Role names of a user; superusers are admins. One query per request, cached on the object."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.is_superuser:
            cached.add(Role.ADMIN.value)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role(user, *roles: str) -> bool:
    """True when the user holds any of the roles."""
    return bool(user_roles(user) & {str(r) for r in roles})


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def is_teacher(user) -> bool:
    return has_role(user, Role.TEACHER)


def is_student(user) -> bool:
    return has_role(user, Role.STUDENT)


def is_parent(user) -> bool:
    return has_role(user, Role.PARENT)


def role_required(*roles: Role):
    """View decorator: anonymous → login page; logged in without the role → 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based view twin of `role_required`; set `required_roles`."""

    required_roles: Iterable[Role] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_roles and not has_role(request.user, *self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
