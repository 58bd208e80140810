"""`Idempotency-Key` on the POSTs that create things: a retry replays the first answer, never writes twice.

Every POST operation that answers 201 takes the header, and so does one marked `@idempotent` (a POST
that creates without a 201 of its own). The key is the caller's (two people may use the same string),
kept 24 hours:

- the first request with a key runs, and its answer (status, body, headers such as `Location`) is kept;
- a retry with the same key and the same request replays that answer (`Idempotent-Replayed: true`);
- the same key with another method, path, query or body: 422, code `idempotency_key_reused`;
- the same key while the first request still runs: 409, code `idempotency_key_in_use` (retry later).

An answer that says the request never ran is not kept, so the client fixes it and retries with the same
key: refused input (422) never reaches the claim, and a 5xx drops it. Every other answer, 4xx
included (409 `slot_taken`), is what the request did and is replayed.

Installed on the API by `install` (cplatform/api.py); `manage.py purge_idempotency_keys` (scheduled by
django-q2 every hour) deletes keys older than a day."""

import hashlib
import json
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from ninja.errors import ValidationError as NinjaValidationError

from .api_base import ErrorOut
from .api_http import operation_of
from .exceptions import Conflict, DomainError
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(hours=24)
# A claim whose request has not answered in this time is taken to have died (its process was killed)
# and may be taken over; far beyond any request's timeout.
ABANDONED_AFTER = timedelta(minutes=10)
# Headers of the first answer that a replay repeats.
REPLAYED_HEADERS = ("Content-Type", "Location", "Content-Language")

OPENAPI_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": (
        "Makes a retry safe: a unique string per intended write (a UUID). Kept 24 hours per caller. "
        "A retry with the same key and request replays the first answer (`Idempotent-Replayed: "
        "true`); the same key with another request answers 422 `idempotency_key_reused`; while the "
        "first is still running, 409 `idempotency_key_in_use`."
    ),
    "example": "4b0f6a1e-5c3d-4f7e-9a2b-8d1c0e6f3a57",
}


class IdempotencyKeyReused(DomainError):
    status_code = 422
    default_detail = "This Idempotency-Key was already used with another request."
    default_code = "idempotency_key_reused"


def idempotent(view_func):
    """Opt a POST operation that creates something without answering 201 into `Idempotency-Key`."""
    view_func.idempotent = True
    return view_func


def takes_key(operation) -> bool:
    return "POST" in operation.methods and (
        201 in operation.response_models or getattr(operation.view_func, "idempotent", False)
    )


def install(run):
    """An API decorator (mode "view", added first): it receives each operation's bound `run`, and
    for the operations that take a key wraps both the run (to keep the final answer) and the view
    function (to claim the key once the caller is authenticated and the input valid), and documents
    the header and the 409."""
    operation = operation_of(run)
    if operation is None or not takes_key(operation):
        return run
    operation.view_func = _claim_key(operation.view_func)
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), OPENAPI_PARAMETER]
    operation.openapi_extra = extra
    if 409 not in operation.response_models:
        operation.response_models[409] = operation._create_response_model(ErrorOut)

    @wraps(run)
    def keep_answer(request, *args, **kwargs):
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            _release(request)
            raise
        claim = getattr(request, "_idempotency_claim", None)
        if claim is not None:
            if response.status_code >= 500 or getattr(response, "streaming", False):
                _release(request)
            else:
                claim.status_code = response.status_code
                claim.response_body = response.content
                claim.response_headers = {
                    name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)
                }
                claim.save(update_fields=["status_code", "response_body", "response_headers"])
        return response

    return keep_answer


def _release(request):
    claim = getattr(request, "_idempotency_claim", None)
    if claim is not None:
        IdempotencyKey.objects.filter(pk=claim.pk).delete()
        request._idempotency_claim = None


def _claim_key(view_func):
    @wraps(view_func)
    def claim_first(request, *args, **kwargs):
        key = request.headers.get(HEADER)
        user = getattr(request, "auth", None)
        if key is None or user is None or not getattr(user, "pk", None):
            return view_func(request, *args, **kwargs)
        _check_key(key)
        claim, replay = _claim(user_id=user.pk, key=key, fingerprint=_fingerprint(request))
        if replay is not None:
            return replay
        request._idempotency_claim = claim
        return view_func(request, *args, **kwargs)

    return claim_first


def _check_key(key: str):
    if not 1 <= len(key) <= 255 or not all(" " <= c <= "~" for c in key):
        raise NinjaValidationError(
            [
                {
                    "type": "value_error",
                    "loc": (HEADER,),
                    "msg": "Give 1 to 255 printable ASCII characters (a UUID, for example).",
                }
            ]
        )


def _claim(*, user_id: int, key: str, fingerprint: str):
    """Insert the caller's key (committed at once, so that a concurrent request sees it), or answer
    from the row that holds it: (claim, None) to run the request, (None, response) to replay."""
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return (
                    IdempotencyKey.objects.create(
                        user_id=user_id, key=key, fingerprint=fingerprint, created_at=now
                    ),
                    None,
                )
        except IntegrityError:
            held = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
        if held is None:
            continue  # released meanwhile
        running = held.status_code is None
        if held.created_at < now - KEPT_FOR or (
            running and held.created_at < now - ABANDONED_AFTER
        ):
            IdempotencyKey.objects.filter(pk=held.pk, created_at=held.created_at).delete()
            continue
        if running:
            raise Conflict(
                "A request with this Idempotency-Key is still running; retry in a moment.",
                code="idempotency_key_in_use",
            )
        if held.fingerprint != fingerprint:
            raise IdempotencyKeyReused()
        return None, _replay(held)
    raise Conflict(
        "A request with this Idempotency-Key is still running; retry in a moment.",
        code="idempotency_key_in_use",
    )


def _replay(held: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(held.response_body), status=held.status_code)
    for name, value in held.response_headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _fingerprint(request) -> str:
    """The request as the client meant it: JSON compared as data (key order, spacing), a form by its
    fields and the files' names and contents (a multipart boundary changes on every send)."""
    digest = hashlib.sha256()
    digest.update(
        f"{request.method} {request.path}?{request.META.get('QUERY_STRING', '')}\n".encode()
    )
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            digest.update(json.dumps(json.loads(request.body or b"null"), sort_keys=True).encode())
        except ValueError:
            digest.update(request.body)
    elif content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        digest.update(json.dumps(sorted(request.POST.lists())).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                upload.seek(0)
                content = hashlib.sha256(upload.read()).hexdigest()
                upload.seek(0)
                digest.update(f"\n{name}:{upload.name}:{content}".encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def purge_expired() -> int:
    """Delete the keys older than a day; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    return deleted
