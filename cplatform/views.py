from django.http import HttpResponse


def bare_ok(request):
    """The baseline `make bench` compares every page against: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")
