import json

from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold NUL (0x00): refuse such input up front (API: 422, pages: 400)
    instead of letting it reach a query and fail there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = self._offending_field(request)
        if field is not None:
            detail = "Text may not contain NUL (0x00) characters."
            if request.path_info.startswith(("/api/", "/_allauth/")):
                return JsonResponse({"detail": detail, "errors": {field: [detail]}}, status=422)
            return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _offending_field(request) -> str | None:
        for key, values in request.GET.lists():
            if _has_nul(key) or any(_has_nul(v) for v in values):
                return key.replace(NUL, "")
        if (
            request.method in ("POST", "PUT", "PATCH")
            and request.content_type == "application/json"
        ):
            try:
                payload = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return None  # the view answers malformed JSON itself
            if isinstance(payload, dict):
                for key, value in payload.items():
                    if _has_nul(key) or _has_nul(value):
                        return str(key).replace(NUL, "")
            elif _has_nul(payload):
                return "__all__"
        elif request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for key, values in request.POST.lists():
                if _has_nul(key) or any(_has_nul(v) for v in values):
                    return key.replace(NUL, "")
        return None
