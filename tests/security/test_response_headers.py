"""Content-Security-Policy and Permissions-Policy on every kind of response (issue 8, finding 12).

Pages, member pages, API JSON, error pages (Django's, the API's, a middleware's early refusal) and
the API docs get the strict policy; only Wagtail's admin gets its own; a served document keeps
Wagtail's `default-src 'none'`. Our templates hold nothing a strict policy refuses: no inline
event handler, style attribute, javascript: URL, or inline script / style element without the
nonce. tests/e2e/test_content_security.py renders every kind of page in Chromium under them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from csp.decorators import csp_exempt, csp_replace, csp_update
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection

from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.test_settings import controlled_env, settings_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


def directives(response, header: str = "Content-Security-Policy") -> dict[str, list[str]]:
    assert header in response, f"no {header} header on {response.status_code} {response}"
    return {
        name: values
        for name, *values in (part.split() for part in response[header].split(";") if part.strip())
    }


def assert_strict(response) -> dict[str, list[str]]:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert policy[directive][0] == "'self'"
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
        assert all(v == "'self'" or v.startswith("'nonce-") for v in policy[directive])
    assert set(policy["frame-src"]) <= {
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    }
    assert policy["img-src"] == ["'self'", "data:"]
    return policy


def assert_permissions_policy(response) -> None:
    header = response.get("Permissions-Policy", "")
    features = dict(part.strip().split("=", 1) for part in header.split(",") if part.strip())
    for feature in DENIED_FEATURES:
        assert features.get(feature) == "()", (feature, header)
    for player_needs in ("fullscreen", "autoplay", "picture-in-picture", "clipboard-write"):
        assert player_needs not in features


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/es/", 200),
        ("/auth/login/", 200),
        ("/teachers/", 200),
        ("/no-such-page/", 404),
        ("/api/v1/courses", 200),
        ("/api/v1/courses/999999", 404),
        ("/api/v1/openapi.json", 200),
        ("/api/v1/docs", 200),
        ("/django-admin/login/", 200),
        ("/sitemap.xml", 200),
        ("/robots.txt", 200),
    ],
)
def test_every_kind_of_response_carries_the_strict_policy_and_the_permissions_policy(
    client, path, status
):
    response = client.get(path)

    assert response.status_code == status
    assert_strict(response)
    assert_permissions_policy(response)


def test_a_request_refused_by_a_middleware_before_any_view_still_gets_both_headers(client):
    response = client.get("/teachers/", {"q": "a\x00b"})

    assert response.status_code == 400
    assert_strict(response)
    assert_permissions_policy(response)


def test_a_member_page_names_the_nonce_of_its_inline_style_in_the_policy(client):
    teacher = TeacherFactory()
    client.force_login(teacher)

    response = client.get("/lessons/week/")

    assert response.status_code == 200
    policy = assert_strict(response)
    [nonce] = [v for v in policy["style-src"] if v.startswith("'nonce-")]
    html = response.content.decode()
    assert f'<style nonce="{nonce[7:-1]}">' in html
    assert "style=" not in html
    # A new nonce on every response.
    again = directives(client.get("/lessons/week/"))["style-src"]
    assert nonce not in again


def test_member_pages_and_member_api_calls_get_the_strict_policy(client):
    student = StudentFactory()
    client.force_login(student)

    for path in ("/lessons/", "/progress/", "/api/v1/me", "/api/v1/lessons"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)
        assert_permissions_policy(response)


def test_only_wagtails_admin_gets_its_own_policy(client):
    response = client.get("/admin/login/")

    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert not any(v.startswith("'nonce-") for v in policy["script-src"])
    assert_permissions_policy(response)
    # Django's admin is nonce-free and inline-free: it stays strict (see the e2e test).
    assert_strict(client.get("/django-admin/login/"))


def test_the_api_docs_load_swagger_ui_from_the_site_not_a_cdn(client):
    response = client.get("/api/v1/docs")

    html = response.content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    assert '<script src="/static/ninja/swagger-ui-init.js">' in html
    assert "cdn" not in html.lower()
    assert_strict(response)


def test_a_served_document_keeps_wagtails_stricter_policy(client):
    document = Document.objects.create(
        title="Timetable",
        file=ContentFile(b"<script>alert(1)</script>", name="timetable.txt"),
        collection=Collection.get_first_root_node(),
    )

    response = client.get(document.url)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert_permissions_policy(response)


def test_csp_report_uri_from_the_environment_is_where_browsers_report():
    code = (
        "from csp.utils import build_policy\n"
        "out['policy'] = build_policy(config=settings.CONTENT_SECURITY_POLICY['DIRECTIVES'])\n"
    )
    reported = settings_of(
        "cplatform.settings.dev", controlled_env(CSP_REPORT_URI="https://csp.example.org/r"), code
    )
    silent = settings_of("cplatform.settings.dev", controlled_env(), code)

    assert "report-uri https://csp.example.org/r" in reported["policy"]
    assert "report-uri" not in silent["policy"]


INLINE_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.DOTALL)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b[^>]*>", re.IGNORECASE)


def template_files() -> list[Path]:
    apps = [
        d
        for d in ROOT.iterdir()
        if d.is_dir() and ((d / "apps.py").exists() or d.name == "templates")
    ]
    return [path for app in apps for path in app.glob("**/*.html")]


# Templates no browser ever receives, and why: the policy governs responses, and these are not.
NOT_SERVED = {
    "templates/billing/invoice_pdf.html": "billing/papers/pdf.py renders it into a PDF (WeasyPrint)",
}


def test_no_template_holds_what_the_strict_policy_refuses():
    files = template_files()
    assert ROOT / "templates" / "base.html" in files
    offenders = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if name in NOT_SERVED:
            continue
        if INLINE_HANDLER.search(text):
            offenders.append(f"{name}: inline event handler (move it into a static JS file)")
        if STYLE_ATTRIBUTE.search(text):
            offenders.append(f"{name}: style attribute (use a class, or a nonce'd <style>)")
        if "javascript:" in text.lower():
            offenders.append(f"{name}: javascript: URL")
        for tag in SCRIPT_TAG.findall(text):
            if "src=" not in tag and "nonce=" not in tag and "application/ld+json" not in tag:
                offenders.append(f"{name}: inline script without the nonce: {tag}")
        for tag in STYLE_TAG.findall(text):
            if 'nonce="{{ request.csp_nonce }}"' not in tag:
                offenders.append(f"{name}: style element without the nonce: {tag}")

    assert offenders == []


def test_a_template_exempted_as_not_served_is_rendered_only_where_it_says():
    for name, where in NOT_SERVED.items():
        template = name.removeprefix("templates/")
        renderer = where.split()[0]
        users = [
            path.relative_to(ROOT).as_posix()
            for path in ROOT.glob("*/**/*.py")
            if ".venv" not in path.parts
            and "tests" not in path.parts
            and template in path.read_text(encoding="utf-8")
        ]
        assert users == [renderer], (name, users)


def test_the_policy_kept_between_requests_is_django_csps_and_follows_the_settings(client, settings):
    """ContentSecurityPolicyMiddleware builds a nonce-free policy once (cplatform/middleware.py):
    the header is what django-csp builds from the settings, and a changed setting is a new one."""
    from csp.utils import build_policy

    assert client.get("/bench/ok/")["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'none'"]}
    }

    header = client.get("/bench/ok/")["Content-Security-Policy"]
    assert header == build_policy() and "img-src 'none'" in header


@pytest.mark.parametrize(
    ("decorate", "expect"),
    [
        pytest.param(lambda view: view, "object-src 'none'", id="plain"),
        pytest.param(
            lambda view: csp_update({"img-src": ["https://img.example"]})(view),
            "https://img.example",
            id="update",
        ),
        pytest.param(
            lambda view: csp_replace({"img-src": ["'none'"]})(view), "img-src 'none'", id="replace"
        ),
        pytest.param(lambda view: csp_exempt()(view), None, id="exempt"),
    ],
)
@pytest.mark.parametrize("path", ["/bench/ok/", "/admin/", "/api/v1/teachers"])
def test_the_middlewares_short_path_writes_what_django_csp_would(rf, decorate, expect, path):
    """The common answer (no nonce, no per-view policy) takes a short path in
    ContentSecurityPolicyMiddleware; a view with django-csp's decorators takes django-csp's own.
    Either way the headers are those of the full path (`_set_policies`)."""
    from django.http import HttpResponse

    from cplatform.middleware import ContentSecurityPolicyMiddleware

    view = decorate(lambda request: HttpResponse("ok"))
    middleware = ContentSecurityPolicyMiddleware(view)

    def headers(full: bool) -> dict:
        request = rf.get(path)
        middleware.process_request(request)
        response = view(request)
        if full:
            middleware._set_policies(request, response)
        else:
            middleware.process_response(request, response)
        return {k: v for k, v in response.items() if k.startswith("Content-Security-Policy")}

    short, full = headers(False), headers(True)
    assert short == full
    if expect is None:
        assert short == {}
    else:
        assert expect in short["Content-Security-Policy"]
