import json
import re
from functools import partial

from corsheaders.middleware import CorsMiddleware as BaseCorsMiddleware
from corsheaders.signals import check_request_enabled
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .api_errors import error_response

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
            return self._refuse(request, 400, detail, "__all__", "malformed_request", "invalid")
        if field is not None:
            detail = "Text may not contain NUL (0x00) characters."
            return self._refuse(request, 422, detail, field, "invalid", "control_characters")
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status: int, detail: str, field: str, code: str, field_code: str):
        # Before the language is known (and before sessions): English, in the API's error shape.
        if request.path_info.startswith(JSON_PATHS):
            return error_response(
                status,
                detail,
                code=code,
                errors={field: [detail]},
                error_codes={field: [field_code]},
            )
        return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")

    @staticmethod
    def _offending_field(request) -> str | None:
        if request.method in ("GET", "HEAD") and not request.META.get("QUERY_STRING"):
            return None  # nothing to read: no parameters, no body
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


def permissions_policy_header() -> str:
    """The Permissions-Policy header from settings.PERMISSIONS_POLICY ({feature: [allowlist]}: an
    empty list denies the feature to the page and everything it embeds)."""
    return ", ".join(
        f"{feature}=({' '.join(allowlist)})"
        for feature, allowlist in settings.PERMISSIONS_POLICY.items()
    )


# What the csp decorators put on a response to change its policy or exempt it.
_CSP_OVERRIDES = frozenset(
    f"_csp_{kind}{suffix}"
    for kind in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with one more policy: paths under CONTENT_SECURITY_POLICY_ADMIN's
    PATH_PREFIXES (the Wagtail and Django admins) get its DIRECTIVES, the rest CONTENT_SECURITY_POLICY.
    A view's own header (Wagtail's document and image serving set `default-src 'none'`) is kept.
    It also sets Permissions-Policy on every response (one middleware for both policy headers: each
    layer of the stack costs every request)."""

    def __init__(self, get_response):
        super().__init__(get_response)
        # Stored as HttpResponse.__setitem__ stores a header: (name, checked value), or None.
        policy = permissions_policy_header()
        self.permissions_policy = None
        if policy:
            probe = HttpResponse()
            probe["Permissions-Policy"] = policy
            self.permissions_policy = probe.headers._store["permissions-policy"]
        # (report_only, the config object) -> (that object, the header). Only policies without a
        # nonce, per-view update or replace are kept: those depend on the settings alone.
        self._built: dict[tuple[bool, int], tuple[object, str]] = {}
        self._plain: dict[tuple[bool, bool, bool], tuple[tuple[str, str, str], ...]] = {}
        self._plain_settings = None
        self._plain_prefixes: tuple[tuple[str, ...], ...] = ((), (), ())
        # What `request.csp_nonce` becomes once the header is written: it raises when read, and
        # holds nothing of the request, so one serves every request.
        self._spent_nonce = CheckableLazyObject(self._csp_nonce_post_response)

    # Sync only, like the rest of the stack; MiddlewareMixin's generic __call__ (looking up its
    # hooks on every request) replaced by the two steps this middleware takes.
    async_capable = False

    def __call__(self, request):
        request.csp_nonce = CheckableLazyObject(partial(self._make_nonce, request))
        return self.process_response(request, self.get_response(request))

    def _policy(self, parts: PolicyParts, report_only: bool) -> str:
        """django-csp's build_policy, remembered for the settings' policies: a page that used no
        nonce (the bare view, a JSON answer) gets the same header every time, and building it
        (copying the directives, sorting, joining) cost a fifth of the bare view's time."""
        if parts.nonce is not None or parts.update is not None or parts.replace is not None:
            return build_policy(
                config=parts.config,
                update=parts.update,
                replace=parts.replace,
                nonce=parts.nonce,
                report_only=report_only,
            )
        # build_policy reads the settings when config is None: key on the settings' object, so a
        # changed setting (override_settings in tests) is a new entry.
        source = parts.config
        if source is None:
            name = (
                "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
            )
            source = getattr(settings, name, None)
        key = (report_only, id(source))
        found = self._built.get(key)
        if found is None or found[0] is not source:
            found = (source, build_policy(config=parts.config, report_only=report_only))
            self._built[key] = found
        return found[1]

    def process_response(self, request, response):
        """CSPMiddleware.process_response (django-csp 4), with the policy from `_policy`."""
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        nonce = getattr(request, "_csp_nonce", None)
        if nonce is None and not _CSP_OVERRIDES & vars(response).keys():
            # The common answer (no nonce used, no per-view policy): the settings' headers, stored
            # as HttpResponse.__setitem__ would (they were checked once, when first built).
            store = response.headers._store
            for key, header, value in self._plain_headers(request.path_info):
                if key not in store:
                    store[key] = (header, value)
        else:
            self._set_policies(request, response)
        if nonce is None:
            request.csp_nonce = self._spent_nonce
        if self.permissions_policy:
            response.headers._store.setdefault("permissions-policy", self.permissions_policy)
        return response

    def _plain_headers(self, path: str) -> tuple[tuple[str, str, str], ...]:
        """What `_set_policies` writes for a path when neither the page (a nonce) nor its view (the
        csp decorators) changes the policy, as (lower-case name, name, value): remembered per kind
        of path for the settings in force (override_settings swaps the object behind `settings`,
        which starts the memory again)."""
        current = settings._wrapped
        if current is not self._plain_settings:
            enforced = settings.CONTENT_SECURITY_POLICY
            report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            self._plain_prefixes = (
                tuple(settings.CONTENT_SECURITY_POLICY_ADMIN["PATH_PREFIXES"]),
                tuple((enforced or {}).get("EXCLUDE_URL_PREFIXES") or ()),
                tuple((report_only or {}).get("EXCLUDE_URL_PREFIXES") or ()),
            )
            self._plain, self._plain_settings = {}, current
        admin, excluded, excluded_ro = self._plain_prefixes
        key = (
            path.startswith(admin),
            bool(excluded) and path.startswith(excluded),
            bool(excluded_ro) and path.startswith(excluded_ro),
        )
        found = self._plain.get(key)
        if found is None:
            is_admin, is_excluded, is_excluded_ro = key
            probe = HttpResponse()  # validates and encodes the values once, as headers always are
            config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"] if is_admin else None
            csp = self._policy(PolicyParts(config=config), False)
            if csp and not is_excluded:
                probe[HEADER] = csp
            csp_ro = self._policy(PolicyParts(), True)
            if csp_ro and not is_excluded_ro:
                probe[HEADER_REPORT_ONLY] = csp_ro
            found = tuple(
                (key, header, value)
                for key, (header, value) in probe.headers._store.items()
                if key in (HEADER.lower(), HEADER_REPORT_ONLY.lower())
            )
            self._plain[key] = found
        return found

    def _set_policies(self, request, response) -> None:
        for report_only, header, exempt, setting in (
            (False, HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            parts = self.get_policy_parts(request, response, report_only=report_only)
            csp = self._policy(parts, report_only)
            if not csp or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = csp

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


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, with a short path for the way this site uses it.

    The public pages are `i18n_patterns(prefix_default_language=False)`: English without a prefix,
    other languages under theirs. Then Django's middleware always ends with the language of the
    path's prefix, or LANGUAGE_CODE when there is none: it reads the cookie and `Accept-Language`
    only to throw them away, parses the path three times, and never redirects a 404. This answers
    the same (the activated language, `request.LANGUAGE_CODE`, `Vary` and `Content-Language`) with
    one parse; any other URLconf shape goes through Django's own code. Sync only, like the stack.
    """

    async_capable = False

    # How many first path segments (`teachers`, `es`, `bench` …) keep their answer: Django's
    # get_language_from_path caches a language it finds but not the LookupError of a segment that
    # is none, so every unprefixed page paid the whole variant search (about 10 µs) again.
    # Bounded, so made-up paths cannot grow it.
    PATH_MEMO_SIZE = 512

    def __init__(self, get_response):
        super().__init__(get_response)
        self.default_language = settings.LANGUAGE_CODE
        self._from_segment: dict[str, str | None] = {}
        self._languages = settings.LANGUAGES

    def _language_from_path(self, path: str) -> str | None:
        """translation.get_language_from_path(path), remembered per first path segment (its
        answer depends on that segment only: `^/(\\w+([@-]\\w+){0,2})(/|$)`)."""
        segment = path.split("/", 2)[1] if path.count("/") >= 2 else path
        languages = settings.LANGUAGES
        if languages is not self._languages:  # changed settings (tests): start again
            self._from_segment, self._languages = {}, languages
        try:
            return self._from_segment[segment]
        except KeyError:
            pass
        language = translation.get_language_from_path(path)
        if len(self._from_segment) < self.PATH_MEMO_SIZE:
            self._from_segment[segment] = language
        return language

    def __call__(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        used, prefixed_default = is_language_prefix_patterns_used(urlconf)
        if not used or prefixed_default:
            return super().__call__(request)
        from_path = self._language_from_path(request.path_info)
        language = from_path or self.default_language
        translation.activate(language)  # cheaper than asking which one is active first
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Stored as HttpResponse.__setitem__ stores a header (both values are plain ASCII).
        store = response.headers._store
        if not from_path:
            if "vary" in store:
                patch_vary_headers(response, ("Accept-Language",))
            else:
                store["vary"] = ("Vary", "Accept-Language")
        if "content-language" not in store:
            store["content-language"] = ("Content-Language", translation.get_language() or language)
        return response


class CorsMiddleware(BaseCorsMiddleware):
    """django-cors-headers' middleware, passed through at once by requests it can have nothing to
    do with: a path outside CORS_URLS_REGEX (the API and allauth's headless API) while no receiver
    of its `check_request_enabled` signal could enable another. Its own code reads the settings,
    matches the path and sends the signal on every request, pages and the bare view included."""

    async_capable = False

    def __call__(self, request):
        if not check_request_enabled.receivers and not re.match(
            settings.CORS_URLS_REGEX, request.path_info
        ):
            return self.get_response(request)
        return super().__call__(request)
