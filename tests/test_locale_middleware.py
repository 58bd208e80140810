"""cplatform.middleware.LocaleMiddleware takes a short path for this site's i18n_patterns
(prefix_default_language=False): it must answer as Django's own LocaleMiddleware does, whatever the
path, cookie or Accept-Language say."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

from cplatform.middleware import LocaleMiddleware

PATHS = ["/", "/es/", "/teachers/", "/es/teachers/", "/api/v1/teachers", "/bench/ok/", "/xx/page/"]
ASKS = [
    {},
    {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"},
    {"HTTP_ACCEPT_LANGUAGE": "en"},
]
COOKIES = [None, "es", "en"]


def answer(middleware_class, rf, path, headers, cookie, vary):
    seen = {}

    def view(request):
        seen["active"] = translation.get_language()
        seen["code"] = request.LANGUAGE_CODE
        response = HttpResponse("ok")
        if vary:
            response["Vary"] = vary
        return response

    request = rf.get(path, **headers)
    if cookie:
        request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
    with translation.override("es"):  # whatever an earlier request left active
        response = middleware_class(view)(request)
    return seen, response.status_code, response.get("Vary"), response.get("Content-Language")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("headers", ASKS)
@pytest.mark.parametrize("cookie", COOKIES)
@pytest.mark.parametrize("vary", [None, "Cookie"])
def test_the_short_path_answers_as_djangos_locale_middleware(rf, path, headers, cookie, vary):
    ours = answer(LocaleMiddleware, rf, path, headers, cookie, vary)
    django = answer(DjangoLocaleMiddleware, rf, path, headers, cookie, vary)
    assert ours == django
    assert ours[0]["active"] == ("es" if path.startswith("/es/") else "en")


def test_one_middleware_remembers_path_languages_and_forgets_them_when_languages_change(
    rf, settings
):
    """The memory of the short path (per first segment) answers every later request as Django
    does, and a change of LANGUAGES starts it again."""
    ours = LocaleMiddleware(lambda request: HttpResponse(translation.get_language()))
    paths = [*PATHS, "/es", "/es/", "/es-mx/x/", "/ES/x/", "/es.x/", "/teachers/es/", "/fr/page/"]

    def answers():
        return {
            path: ours(rf.get(path)).content.decode()
            for path in paths + paths  # the second round is answered from the memory
        }

    assert answers() == {
        path: DjangoLocaleMiddleware(lambda r: HttpResponse(translation.get_language()))(
            rf.get(path)
        ).content.decode()
        for path in paths
    }
    assert answers()["/fr/page/"] == "en"
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]  # Django has French files
    assert answers()["/fr/page/"] == "fr"
