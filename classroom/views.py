from decimal import Decimal, InvalidOperation

from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import TeacherFilters, filter_options, teacher_get_for_viewer, teacher_list_public

PAGE_SIZE = 12


def _decimal(value: str | None) -> Decimal | None:
    try:
        number = Decimal(value) if value else None
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() and number >= 0 else None


def teacher_directory(request):
    params = request.GET
    filters = TeacherFilters(
        subject=params.get("subject") or None,
        language=params.get("language") or None,
        level=params.get("level") or None,
        min_price=_decimal(params.get("min_price")),
        max_price=_decimal(params.get("max_price")),
        q=(params.get("q") or "").strip()[:100] or None,
    )
    page = Paginator(teacher_list_public(filters=filters), PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "classroom/teacher_directory.html",
        {"page": page, "filters": filters, "options": filter_options(), "query": query.urlencode()},
    )


def teacher_detail(request, slug):
    from django.http import Http404

    from cplatform.exceptions import NotFound

    try:
        profile = teacher_get_for_viewer(viewer=request.user, slug=slug)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "classroom/teacher_detail.html", {"teacher": profile})
