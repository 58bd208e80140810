"""The request side of recording (see recording.py): at most a cache operation per request."""

from __future__ import annotations

from wagtail.views import serve as wagtail_serve

from .recording import activity_record, page_view_count


class AnalyticsMiddleware:
    """Notes the signed-in person as active today (a cache `add`; the first request of the day also
    inserts one row), and counts a public page view for a Wagtail page served with 200."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activity_record(user=user)
        if (
            getattr(request, "_analytics_page", False)
            and request.method == "GET"
            and response.status_code == 200
            and not getattr(request, "is_preview", False)
        ):
            page_view_count()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve:
            request._analytics_page = True
