import json

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"
# No input of ours nests more than a few levels (availability rules, profile translations);
# deeper JSON is refused before any parser recurses into it (json, pydantic, allauth's forms).
MAX_JSON_DEPTH = 32
# These parse every request body as JSON, whatever its Content-Type says.
JSON_PATHS = ("/api/", "/_allauth/")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class TooDeep(ValueError):
    pass


def _has_nul(value, depth: int = 0) -> bool:
    """Whether a NUL hides anywhere in a JSON value (keys included). Iterative, so a deeply nested
    body costs a loop rather than the stack; refuses nesting deeper than MAX_JSON_DEPTH."""
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict | list):
            if level >= MAX_JSON_DEPTH:
                raise TooDeep
            if isinstance(item, dict):
                for key, child in item.items():
                    if NUL in key:
                        return True
                    stack.append((child, level + 1))
            else:
                stack.extend((child, level + 1) for child in item)
    return False


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold NUL (0x00): refuse such input up front (API: 422, pages: 400)
    instead of letting it reach a query and fail there. Also refuses JSON nested deeper than
    MAX_JSON_DEPTH (400): every JSON parser after this one recurses, and would fail with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            field = self._offending_field(request)
        except TooDeep:
            detail = f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
            return self._refuse(request, 400, detail, "__all__")
        if field is not None:
            detail = "Text may not contain NUL (0x00) characters."
            return self._refuse(request, 422, detail, field)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status: int, detail: str, field: str):
        if request.path_info.startswith(JSON_PATHS):
            body = {"detail": detail, "errors": {field: [detail]}, "code": "invalid"}
            return JsonResponse(body, status=status)
        return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")

    @staticmethod
    def _offending_field(request) -> str | None:
        for key, values in request.GET.lists():
            if _has_nul(key) or any(_has_nul(v) for v in values):
                return key.replace(NUL, "")
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return None
        if request.content_type in FORM_TYPES:
            if request.method != "POST":
                return None
            for key, values in request.POST.lists():
                if _has_nul(key) or any(_has_nul(v) for v in values):
                    return key.replace(NUL, "")
            return None
        if not (
            request.content_type == "application/json"
            or request.content_type.endswith("+json")
            or request.path_info.startswith(JSON_PATHS)
        ):
            return None
        if not request.body:
            return None
        try:
            payload = json.loads(request.body)
        except RecursionError:
            raise TooDeep from None
        except (ValueError, UnicodeDecodeError):
            return None  # the view answers malformed JSON itself
        if isinstance(payload, dict):
            for key, value in payload.items():
                if NUL in key or _has_nul(value, depth=1):
                    return key.replace(NUL, "")
        elif _has_nul(payload):
            return "__all__"
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with one more policy: paths under CONTENT_SECURITY_POLICY_ADMIN's
    PATH_PREFIXES (the Wagtail and Django admins) get its DIRECTIVES, the rest CONTENT_SECURITY_POLICY.
    A view's own header (Wagtail's document and image serving set `default-src 'none'`) is kept."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        admin = settings.CONTENT_SECURITY_POLICY_ADMIN
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(admin["PATH_PREFIXES"])
        ):
            parts.config = admin["DIRECTIVES"]
        return parts


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header from settings.PERMISSIONS_POLICY ({feature: [allowlist]}, an
    empty list denies the feature to the page and everything it embeds) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowlist)})"
            for feature, allowlist in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
