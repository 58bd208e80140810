from django.http import Http404, HttpResponse


def bare_ok(request):
    """The baseline `make bench` compares every page against: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def not_found(request, *args, **kwargs):
    """An address a package mounts for a feature this site has turned off."""
    raise Http404
