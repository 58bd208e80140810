"""A small, stateful Stripe API stand-in: a threaded HTTP server on 127.0.0.1 the real `stripe` client
(and so dj-stripe) talks to in the tests.

It answers the calls the platform and dj-stripe make with Stripe-shaped JSON and refuses what Stripe
refuses: a wrong or missing secret key (401), bad amounts and currencies, unknown ids (404), a refund
over what is left of a charge, an `Idempotency-Key` reused with other parameters (400
idempotency_error; the same parameters replay the stored answer with `Idempotent-Replayed: true`).
Routes nobody wrote answer 404 with Stripe's error shape, so a call we forgot shows up loudly.

The "drivers" (`complete_checkout`, `refund`, `dispute_create` …) play what Stripe itself does outside
the API — a customer paying on the hosted page, a bank opening a dispute — and return the webhook
event Stripe would send, also served at GET /v1/events/<id>.

Only the behaviour our code and dj-stripe's sync rely on is copied; amounts are in the currency's
minor unit, as in Stripe.
"""

from __future__ import annotations

import copy
import html
import itertools
import json
import re
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
from urllib.request import Request, urlopen

from tests.stripe_standin.signing import sign

# Stripe's own lists (docs: currencies, "zero-decimal currencies", "minimum and maximum charge amounts").
ZERO_DECIMAL_CURRENCIES = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
CURRENCIES = (
    frozenset(
        [
            "usd",
            "eur",
            "gbp",
            "mxn",
            "cad",
            "aud",
            "nzd",
            "chf",
            "sek",
            "nok",
            "dkk",
            "pln",
            "czk",
            "huf",
            "ron",
            "bgn",
            "brl",
            "ars",
            "cop",
            "pen",
            "uyu",
            "inr",
            "sgd",
            "hkd",
            "aed",
            "ils",
            "try",
            "zar",
            "thb",
            "php",
            "myr",
            "idr",
            "twd",
        ]
    )
    | ZERO_DECIMAL_CURRENCIES
)
MINIMUM_CHARGE = {"usd": 50, "eur": 50, "gbp": 30, "mxn": 1000, "cad": 50, "aud": 50, "chf": 50}
DEFAULT_MINIMUM_CHARGE = 50
KEY_PATTERN = re.compile(r"^sk_(test|live)_[A-Za-z0-9]{24,}$")
ALNUM = string.ascii_letters + string.digits


class StripeError(Exception):
    """An error answer: `{"error": {...}}` with an HTTP status, as Stripe sends it."""

    def __init__(
        self, status, message, *, type="invalid_request_error", param=None, code=None, **extra
    ):  # noqa: A002
        super().__init__(message)
        self.status = status
        self.body = {
            "error": {"type": type, "message": message, "param": param, "code": code, **extra}
        }
        if code:
            self.body["error"]["doc_url"] = (
                f"https://docs.stripe.com/error-codes/{code.replace('_', '-')}"
            )
        self.body["error"] = {k: v for k, v in self.body["error"].items() if v is not None}


def missing(resource: str, id_: str, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {resource}: '{id_}'", param=param, code="resource_missing")


# -- form decoding ---------------------------------------------------------------------------------


def _split_key(key: str) -> list[str]:
    head, bracket, rest = key.partition("[")
    if not bracket:
        return [key]
    return [head, *re.findall(r"([^\[\]]*)\]", "[" + rest)]


def _listify(node):
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        if node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
    return node


def parse_params(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding: `a[b][0][c]=v`, `expand[]=x`, `metadata[k]=v` → nested dicts/lists."""
    root: dict = {}
    for key, value in pairs:
        parts = _split_key(key)
        node = root
        for part in parts[:-1]:
            part = part or str(len(node))
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise StripeError(400, f"Invalid array or hash: {key}", param=key)
        node[parts[-1] or str(len(node))] = value
    return _listify(root)


# -- validation helpers ----------------------------------------------------------------------------


def as_int(value, param: str, *, minimum: int | None = 0, maximum: int | None = 99_999_999) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        number = int(value)
    else:
        raise StripeError(400, f"Invalid integer: {value}", param=param)
    if minimum is not None and number < minimum:
        raise StripeError(
            400, f"This value must be greater than or equal to {minimum}.", param=param
        )
    if maximum is not None and number > maximum:
        raise StripeError(400, f"This value must be less than or equal to {maximum}.", param=param)
    return number


def as_bool(value, param: str) -> bool:
    if value in (True, "true"):
        return True
    if value in (False, "false"):
        return False
    raise StripeError(400, f"Invalid boolean: {value}", param=param)


def as_currency(value, param: str = "currency") -> str:
    if value in (None, ""):
        raise StripeError(
            400, f"Missing required param: {param}.", param=param, code="parameter_missing"
        )
    if not isinstance(value, str) or value.lower() not in CURRENCIES:
        raise StripeError(
            400,
            f"Invalid currency: {value}.",
            param=param,
        )
    return value.lower()


def as_metadata(value, param: str = "metadata") -> dict:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise StripeError(400, "Invalid object", param=param)
    for key, item in value.items():
        if not isinstance(item, str):
            raise StripeError(400, "Invalid metadata value", param=f"{param}[{key}]")
        if len(key) > 40 or len(item) > 500:
            raise StripeError(
                400,
                "Metadata keys are at most 40 and values 500 characters.",
                param=f"{param}[{key}]",
            )
    return dict(value)


def required(params: dict, name: str):
    value = params.get(name)
    if value in (None, ""):
        raise StripeError(
            400, f"Missing required param: {name}.", param=name, code="parameter_missing"
        )
    return value


def check_known(params: dict, allowed: set[str]):
    for name in params:
        if name not in allowed and name not in ("expand",):
            raise StripeError(
                400, f"Received unknown parameter: {name}", param=name, code="parameter_unknown"
            )


def list_object(url: str, data: list) -> dict:
    return {"object": "list", "data": data, "has_more": False, "url": url}


# -- the server ------------------------------------------------------------------------------------


@dataclass
class LoggedRequest:
    method: str
    path: str
    params: dict
    idempotency_key: str | None
    stripe_account: str | None
    status: int = 0
    replayed: bool = False


@dataclass
class _Response:
    status: int
    body: dict
    headers: dict = field(default_factory=dict)


class StripeStandin:
    """The stand-in. `start()` serves on a free port; `url` is what `stripe.api_base` points at.

    State is in `objects` (id → stored dict, private keys start with "_"), guarded by `lock`;
    `requests` logs every call (method, path, params, idempotency key) for tests to assert on;
    `events` holds the events the drivers produced. `reset()` forgets everything but the account.
    """

    def __init__(self, *, api_key: str | None = None, api_version: str = "2026-05-27.dahlia"):
        self.api_key = api_key or "sk_test_" + "".join(secrets.choice(ALNUM) for _ in range(24))
        self.api_version = api_version
        self.lock = threading.RLock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._counter = itertools.count(1)
        self.account_id = "acct_1StandinTest0001"
        self.reset()

    # lifecycle
    def start(self) -> StripeStandin:
        standin = self

        class Handler(_Handler):
            server_standin = standin

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="stripe-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def url(self) -> str:
        assert self._httpd is not None, "start() the stand-in first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def reset(self):
        with self.lock:
            self.objects: dict[str, dict] = {}
            self.requests: list[LoggedRequest] = []
            self.events: list[dict] = []
            # Calls to routes the stand-in lacks (dj-stripe logs and swallows some 404s).
            self.unanswered: list[str] = []
            self.deliveries: list[tuple[str, str, int]] = []  # (event id, type, HTTP status)
            self.webhook_target = None
            self._idempotent: dict[tuple[str, str], tuple[tuple, _Response]] = {}
            self.objects[self.account_id] = self._account()

    # helpers for tests
    def get(self, id_: str) -> dict:
        """The current state of an object, as the API would show it."""
        with self.lock:
            return self._render(self.objects[id_])

    def of_type(self, object_name: str) -> list[dict]:
        with self.lock:
            return [self._render(o) for o in self.objects.values() if o["object"] == object_name]

    def calls(self, method: str | None = None, path: str | None = None) -> list[LoggedRequest]:
        """Logged requests, filtered by method and path (a path ending in '*' is a prefix)."""
        with self.lock:
            found = list(self.requests)
        if method:
            found = [r for r in found if r.method == method.upper()]
        if path:
            if path.endswith("*"):
                found = [r for r in found if r.path.startswith(path[:-1])]
            else:
                found = [r for r in found if r.path == path]
        return found

    # ids and timestamps
    def new_id(self, prefix: str) -> str:
        n = next(self._counter)
        tail = "".join(secrets.choice(ALNUM) for _ in range(14))
        return f"{prefix}_{'1' if prefix != 'cs_test' else ''}{n:04d}{tail}"

    @staticmethod
    def now() -> int:
        return int(time.time())

    def _store(self, obj: dict) -> dict:
        self.objects[obj["id"]] = obj
        return obj

    # -- request handling --------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers, body: bytes) -> _Response:
        parts = urlsplit(raw_path)
        path = parts.path.rstrip("/") or "/"
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        if method in ("POST", "DELETE") and body:
            pairs += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        idem_key = headers.get("Idempotency-Key")
        log = LoggedRequest(method, path, {}, idem_key, headers.get("Stripe-Account"))
        with self.lock:
            self.requests.append(log)
            try:
                params = parse_params(pairs)
                log.params = params
                self._authenticate(headers)
                if method in ("POST", "DELETE") and idem_key:
                    fingerprint = (method, path, json.dumps(params, sort_keys=True))
                    stored = self._idempotent.get((self.api_key, idem_key))
                    if stored is not None:
                        if stored[0] != fingerprint:
                            raise StripeError(
                                400,
                                "Keys for idempotent requests can only be used with the same parameters "
                                "they were first used with. Try using a key other than "
                                f"'{idem_key}' if you meant to execute a different request.",
                                type="idempotency_error",
                            )
                        log.status, log.replayed = stored[1].status, True
                        return _Response(
                            stored[1].status,
                            stored[1].body,
                            {"Idempotent-Replayed": "true", "Idempotency-Key": idem_key},
                        )
                before = set(self.objects)
                try:
                    response = self._dispatch(method, path, params)
                except StripeError:
                    for new in (
                        set(self.objects) - before
                    ):  # a refused request leaves nothing behind
                        del self.objects[new]
                    raise
                if method in ("POST", "DELETE") and idem_key:
                    self._idempotent[(self.api_key, idem_key)] = (fingerprint, response)
                    response.headers["Idempotency-Key"] = idem_key
            except StripeError as error:
                # Stripe stores no result when the parameters failed validation.
                response = _Response(error.status, error.body)
            log.status = response.status
            return response

    def _authenticate(self, headers):
        auth = headers.get("Authorization") or ""
        key = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
        if not key:
            raise StripeError(
                401,
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
            )
        if key != self.api_key:
            shown = key[:8] + "*" * max(len(key) - 12, 0) + key[-4:]
            raise StripeError(401, f"Invalid API Key provided: {shown}")
        account = headers.get("Stripe-Account")
        if account and account != self.account_id:
            raise StripeError(
                403,
                "The provided key does not have access to account "
                f"'{account}' (or that account does not exist).",
                type="invalid_request_error",
                code="account_invalid",
            )

    ROUTES: list[tuple[str, str, str]] = [
        ("GET", r"/v1/account", "get_account"),
        ("GET", r"/v1/accounts/(?P<id>acct_\w+)", "get_account_by_id"),
        ("POST", r"/v1/customers", "create_customer"),
        ("GET", r"/v1/customers", "list_customers"),
        ("GET", r"/v1/customers/(?P<id>[^/]+)", "get_customer"),
        ("POST", r"/v1/customers/(?P<id>[^/]+)", "update_customer"),
        ("POST", r"/v1/products", "create_product"),
        ("GET", r"/v1/products", "list_products"),
        ("GET", r"/v1/products/(?P<id>[^/]+)", "get_product"),
        ("POST", r"/v1/products/(?P<id>[^/]+)", "update_product"),
        ("GET", r"/v1/products/(?P<id>[^/]+)/features", "product_features"),
        ("POST", r"/v1/prices", "create_price"),
        ("GET", r"/v1/prices", "list_prices"),
        ("GET", r"/v1/prices/(?P<id>[^/]+)", "get_price"),
        ("POST", r"/v1/prices/(?P<id>[^/]+)", "update_price"),
        ("POST", r"/v1/checkout/sessions", "create_session"),
        ("GET", r"/v1/checkout/sessions", "list_sessions"),
        ("GET", r"/v1/checkout/sessions/(?P<id>[^/]+)", "get_session"),
        ("POST", r"/v1/checkout/sessions/(?P<id>[^/]+)/expire", "expire_session"),
        ("GET", r"/v1/checkout/sessions/(?P<id>[^/]+)/line_items", "session_line_items"),
        ("GET", r"/v1/payment_intents", "list_payment_intents"),
        ("GET", r"/v1/payment_intents/(?P<id>[^/]+)", "get_payment_intent"),
        ("GET", r"/v1/charges", "list_charges"),
        ("GET", r"/v1/payment_methods/(?P<id>[^/]+)", "get_payment_method"),
        ("GET", r"/v1/charges/(?P<id>[^/]+)", "get_charge"),
        ("GET", r"/v1/balance_transactions/(?P<id>[^/]+)", "get_balance_transaction"),
        ("POST", r"/v1/refunds", "create_refund"),
        ("GET", r"/v1/refunds", "list_refunds"),
        ("GET", r"/v1/refunds/(?P<id>[^/]+)", "get_refund"),
        ("GET", r"/v1/subscriptions", "list_subscriptions"),
        ("GET", r"/v1/subscriptions/(?P<id>[^/]+)", "get_subscription"),
        ("POST", r"/v1/subscriptions/(?P<id>[^/]+)", "update_subscription"),
        ("DELETE", r"/v1/subscriptions/(?P<id>[^/]+)", "cancel_subscription"),
        ("GET", r"/v1/subscription_items/(?P<id>[^/]+)", "get_subscription_item"),
        ("GET", r"/v1/invoices", "list_invoices"),
        ("GET", r"/v1/invoices/(?P<id>[^/]+)", "get_invoice"),
        ("POST", r"/v1/billing_portal/sessions", "create_portal_session"),
        ("GET", r"/v1/disputes/(?P<id>[^/]+)", "get_dispute"),
        ("GET", r"/v1/events", "list_events"),
        ("GET", r"/v1/events/(?P<id>[^/]+)", "get_event"),
    ]
    _compiled = [(m, re.compile(p + r"\Z"), name) for m, p, name in ROUTES]

    def _dispatch(self, method: str, path: str, params: dict) -> _Response:
        for route_method, pattern, name in self._compiled:
            match = pattern.match(path)
            if match and route_method == method:
                params = copy.deepcopy(params)  # the request log keeps what was sent
                expand = params.pop("expand", None) or []
                if isinstance(expand, str):
                    expand = [expand]
                result = getattr(self, "api_" + name)(params, **match.groupdict())
                return _Response(
                    200, self._render(result, expand) if "object" in result else result
                )
        self.unanswered.append(f"{method} {path}")
        raise StripeError(
            404,
            f"Unrecognized request URL ({method}: {path}). The Stripe stand-in "
            "(tests/stripe_standin) does not answer this call: add it there.",
        )

    # -- rendering and expansion -------------------------------------------------------------------

    def _render(self, obj: dict, expand: list[str] | None = None) -> dict:
        out = {k: copy.deepcopy(v) for k, v in obj.items() if not k.startswith("_")}
        for path in expand or []:
            self._expand(out, obj, path.split("."), path)
        return out

    def _virtual(self, stored: dict, name: str):
        """Fields Stripe only includes when expanded."""
        kind = stored.get("object")
        if kind == "checkout.session" and name == "line_items":
            return list_object(
                f"/v1/checkout/sessions/{stored['id']}/line_items",
                copy.deepcopy(stored["_line_items"]),
            )
        if kind == "item" and name in ("discounts", "taxes"):
            return []
        if kind == "customer" and name in ("sources", "tax_ids"):
            return list_object(f"/v1/customers/{stored['id']}/{name}", [])
        if kind == "customer" and name == "subscriptions":
            subs = [
                self._render(o)
                for o in self.objects.values()
                if o["object"] == "subscription"
                and o["customer"] == stored["id"]
                and o["status"] != "canceled"
            ]
            return list_object(f"/v1/customers/{stored['id']}/subscriptions", subs[::-1])
        if kind == "price" and name == "currency_options":
            return {
                stored["currency"]: {
                    "custom_unit_amount": None,
                    "tax_behavior": stored["tax_behavior"],
                    "unit_amount": stored["unit_amount"],
                    "unit_amount_decimal": stored["unit_amount_decimal"],
                }
            }
        if kind == "price" and name == "tiers":
            return []
        if name == "breakdown" and "amount_discount" in stored:
            return {"discounts": [], "taxes": []}
        if kind == "charge" and name == "refunds":
            refunds = [
                self._render(o)
                for o in self.objects.values()
                if o["object"] == "refund" and o["charge"] == stored["id"]
            ]
            return list_object(f"/v1/charges/{stored['id']}/refunds", refunds[::-1])
        return _NOT_VIRTUAL

    def _expand(self, out, stored, parts: list[str], full: str):
        if not parts or out is None:
            return
        head, rest = parts[0], parts[1:]
        if isinstance(out, dict) and out.get("object") == "list" and head == "data":
            for item, stored_item in zip(
                out["data"], stored.get("data", out["data"]), strict=False
            ):
                self._expand(
                    item, stored_item if isinstance(stored_item, dict) else item, rest, full
                )
            return
        if not isinstance(out, dict):
            return
        stored = stored if isinstance(stored, dict) else out
        if head not in out:
            value = self._virtual(stored, head)
            if value is _NOT_VIRTUAL:
                raise StripeError(
                    400, f"This property cannot be expanded ({full}).", param="expand"
                )
            out[head] = value
            self._expand(value, value, rest, full)
            return
        value = out[head]
        if isinstance(value, str) and value in self.objects:
            target = self.objects[value]
            out[head] = self._render(target)
            self._expand(out[head], target, rest, full)
        elif isinstance(value, dict | list):
            sub = stored.get(head, value)
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, str) and item in self.objects:
                        value[index] = self._render(self.objects[item])
                return
            self._expand(value, sub, rest, full)
        # None or a plain value: nothing to expand, as Stripe answers.

    # -- objects -----------------------------------------------------------------------------------

    def _account(self) -> dict:
        return {
            "id": self.account_id,
            "object": "account",
            "business_profile": {
                "mcc": "8299",
                "name": "cplatform test",
                "product_description": None,
                "support_email": "billing@example.com",
                "support_phone": None,
                "support_url": None,
                "url": "https://example.com",
            },
            "business_type": "company",
            "capabilities": {"card_payments": "active", "transfers": "active"},
            "charges_enabled": True,
            "controller": {"type": "account"},
            "country": "ES",
            "created": self.now() - 86400 * 365,
            "default_currency": "eur",
            "details_submitted": True,
            "email": "billing@example.com",
            "external_accounts": list_object(
                f"/v1/accounts/{self.account_id}/external_accounts", []
            ),
            "future_requirements": {},
            "metadata": {},
            "payouts_enabled": True,
            "requirements": {
                "currently_due": [],
                "disabled_reason": None,
                "eventually_due": [],
                "past_due": [],
            },
            "settings": {
                "branding": {
                    "icon": None,
                    "logo": None,
                    "primary_color": None,
                    "secondary_color": None,
                },
                "card_payments": {"statement_descriptor_prefix": None},
                "dashboard": {"display_name": "cplatform test", "timezone": "Etc/UTC"},
                "payments": {"statement_descriptor": "CPLATFORM"},
            },
            "tos_acceptance": {"date": None},
            "type": "standard",
        }

    def api_get_account(self, params):
        return self.objects[self.account_id]

    def api_get_account_by_id(self, params, id):  # noqa: A002
        if id != self.account_id:
            raise missing("account", id)
        return self.objects[id]

    def _get(self, id_: str, kind: str, resource: str, param: str = "id") -> dict:
        obj = self.objects.get(id_)
        if obj is None or obj["object"] != kind:
            raise missing(resource, id_, param)
        return obj

    def _list(self, kind: str, url: str, params: dict, match=lambda o: True) -> dict:
        limit = as_int(params.get("limit", 10), "limit", minimum=1)
        found = [o for o in self.objects.values() if o["object"] == kind and match(o)][::-1]
        starting_after = params.get("starting_after")
        if starting_after:
            ids = [o["id"] for o in found]
            if starting_after not in ids:
                raise missing(kind, starting_after, "starting_after")
            found = found[ids.index(starting_after) + 1 :]
        page = found[:limit]
        result = list_object(url, [self._render(o) for o in page])
        result["has_more"] = len(found) > limit
        return result

    # customers
    def _customer(self, params: dict, customer: dict | None = None) -> dict:
        customer = customer or {
            "id": self.new_id("cus"),
            "object": "customer",
            "address": None,
            "balance": 0,
            "created": self.now(),
            "currency": None,
            "default_source": None,
            "delinquent": False,
            "description": None,
            "discount": None,
            "email": None,
            "invoice_prefix": "".join(secrets.choice(string.ascii_uppercase) for _ in range(8)),
            "invoice_settings": {
                "custom_fields": None,
                "default_payment_method": None,
                "footer": None,
                "rendering_options": None,
            },
            "livemode": False,
            "metadata": {},
            "name": None,
            "next_invoice_sequence": 1,
            "phone": None,
            "preferred_locales": [],
            "shipping": None,
            "tax_exempt": "none",
            "test_clock": None,
        }
        check_known(
            params,
            {"email", "name", "description", "metadata", "phone", "preferred_locales", "address"},
        )
        for name in ("email", "name", "description", "phone"):
            if name in params:
                value = params[name] or None
                if (
                    name == "email"
                    and value
                    and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value)
                ):
                    raise StripeError(
                        400, f"Invalid email address: {value}", param="email", code="email_invalid"
                    )
                customer[name] = value
        if "preferred_locales" in params:
            customer["preferred_locales"] = params["preferred_locales"] or []
        if "metadata" in params:
            customer["metadata"] = {**customer["metadata"], **as_metadata(params["metadata"])}
            customer["metadata"] = {k: v for k, v in customer["metadata"].items() if v}
        return customer

    def api_create_customer(self, params):
        return self._store(self._customer(params))

    def api_get_customer(self, params, id):  # noqa: A002
        return self._get(id, "customer", "customer")

    def api_update_customer(self, params, id):  # noqa: A002
        return self._customer(params, self._get(id, "customer", "customer"))

    def api_list_customers(self, params):
        email = params.pop("email", None)
        return self._list(
            "customer", "/v1/customers", params, lambda o: email is None or o["email"] == email
        )

    # products
    def _product(self, params: dict, product: dict | None = None) -> dict:
        check_known(
            params,
            {
                "name",
                "description",
                "metadata",
                "active",
                "id",
                "images",
                "default_price_data",
                "tax_code",
                "url",
                "statement_descriptor",
            },
        )
        now = self.now()
        if product is None:
            product = {
                "id": params.get("id") or self.new_id("prod"),
                "object": "product",
                "active": True,
                "created": now,
                "default_price": None,
                "description": None,
                "images": [],
                "livemode": False,
                "marketing_features": [],
                "metadata": {},
                "name": required(params, "name"),
                "package_dimensions": None,
                "shippable": None,
                "statement_descriptor": None,
                "tax_code": None,
                "type": "service",
                "unit_label": None,
                "updated": now,
                "url": None,
            }
            if product["id"] in self.objects:
                raise StripeError(
                    400,
                    f"Product already exists: {product['id']}",
                    param="id",
                    code="resource_already_exists",
                )
        for name in ("name", "description", "url"):
            if name in params:
                if name == "name" and not params[name]:
                    raise StripeError(400, "You must supply a name.", param="name")
                product[name] = params[name] or None
        if "active" in params:
            product["active"] = as_bool(params["active"], "active")
        if "metadata" in params:
            product["metadata"] = {
                k: v
                for k, v in {**product["metadata"], **as_metadata(params["metadata"])}.items()
                if v
            }
        product["updated"] = now
        return product

    def api_create_product(self, params):
        product = self._store(self._product(params))
        if params.get("default_price_data"):
            price = self._price(
                {**params["default_price_data"], "product": product["id"]}, "default_price_data"
            )
            product["default_price"] = self._store(price)["id"]
        return product

    def api_get_product(self, params, id):  # noqa: A002
        return self._get(id, "product", "product")

    def api_update_product(self, params, id):  # noqa: A002
        return self._product(params, self._get(id, "product", "product"))

    def api_product_features(self, params, id):  # noqa: A002
        self._get(id, "product", "product")
        return list_object(f"/v1/products/{id}/features", [])  # no entitlements here

    def api_list_products(self, params):
        active = params.pop("active", None)
        return self._list(
            "product",
            "/v1/products",
            params,
            lambda o: active is None or o["active"] == as_bool(active, "active"),
        )

    # prices
    def _price(self, params: dict, prefix: str = "") -> dict:
        def p(name):
            return f"{prefix}[{name}]" if prefix else name

        allowed = {
            "currency",
            "unit_amount",
            "product",
            "product_data",
            "recurring",
            "lookup_key",
            "nickname",
            "metadata",
            "active",
            "transfer_lookup_key",
            "tax_behavior",
            "billing_scheme",
            "unit_amount_decimal",
        }
        check_known(params, allowed)
        currency = as_currency(params.get("currency"), p("currency"))
        if params.get("unit_amount") in (None, ""):
            raise StripeError(
                400,
                "Missing required param: unit_amount.",
                param=p("unit_amount"),
                code="parameter_missing",
            )
        unit_amount = as_int(params["unit_amount"], p("unit_amount"))
        product_id = params.get("product")
        if product_id:
            self._get(product_id, "product", "product", p("product"))
        elif isinstance(params.get("product_data"), dict):
            product_id = self._store(self._product(params["product_data"]))["id"]
        else:
            raise StripeError(
                400,
                "You must specify either `product` or `product_data` when creating a price.",
                param=p("product"),
                code="parameter_missing",
            )
        recurring = None
        if params.get("recurring"):
            raw = params["recurring"]
            interval = raw.get("interval") if isinstance(raw, dict) else None
            if interval not in ("day", "week", "month", "year"):
                raise StripeError(
                    400,
                    "Invalid recurring[interval]: must be one of day, week, month, or year",
                    param=p("recurring[interval]"),
                )
            recurring = {
                "interval": interval,
                "interval_count": as_int(
                    raw.get("interval_count", 1), p("recurring[interval_count]"), minimum=1
                ),
                "meter": None,
                "trial_period_days": None,
                "usage_type": "licensed",
            }
        lookup_key = params.get("lookup_key") or None
        if lookup_key:
            clash = [
                o
                for o in self.objects.values()
                if o["object"] == "price" and o["lookup_key"] == lookup_key
            ]
            if clash and not as_bool(
                params.get("transfer_lookup_key", "false"), "transfer_lookup_key"
            ):
                raise StripeError(
                    400,
                    f"A price (`{clash[0]['id']}`) already uses that lookup key.",
                    param=p("lookup_key"),
                )
            for other in clash:
                other["lookup_key"] = None
        return {
            "id": self.new_id("price"),
            "object": "price",
            "active": as_bool(params.get("active", "true"), p("active")),
            "billing_scheme": "per_unit",
            "created": self.now(),
            "currency": currency,
            "custom_unit_amount": None,
            "livemode": False,
            "lookup_key": lookup_key,
            "metadata": as_metadata(params.get("metadata"), p("metadata")),
            "nickname": params.get("nickname") or None,
            "product": product_id,
            "recurring": recurring,
            "tax_behavior": params.get("tax_behavior") or "unspecified",
            "tiers_mode": None,
            "transform_quantity": None,
            "type": "recurring" if recurring else "one_time",
            "unit_amount": unit_amount,
            "unit_amount_decimal": str(unit_amount),
        }

    def api_create_price(self, params):
        return self._store(self._price(params))

    def api_get_price(self, params, id):  # noqa: A002
        return self._get(id, "price", "price")

    def api_update_price(self, params, id):  # noqa: A002
        price = self._get(id, "price", "price")
        check_known(
            params,
            {"active", "metadata", "nickname", "lookup_key", "transfer_lookup_key", "tax_behavior"},
        )
        if "active" in params:
            price["active"] = as_bool(params["active"], "active")
        if "metadata" in params:
            price["metadata"] = {
                k: v
                for k, v in {**price["metadata"], **as_metadata(params["metadata"])}.items()
                if v
            }
        if "nickname" in params:
            price["nickname"] = params["nickname"] or None
        return price

    def api_list_prices(self, params):
        lookup_keys = params.pop("lookup_keys", None)
        if isinstance(lookup_keys, str):
            lookup_keys = [lookup_keys]
        product = params.pop("product", None)
        active = params.pop("active", None)
        kind = params.pop("type", None)
        currency = params.pop("currency", None)

        def match(o):
            return (
                (lookup_keys is None or o["lookup_key"] in lookup_keys)
                and (product is None or o["product"] == product)
                and (active is None or o["active"] == as_bool(active, "active"))
                and (kind is None or o["type"] == kind)
                and (currency is None or o["currency"] == currency)
            )

        return self._list("price", "/v1/prices", params, match)

    # checkout sessions
    def api_create_session(self, params):
        check_known(
            params,
            {
                "mode",
                "line_items",
                "success_url",
                "cancel_url",
                "customer",
                "customer_email",
                "client_reference_id",
                "metadata",
                "payment_intent_data",
                "subscription_data",
                "locale",
                "expires_at",
                "currency",
                "customer_creation",
                "payment_method_types",
                "allow_promotion_codes",
                "ui_mode",
                "return_url",
                "invoice_creation",
                "billing_address_collection",
                "submit_type",
                "automatic_tax",
                "consent_collection",
            },
        )
        mode = params.get("mode")
        if mode not in ("payment", "subscription", "setup"):
            if not mode:
                raise StripeError(
                    400, "Missing required param: mode.", param="mode", code="parameter_missing"
                )
            raise StripeError(
                400, "Invalid mode: must be one of payment, setup, or subscription", param="mode"
            )
        ui_mode = params.get("ui_mode", "hosted")
        if ui_mode == "hosted" and not params.get("success_url"):
            raise StripeError(
                400,
                "Missing required param: success_url.",
                param="success_url",
                code="parameter_missing",
            )
        for name in ("success_url", "cancel_url"):
            url = params.get(name)
            if url and not re.match(r"^https?://[^\s/]+", url):
                raise StripeError(400, "Not a valid URL", param=name, code="url_invalid")
        customer_id = params.get("customer")
        if customer_id:
            self._get(customer_id, "customer", "customer", "customer")
            if params.get("customer_email"):
                raise StripeError(
                    400,
                    "You may only specify one of these parameters: customer, customer_email.",
                    param="customer_email",
                )
        email = params.get("customer_email")
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise StripeError(
                400, f"Invalid email address: {email}", param="customer_email", code="email_invalid"
            )
        raw_items = params.get("line_items")
        if mode != "setup" and not raw_items:
            raise StripeError(
                400,
                "Missing required param: line_items.",
                param="line_items",
                code="parameter_missing",
            )
        if raw_items is not None and not isinstance(raw_items, list):
            raise StripeError(400, "Invalid array", param="line_items")
        items, currency = [], None
        for index, raw in enumerate(raw_items or []):
            p = f"line_items[{index}]"
            if not isinstance(raw, dict):
                raise StripeError(400, "Invalid hash", param=p)
            if raw.get("price") and raw.get("price_data"):
                raise StripeError(
                    400,
                    "You may only specify one of these parameters: price, price_data.",
                    param=f"{p}[price]",
                )
            if raw.get("price"):
                price = self._get(raw["price"], "price", "price", f"{p}[price]")
                if not price["active"]:
                    raise StripeError(
                        400,
                        "The price specified is inactive. This field only accepts active prices.",
                        param=f"{p}[price]",
                    )
            elif isinstance(raw.get("price_data"), dict):
                price = self._store(self._price(raw["price_data"], f"{p}[price_data]"))
                price["active"] = False  # an inline price, as Stripe makes it
            else:
                raise StripeError(
                    400,
                    "You must specify either `price` or `price_data`.",
                    param=f"{p}[price]",
                    code="parameter_missing",
                )
            quantity = (
                as_int(raw.get("quantity", ""), f"{p}[quantity]", minimum=1)
                if raw.get("quantity") not in (None, "")
                else None
            )
            if quantity is None:
                raise StripeError(
                    400,
                    "Quantity is required. Add `quantity` to `line_items[0]`.".replace(
                        "0", str(index)
                    ),
                    param=f"{p}[quantity]",
                    code="parameter_missing",
                )
            if mode == "payment" and price["type"] == "recurring":
                raise StripeError(
                    400,
                    "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
                    param=f"{p}[price]",
                )
            if currency and price["currency"] != currency:
                raise StripeError(
                    400,
                    "All prices on a Checkout Session must have the same currency.",
                    param=f"{p}[price]",
                )
            currency = price["currency"]
            product = self.objects[price["product"]]
            amount = price["unit_amount"] * quantity
            items.append(
                {
                    "id": self.new_id("li"),
                    "object": "item",
                    "amount_discount": 0,
                    "amount_subtotal": amount,
                    "amount_tax": 0,
                    "amount_total": amount,
                    "currency": price["currency"],
                    "description": product["name"],
                    "price": self._render(price),
                    "quantity": quantity,
                }
            )
        if mode == "subscription" and not any(i["price"]["type"] == "recurring" for i in items):
            raise StripeError(
                400,
                "You must provide at least one recurring price in `subscription` mode when using prices.",
                param="line_items",
            )
        total = sum(i["amount_total"] for i in items)
        if mode == "payment":
            minimum = (
                MINIMUM_CHARGE.get(currency, DEFAULT_MINIMUM_CHARGE)
                if currency not in ZERO_DECIMAL_CURRENCIES
                else 50
            )
            if total < minimum:
                raise StripeError(
                    400,
                    f"The Checkout Session's total amount due must add up to at least {minimum} {currency}.",
                    param="line_items",
                    code="amount_too_small",
                )
        now = self.now()
        expires_at = (
            as_int(params["expires_at"], "expires_at", maximum=None)
            if params.get("expires_at")
            else now + 86400
        )
        if not now + 1800 <= expires_at <= now + 86400:
            raise StripeError(
                400,
                "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
                param="expires_at",
            )
        pi_data = params.get("payment_intent_data") or {}
        sub_data = params.get("subscription_data") or {}
        if pi_data and mode != "payment":
            raise StripeError(
                400,
                "You can only specify `payment_intent_data` in `payment` mode.",
                param="payment_intent_data",
            )
        if sub_data and mode != "subscription":
            raise StripeError(
                400,
                "You can only specify `subscription_data` in `subscription` mode.",
                param="subscription_data",
            )
        for name, data in (("payment_intent_data", pi_data), ("subscription_data", sub_data)):
            if not isinstance(data, dict):
                raise StripeError(400, "Invalid hash", param=name)
            as_metadata(data.get("metadata"), f"{name}[metadata]")
        session_id = self.new_id("cs_test")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "after_expiration": None,
            "allow_promotion_codes": None,
            "amount_subtotal": total,
            "amount_total": total,
            "automatic_tax": {"enabled": False, "liability": None, "status": None},
            "billing_address_collection": params.get("billing_address_collection"),
            "cancel_url": params.get("cancel_url"),
            "client_reference_id": params.get("client_reference_id") or None,
            "client_secret": None,
            "consent": None,
            "consent_collection": None,
            "created": now,
            "currency": currency,
            "custom_fields": [],
            "custom_text": {
                "after_submit": None,
                "shipping_address": None,
                "submit": None,
                "terms_of_service_acceptance": None,
            },
            "customer": customer_id,
            "customer_creation": None
            if customer_id
            else params.get("customer_creation", "if_required"),
            "customer_details": None,
            "customer_email": email,
            "expires_at": expires_at,
            "invoice": None,
            "invoice_creation": None,
            "livemode": False,
            "locale": params.get("locale"),
            "metadata": as_metadata(params.get("metadata")),
            "mode": mode,
            "payment_intent": None,
            "payment_link": None,
            "payment_method_collection": "always" if mode == "subscription" else None,
            "payment_method_options": {},
            "payment_method_types": params.get("payment_method_types") or ["card"],
            "payment_status": "unpaid" if mode != "setup" else "no_payment_required",
            "phone_number_collection": {"enabled": False},
            "recovered_from": None,
            "setup_intent": None,
            "shipping_address_collection": None,
            "shipping_cost": None,
            "shipping_details": None,
            "shipping_options": [],
            "status": "open",
            "submit_type": params.get("submit_type"),
            "subscription": None,
            "success_url": params.get("success_url"),
            "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
            "ui_mode": ui_mode,
            "url": f"{self.url}/c/pay/{session_id}" if self._httpd else None,
            "_line_items": items,
            "_payment_intent_data": pi_data,
            "_subscription_data": sub_data,
        }
        return self._store(session)

    def api_get_session(self, params, id):  # noqa: A002
        return self._get(id, "checkout.session", "checkout.session")

    def api_list_sessions(self, params):
        pi = params.pop("payment_intent", None)
        return self._list(
            "checkout.session",
            "/v1/checkout/sessions",
            params,
            lambda o: pi is None or o["payment_intent"] == pi,
        )

    def api_session_line_items(self, params, id):  # noqa: A002
        session = self._get(id, "checkout.session", "checkout.session")
        return list_object(
            f"/v1/checkout/sessions/{id}/line_items", copy.deepcopy(session["_line_items"])
        )

    def api_expire_session(self, params, id):  # noqa: A002
        session = self._get(id, "checkout.session", "checkout.session")
        if session["status"] != "open":
            raise StripeError(
                400,
                f'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "{session["status"]}".',
            )
        session["status"] = "expired"
        session["url"] = None
        return session

    # payments
    def api_get_payment_intent(self, params, id):  # noqa: A002
        return self._get(id, "payment_intent", "payment_intent")

    def api_get_payment_method(self, params, id):  # noqa: A002
        return self._get(id, "payment_method", "PaymentMethod")

    def api_get_charge(self, params, id):  # noqa: A002
        return self._get(id, "charge", "charge")

    def api_get_balance_transaction(self, params, id):  # noqa: A002
        return self._get(id, "balance_transaction", "balance transaction")

    def api_create_refund(self, params):
        check_known(
            params,
            {"charge", "payment_intent", "amount", "reason", "metadata", "instructions_email"},
        )
        charge_id, pi_id = params.get("charge"), params.get("payment_intent")
        if not charge_id and not pi_id:
            raise StripeError(
                400,
                "One of the following params should be provided for this request: payment_intent or charge.",
                param="charge",
                code="parameter_missing",
            )
        if pi_id:
            pi = self._get(pi_id, "payment_intent", "payment_intent", "payment_intent")
            if not pi.get("latest_charge"):
                raise StripeError(
                    400,
                    f"This PaymentIntent ({pi_id}) does not have a successful charge to refund.",
                    param="payment_intent",
                )
            if charge_id and charge_id != pi["latest_charge"]:
                raise StripeError(
                    400, "The charge does not belong to the payment intent.", param="charge"
                )
            charge_id = pi["latest_charge"]
        charge = self._get(charge_id, "charge", "charge", "charge")
        if charge["status"] != "succeeded":
            raise StripeError(
                400,
                f"Charge {charge_id} has not succeeded; there is nothing to refund.",
                param="charge",
                code="charge_not_refundable",
            )
        remaining = charge["amount_captured"] - charge["amount_refunded"]
        if remaining <= 0:
            raise StripeError(
                400,
                f"Charge {charge_id} has already been refunded.",
                param="charge" if not pi_id else "payment_intent",
                code="charge_already_refunded",
            )
        if charge["disputed"]:
            raise StripeError(
                400,
                f"Charge {charge_id} has been charged back; cannot issue a refund.",
                code="charge_disputed",
            )
        amount = (
            as_int(params["amount"], "amount", minimum=1)
            if params.get("amount") not in (None, "")
            else remaining
        )
        if amount > remaining:
            raise StripeError(
                400,
                f"Refund amount ({self._money(amount, charge['currency'])}) is greater than unrefunded "
                f"amount on charge ({self._money(remaining, charge['currency'])})",
                param="amount",
                code="amount_too_large",
            )
        reason = params.get("reason") or None
        if reason not in (None, "duplicate", "fraudulent", "requested_by_customer"):
            raise StripeError(
                400,
                "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer",
                param="reason",
            )
        refund = self._refund_record(charge, amount, reason, as_metadata(params.get("metadata")))
        return refund

    def _refund_record(self, charge: dict, amount: int, reason: str | None, metadata: dict) -> dict:
        txn = self._balance_transaction(-amount, charge["currency"], "refund")
        refund = self._store(
            {
                "id": self.new_id("re"),
                "object": "refund",
                "amount": amount,
                "balance_transaction": txn["id"],
                "charge": charge["id"],
                "created": self.now(),
                "currency": charge["currency"],
                "destination_details": {
                    "card": {"reference_status": "pending", "type": "refund"},
                    "type": "card",
                },
                "metadata": metadata,
                "payment_intent": charge["payment_intent"],
                "reason": reason,
                "receipt_number": None,
                "source_transfer_reversal": None,
                "status": "succeeded",
                "transfer_reversal": None,
            }
        )
        txn["source"] = refund["id"]
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount_captured"]
        return refund

    @staticmethod
    def _money(amount: int, currency: str) -> str:
        if currency in ZERO_DECIMAL_CURRENCIES:
            return f"{amount} {currency}"
        return f"{amount / 100:.2f} {currency}"

    def api_get_refund(self, params, id):  # noqa: A002
        return self._get(id, "refund", "refund")

    def api_list_refunds(self, params):
        charge, pi = params.pop("charge", None), params.pop("payment_intent", None)
        return self._list(
            "refund",
            "/v1/refunds",
            params,
            lambda o: (
                (charge is None or o["charge"] == charge)
                and (pi is None or o["payment_intent"] == pi)
            ),
        )

    # subscriptions
    def api_get_subscription(self, params, id):  # noqa: A002
        return self._get(id, "subscription", "subscription")

    def api_get_subscription_item(self, params, id):  # noqa: A002
        return self._get(id, "subscription_item", "subscription item")

    def api_list_subscriptions(self, params):
        customer, status = params.pop("customer", None), params.pop("status", None)
        return self._list(
            "subscription",
            "/v1/subscriptions",
            params,
            lambda o: (
                (customer is None or o["customer"] == customer)
                and (status in (None, "all") or o["status"] == status)
                and (status is not None or o["status"] != "canceled")
            ),
        )

    def api_update_subscription(self, params, id):  # noqa: A002
        sub = self._get(id, "subscription", "subscription")
        check_known(
            params,
            {
                "pause_collection",
                "cancel_at_period_end",
                "metadata",
                "proration_behavior",
                "cancel_at",
                "description",
            },
        )
        if sub["status"] == "canceled":
            raise StripeError(
                400,
                "A canceled subscription can only update its cancellation_details and metadata.",
                param=next(iter(params), None),
            )
        if "pause_collection" in params:
            raw = params["pause_collection"]
            if raw in ("", None):
                sub["pause_collection"] = None
            else:
                behavior = raw.get("behavior") if isinstance(raw, dict) else None
                if behavior not in ("keep_as_draft", "mark_uncollectible", "void"):
                    raise StripeError(
                        400,
                        "Invalid pause_collection[behavior]: must be one of keep_as_draft, mark_uncollectible, or void",
                        param="pause_collection[behavior]",
                    )
                resumes = (
                    as_int(raw["resumes_at"], "pause_collection[resumes_at]")
                    if raw.get("resumes_at")
                    else None
                )
                sub["pause_collection"] = {"behavior": behavior, "resumes_at": resumes}
        if "cancel_at_period_end" in params:
            sub["cancel_at_period_end"] = as_bool(
                params["cancel_at_period_end"], "cancel_at_period_end"
            )
            period_end = sub["items"]["data"][0]["current_period_end"]
            sub["cancel_at"] = period_end if sub["cancel_at_period_end"] else None
            sub["canceled_at"] = self.now() if sub["cancel_at_period_end"] else None
        if "metadata" in params:
            sub["metadata"] = {
                k: v for k, v in {**sub["metadata"], **as_metadata(params["metadata"])}.items() if v
            }
        if "description" in params:
            sub["description"] = params["description"] or None
        return sub

    def api_cancel_subscription(self, params, id):  # noqa: A002
        sub = self._get(id, "subscription", "subscription")
        if sub["status"] == "canceled":
            raise StripeError(
                404, f"No such subscription: '{id}'", param="id", code="resource_missing"
            )
        now = self.now()
        sub.update(status="canceled", canceled_at=now, ended_at=now, cancel_at=None)
        return sub

    def api_list_invoices(self, params):
        customer, sub = params.pop("customer", None), params.pop("subscription", None)
        return self._list(
            "invoice",
            "/v1/invoices",
            params,
            lambda o: (
                (customer is None or o["customer"] == customer)
                and (sub is None or o["parent"]["subscription_details"]["subscription"] == sub)
            ),
        )

    def api_list_payment_intents(self, params):
        customer = params.pop("customer", None)
        return self._list(
            "payment_intent",
            "/v1/payment_intents",
            params,
            lambda o: customer is None or o["customer"] == customer,
        )

    def api_list_charges(self, params):
        customer, pi = params.pop("customer", None), params.pop("payment_intent", None)
        return self._list(
            "charge",
            "/v1/charges",
            params,
            lambda o: (
                (customer is None or o["customer"] == customer)
                and (pi is None or o["payment_intent"] == pi)
            ),
        )

    def api_create_portal_session(self, params):
        """The customer portal (manage a subscription on Stripe's pages)."""
        check_known(params, {"customer", "return_url", "locale", "configuration", "flow_data"})
        customer = self._get(required(params, "customer"), "customer", "customer", "customer")
        return_url = params.get("return_url")
        if return_url and not re.match(r"^https?://[^\s/]+", return_url):
            raise StripeError(400, "Not a valid URL", param="return_url", code="url_invalid")
        portal_id = self.new_id("bps")
        return self._store(
            {
                "id": portal_id,
                "object": "billing_portal.session",
                "configuration": "bpc_standin",
                "created": self.now(),
                "customer": customer["id"],
                "flow": None,
                "livemode": False,
                "locale": params.get("locale"),
                "on_behalf_of": None,
                "return_url": return_url,
                "url": f"{self.url}/p/session/{portal_id}" if self._httpd else None,
            }
        )

    def api_get_invoice(self, params, id):  # noqa: A002
        return self._get(id, "invoice", "invoice")

    def api_get_dispute(self, params, id):  # noqa: A002
        return self._get(id, "dispute", "dispute")

    def api_get_event(self, params, id):  # noqa: A002
        return self._get(id, "event", "event")

    def api_list_events(self, params):
        kind = params.pop("type", None)
        return self._list(
            "event", "/v1/events", params, lambda o: kind is None or o["type"] == kind
        )

    # -- objects made by the drivers ---------------------------------------------------------------

    def _balance_transaction(self, amount: int, currency: str, kind: str) -> dict:
        fee = (
            round(amount * 0.029) + (25 if currency not in ZERO_DECIMAL_CURRENCIES else 0)
            if amount > 0
            else 0
        )
        now = self.now()
        return self._store(
            {
                "id": self.new_id("txn"),
                "object": "balance_transaction",
                "amount": amount,
                "available_on": now + 86400 * 2,
                "created": now,
                "currency": currency,
                "description": None,
                "exchange_rate": None,
                "fee": fee,
                "fee_details": [
                    {
                        "amount": fee,
                        "application": None,
                        "currency": currency,
                        "description": "Stripe processing fees",
                        "type": "stripe_fee",
                    }
                ]
                if fee
                else [],
                "net": amount - fee,
                "reporting_category": "charge" if kind == "charge" else kind,
                "source": None,
                "status": "pending",
                "type": kind,
            }
        )

    def _payment_method(self, customer_id: str | None) -> dict:
        return self._store(
            {
                "id": self.new_id("pm"),
                "object": "payment_method",
                "allow_redisplay": "unspecified",
                "billing_details": {
                    "address": None,
                    "email": None,
                    "name": "Test Payer",
                    "phone": None,
                },
                "card": {
                    "brand": "visa",
                    "checks": {
                        "address_line1_check": None,
                        "address_postal_code_check": None,
                        "cvc_check": "pass",
                    },
                    "country": "US",
                    "display_brand": "visa",
                    "exp_month": 12,
                    "exp_year": 2034,
                    "fingerprint": "standinfingerprint",
                    "funding": "credit",
                    "generated_from": None,
                    "last4": "4242",
                    "networks": {"available": ["visa"], "preferred": None},
                    "three_d_secure_usage": {"supported": True},
                    "wallet": None,
                },
                "created": self.now(),
                "customer": customer_id,
                "livemode": False,
                "metadata": {},
                "type": "card",
            }
        )

    def _payment_intent(
        self, amount, currency, customer_id, metadata, description=None, status="succeeded"
    ) -> dict:
        pi_id = self.new_id("pi")
        return self._store(
            {
                "id": pi_id,
                "object": "payment_intent",
                "amount": amount,
                "amount_capturable": 0,
                "amount_details": {"tip": {}},
                "amount_received": 0,
                "application": None,
                "application_fee_amount": None,
                "automatic_payment_methods": None,
                "canceled_at": None,
                "cancellation_reason": None,
                "capture_method": "automatic",
                "client_secret": f"{pi_id}_secret_{secrets.token_hex(8)}",
                "confirmation_method": "automatic",
                "created": self.now(),
                "currency": currency,
                "customer": customer_id,
                "description": description,
                "last_payment_error": None,
                "latest_charge": None,
                "livemode": False,
                "metadata": metadata,
                "next_action": None,
                "on_behalf_of": None,
                "payment_method": None,
                "payment_method_configuration_details": None,
                "payment_method_options": {},
                "payment_method_types": ["card"],
                "processing": None,
                "receipt_email": None,
                "review": None,
                "setup_future_usage": None,
                "shipping": None,
                "source": None,
                "statement_descriptor": None,
                "statement_descriptor_suffix": None,
                "status": status,
                "transfer_data": None,
                "transfer_group": None,
            }
        )

    def _charge(self, pi: dict, pm: dict, *, status: str = "succeeded") -> dict:
        succeeded = status == "succeeded"
        txn = (
            self._balance_transaction(pi["amount"], pi["currency"], "charge") if succeeded else None
        )
        charge = self._store(
            {
                "id": self.new_id("ch"),
                "object": "charge",
                "amount": pi["amount"],
                "amount_captured": pi["amount"] if succeeded else 0,
                "amount_refunded": 0,
                "application": None,
                "application_fee": None,
                "application_fee_amount": None,
                "balance_transaction": txn["id"] if txn else None,
                "billing_details": pm["billing_details"],
                "calculated_statement_descriptor": "CPLATFORM",
                "captured": succeeded,
                "created": self.now(),
                "currency": pi["currency"],
                "customer": pi["customer"],
                "description": pi["description"],
                "destination": None,
                "dispute": None,
                "disputed": False,
                "failure_balance_transaction": None,
                "failure_code": None if succeeded else "card_declined",
                "failure_message": None if succeeded else "Your card was declined.",
                "fraud_details": {},
                "livemode": False,
                "metadata": dict(pi["metadata"]),
                "on_behalf_of": None,
                "outcome": {
                    "network_status": "approved_by_network" if succeeded else "declined_by_network",
                    "reason": None if succeeded else "generic_decline",
                    "risk_level": "normal",
                    "risk_score": 20,
                    "seller_message": "Payment complete."
                    if succeeded
                    else "The bank did not return any further details with this decline.",
                    "type": "authorized" if succeeded else "issuer_declined",
                },
                "paid": succeeded,
                "payment_intent": pi["id"],
                "payment_method": pm["id"],
                "payment_method_details": {
                    "card": {
                        **{
                            k: pm["card"][k]
                            for k in (
                                "brand",
                                "country",
                                "exp_month",
                                "exp_year",
                                "fingerprint",
                                "funding",
                                "last4",
                            )
                        },
                        "network": "visa",
                    },
                    "type": "card",
                },
                "receipt_email": None,
                "receipt_number": None,
                "receipt_url": f"https://pay.stripe.com/receipts/standin/{pi['id']}",
                "refunded": False,
                "review": None,
                "shipping": None,
                "source": None,
                "source_transfer": None,
                "statement_descriptor": None,
                "statement_descriptor_suffix": None,
                "status": status,
                "transfer_data": None,
                "transfer_group": None,
            }
        )
        if txn:
            txn["source"] = charge["id"]
        pi["latest_charge"] = charge["id"]
        pi["payment_method"] = pm["id"]
        if succeeded:
            pi["amount_received"] = pi["amount"]
        return charge

    def _ensure_customer(self, session: dict) -> str | None:
        if session["customer"]:
            return session["customer"]
        if session["mode"] == "payment" and session["customer_creation"] != "always":
            return None
        customer = self._store(
            self._customer(
                {"email": session["customer_email"] or "payer@example.com", "name": "Test Payer"}
            )
        )
        session["customer"] = customer["id"]
        return customer["id"]

    # -- webhooks sent over HTTP (browser journeys against a live server) -----------------------------

    webhook_target: str | None = None  # a full URL; set by the test (fixtures: send_webhooks_to)
    webhook_secret: str = ""

    def send_webhook(self, event: dict) -> int | None:
        """POST `event`, signed with `webhook_secret`, to `webhook_target` as Stripe delivers it;
        returns the HTTP status (None when no target is set). Deliveries are kept in `deliveries`."""
        if not self.webhook_target:
            return None
        body = json.dumps(event)
        request = Request(  # noqa: S310 - an http URL the test gave
            self.webhook_target,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": sign(body, self.webhook_secret),
            },
        )
        try:
            with urlopen(request, timeout=30) as response:  # noqa: S310 - an http URL the test gave
                status = response.status
        except OSError as error:
            status = getattr(error, "code", None) or 0
        with self.lock:
            self.deliveries.append((event["id"], event["type"], status))
        return status

    # -- events --------------------------------------------------------------------------------------

    def event(self, type_: str, obj: dict, previous_attributes: dict | None = None) -> dict:
        """Record and return the event Stripe would send for `obj` (its current state)."""
        with self.lock:
            data = {"object": self._render(obj)}
            if previous_attributes is not None:
                data["previous_attributes"] = previous_attributes
            event = self._store(
                {
                    "id": self.new_id("evt"),
                    "object": "event",
                    "api_version": self.api_version,
                    "created": self.now(),
                    "data": data,
                    "livemode": False,
                    "pending_webhooks": 1,
                    "request": {"id": None, "idempotency_key": None},
                    "type": type_,
                }
            )
            self.events.append(event)
            return self._render(event)

    # -- drivers: what Stripe does outside the API ---------------------------------------------------

    def complete_checkout(self, session_id: str, *, async_payment: bool = False) -> dict:
        """The customer pays on the hosted page: the session completes, with a customer (when the
        session makes one), a payment intent and its charge (payment mode) or a subscription and its
        paid invoice (subscription mode). With `async_payment` the payment is still processing
        (payment_status "unpaid"): follow with `succeed_async_payment` or `fail_async_payment`.
        Returns the `checkout.session.completed` event."""
        with self.lock:
            session = self._get(session_id, "checkout.session", "checkout.session")
            if session["status"] != "open":
                raise ValueError(f"{session_id} is {session['status']}, not open")
            customer_id = self._ensure_customer(session)
            email = (
                session["customer_email"]
                or (self.objects[customer_id]["email"] if customer_id else None)
                or "payer@example.com"
            )
            session["customer_details"] = {
                "address": {
                    "city": None,
                    "country": "ES",
                    "line1": None,
                    "line2": None,
                    "postal_code": None,
                    "state": None,
                },
                "email": email,
                "name": "Test Payer",
                "phone": None,
                "tax_exempt": "none",
                "tax_ids": [],
            }
            session["status"] = "complete"
            session["url"] = None
            pm = self._payment_method(customer_id)
            if session["mode"] == "payment":
                pi_data = session["_payment_intent_data"]
                pi = self._payment_intent(
                    session["amount_total"],
                    session["currency"],
                    customer_id,
                    as_metadata(
                        pi_data.get("metadata")
                    ),  # not the session's: Stripe keeps them apart
                    description=pi_data.get("description"),
                    status="processing" if async_payment else "succeeded",
                )
                session["payment_intent"] = pi["id"]
                pi["payment_method"] = pm["id"]
                if not async_payment:
                    self._charge(pi, pm)
                    session["payment_status"] = "paid"
            elif session["mode"] == "subscription":
                sub = self._subscription(session, customer_id, pm)
                session["subscription"] = sub["id"]
                session["invoice"] = sub["latest_invoice"]
                session["payment_status"] = "paid"
            return self.event("checkout.session.completed", session)

    def succeed_async_payment(self, session_id: str) -> dict:
        """A delayed payment (bank debit) succeeds: `checkout.session.async_payment_succeeded`."""
        with self.lock:
            session = self._get(session_id, "checkout.session", "checkout.session")
            pi = self.objects[session["payment_intent"]]
            pi["status"] = "succeeded"
            self._charge(pi, self.objects[pi["payment_method"]])
            session["payment_status"] = "paid"
            return self.event("checkout.session.async_payment_succeeded", session)

    def fail_async_payment(self, session_id: str) -> dict:
        """A delayed payment fails: `checkout.session.async_payment_failed`."""
        with self.lock:
            session = self._get(session_id, "checkout.session", "checkout.session")
            pi = self.objects[session["payment_intent"]]
            pi["status"] = "requires_payment_method"
            charge = self._charge(pi, self.objects[pi["payment_method"]], status="failed")
            pi["last_payment_error"] = {
                "code": "card_declined",
                "charge": charge["id"],
                "message": "Your card was declined.",
                "type": "card_error",
            }
            return self.event("checkout.session.async_payment_failed", session)

    def expire_checkout(self, session_id: str) -> dict:
        """The session's 24 hours run out: `checkout.session.expired`."""
        with self.lock:
            self.api_expire_session({}, session_id)
            return self.event("checkout.session.expired", self.objects[session_id])

    def payment_intent_succeeded(self, payment_intent_id: str) -> dict:
        """The `payment_intent.succeeded` event for a payment already made."""
        with self.lock:
            return self.event(
                "payment_intent.succeeded",
                self._get(payment_intent_id, "payment_intent", "payment_intent"),
            )

    def refund(
        self, charge_or_payment_intent: str, amount: int | None = None, *, reason: str | None = None
    ) -> dict:
        """A refund made outside our code (in the Dashboard): returns `charge.refunded`."""
        with self.lock:
            key = "payment_intent" if charge_or_payment_intent.startswith("pi_") else "charge"
            params = {
                key: charge_or_payment_intent,
                **({"amount": str(amount)} if amount else {}),
                **({"reason": reason} if reason else {}),
            }
            refund = self.api_create_refund(params)
            return self.charge_refunded(refund["id"])

    def charge_refunded(self, refund_id: str) -> dict:
        """The `charge.refunded` event Stripe sends after a refund (ours through the API too)."""
        with self.lock:
            refund = self._get(refund_id, "refund", "refund")
            charge = self.objects[refund["charge"]]
            previous = {
                "amount_refunded": charge["amount_refunded"] - refund["amount"],
                "refunded": False,
            }
            data = self._render(charge, ["refunds"])
            event = self.event("charge.refunded", charge, previous)
            event["data"]["object"] = data
            self.objects[event["id"]]["data"]["object"] = data
            return event

    def refund_event(self, refund_id: str, type_: str = "refund.created") -> dict:
        with self.lock:
            return self.event(type_, self._get(refund_id, "refund", "refund"))

    def dispute_create(self, charge_id: str, *, reason: str = "fraudulent") -> dict:
        """The cardholder's bank opens a dispute on a charge: `charge.dispute.created`."""
        with self.lock:
            charge = self._get(charge_id, "charge", "charge")
            now = self.now()
            txn = self._balance_transaction(-charge["amount"], charge["currency"], "adjustment")
            dispute = self._store(
                {
                    "id": self.new_id("dp"),
                    "object": "dispute",
                    "amount": charge["amount"] - charge["amount_refunded"],
                    "balance_transactions": [self._render(txn)],
                    "charge": charge_id,
                    "created": now,
                    "currency": charge["currency"],
                    "enhanced_eligibility_types": [],
                    "evidence": {
                        "access_activity_log": None,
                        "billing_address": None,
                        "cancellation_policy": None,
                        "cancellation_policy_disclosure": None,
                        "cancellation_rebuttal": None,
                        "customer_communication": None,
                        "customer_email_address": None,
                        "customer_name": None,
                        "customer_purchase_ip": None,
                        "customer_signature": None,
                        "duplicate_charge_documentation": None,
                        "duplicate_charge_explanation": None,
                        "duplicate_charge_id": None,
                        "product_description": None,
                        "receipt": None,
                        "refund_policy": None,
                        "refund_policy_disclosure": None,
                        "refund_refusal_explanation": None,
                        "service_date": None,
                        "service_documentation": None,
                        "shipping_address": None,
                        "shipping_carrier": None,
                        "shipping_date": None,
                        "shipping_documentation": None,
                        "shipping_tracking_number": None,
                        "uncategorized_file": None,
                        "uncategorized_text": None,
                    },
                    "evidence_details": {
                        "due_by": now + 86400 * 7,
                        "has_evidence": False,
                        "past_due": False,
                        "submission_count": 0,
                    },
                    "is_charge_refundable": False,
                    "livemode": False,
                    "metadata": {},
                    "network_reason_code": "10.4",
                    "payment_intent": charge["payment_intent"],
                    "payment_method_details": {
                        "card": {
                            "brand": "visa",
                            "case_type": "chargeback",
                            "network_reason_code": "10.4",
                        },
                        "type": "card",
                    },
                    "reason": reason,
                    "status": "needs_response",
                }
            )
            txn["source"] = dispute["id"]
            charge["disputed"] = True
            charge["dispute"] = dispute["id"]
            return self.event("charge.dispute.created", dispute)

    def dispute_close(self, dispute_id: str, status: str = "won") -> dict:
        """The bank decides: `charge.dispute.closed` with status won or lost (won gives the money back)."""
        if status not in ("won", "lost"):
            raise ValueError("status is won or lost")
        with self.lock:
            dispute = self._get(dispute_id, "dispute", "dispute")
            previous = {"status": dispute["status"]}
            dispute["status"] = status
            if status == "won":
                txn = self._balance_transaction(
                    dispute["amount"], dispute["currency"], "adjustment"
                )
                txn["source"] = dispute_id
                dispute["balance_transactions"].append(self._render(txn))
            return self.event("charge.dispute.closed", dispute, previous)

    # subscriptions and invoices
    def _subscription(self, session: dict, customer_id: str, pm: dict) -> dict:
        now = self.now()
        sub_id = self.new_id("sub")
        items = []
        for line in session["_line_items"]:
            price = self.objects[line["price"]["id"]]
            period_end = _add_interval(now, price["recurring"]) if price["recurring"] else now
            item = self._store(
                {
                    "id": self.new_id("si"),
                    "object": "subscription_item",
                    "billing_thresholds": None,
                    "created": now,
                    "current_period_end": period_end,
                    "current_period_start": now,
                    "discounts": [],
                    "metadata": {},
                    "price": line["price"]["id"],
                    "quantity": line["quantity"],
                    "subscription": sub_id,
                    "tax_rates": [],
                }
            )
            items.append(item)
        sub_data = session["_subscription_data"]
        sub = self._store(
            {
                "id": sub_id,
                "object": "subscription",
                "application": None,
                "application_fee_percent": None,
                "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
                "billing_cycle_anchor": now,
                "billing_cycle_anchor_config": None,
                "billing_mode": {"type": "classic"},
                "billing_thresholds": None,
                "cancel_at": None,
                "cancel_at_period_end": False,
                "canceled_at": None,
                "cancellation_details": {"comment": None, "feedback": None, "reason": None},
                "collection_method": "charge_automatically",
                "created": now,
                "currency": session["currency"],
                "customer": customer_id,
                "days_until_due": None,
                "default_payment_method": pm["id"],
                "default_source": None,
                "default_tax_rates": [],
                "description": sub_data.get("description"),
                "discounts": [],
                "ended_at": None,
                "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
                "latest_invoice": None,
                "livemode": False,
                "metadata": as_metadata(
                    sub_data.get("metadata")
                ),  # subscription_data's only, as Stripe
                "next_pending_invoice_item_invoice": None,
                "on_behalf_of": None,
                "pause_collection": None,
                "payment_settings": {
                    "payment_method_options": None,
                    "payment_method_types": None,
                    "save_default_payment_method": "off",
                },
                "pending_invoice_item_interval": None,
                "pending_setup_intent": None,
                "pending_update": None,
                "schedule": None,
                "start_date": now,
                "status": "active",
                "test_clock": None,
                "transfer_data": None,
                "trial_end": None,
                "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
                "trial_start": None,
                "_items": [i["id"] for i in items],
            }
        )
        self._sync_sub_items(sub)
        invoice = self._invoice(sub, "subscription_create", pm, paid=True)
        sub["latest_invoice"] = invoice["id"]
        return sub

    def _sync_sub_items(self, sub: dict):
        sub["items"] = list_object(
            f"/v1/subscription_items?subscription={sub['id']}",
            [
                {
                    **self._render(self.objects[i]),
                    "price": self._render(self.objects[self.objects[i]["price"]]),
                }
                for i in sub["_items"]
            ],
        )

    def _invoice(self, sub: dict, reason: str, pm: dict, *, paid: bool) -> dict:
        now = self.now()
        lines = []
        total = 0
        inv_id = self.new_id("in")
        for item in sub["items"]["data"]:
            amount = item["price"]["unit_amount"] * item["quantity"]
            total += amount
            lines.append(
                {
                    "id": self.new_id("il"),
                    "object": "line_item",
                    "amount": amount,
                    "currency": sub["currency"],
                    "description": f"{item['quantity']} × {self.objects[item['price']['product']]['name']}",
                    "discount_amounts": [],
                    "discountable": True,
                    "discounts": [],
                    "invoice": inv_id,
                    "livemode": False,
                    "metadata": {},
                    "parent": {
                        "subscription_item_details": {
                            "subscription": sub["id"],
                            "subscription_item": item["id"],
                        },
                        "type": "subscription_item_details",
                    },
                    "period": {
                        "end": item["current_period_end"],
                        "start": item["current_period_start"],
                    },
                    "pricing": {
                        "price_details": {
                            "price": item["price"]["id"],
                            "product": item["price"]["product"],
                        },
                        "type": "price_details",
                        "unit_amount_decimal": str(item["price"]["unit_amount"]),
                    },
                    "quantity": item["quantity"],
                    "taxes": [],
                }
            )
        customer = self.objects[sub["customer"]]
        sequence = customer["next_invoice_sequence"]
        customer["next_invoice_sequence"] += 1
        invoice = self._store(
            {
                "id": inv_id,
                "object": "invoice",
                "account_country": "ES",
                "account_name": "cplatform test",
                "amount_due": total,
                "amount_overpaid": 0,
                "amount_paid": total if paid else 0,
                "amount_remaining": 0 if paid else total,
                "amount_shipping": 0,
                "attempt_count": 1,
                "attempted": True,
                "auto_advance": not paid,
                "automatic_tax": {
                    "disabled_reason": None,
                    "enabled": False,
                    "liability": None,
                    "status": None,
                },
                "billing_reason": reason,
                "collection_method": "charge_automatically",
                "created": now,
                "currency": sub["currency"],
                "customer": sub["customer"],
                "customer_address": None,
                "customer_email": customer["email"],
                "customer_name": customer["name"],
                "customer_phone": None,
                "customer_shipping": None,
                "customer_tax_exempt": "none",
                "default_payment_method": None,
                "description": None,
                "discounts": [],
                "due_date": None,
                "effective_at": now,
                "ending_balance": 0,
                "footer": None,
                "hosted_invoice_url": f"https://invoice.stripe.com/i/standin/{inv_id}",
                "invoice_pdf": f"https://pay.stripe.com/invoice/standin/{inv_id}/pdf",
                "issuer": {"type": "self"},
                "last_finalization_error": None,
                "lines": list_object(f"/v1/invoices/{inv_id}/lines", lines),
                "livemode": False,
                "metadata": {},
                "next_payment_attempt": None if paid else now + 86400 * 3,
                "number": f"{customer['invoice_prefix']}-{sequence:04d}",
                "parent": {
                    "quote_details": None,
                    "subscription_details": {
                        "metadata": dict(sub["metadata"]),
                        "subscription": sub["id"],
                    },
                    "type": "subscription_details",
                },
                "period_end": now,
                "period_start": now,
                "post_payment_credit_notes_amount": 0,
                "pre_payment_credit_notes_amount": 0,
                "receipt_number": None,
                "starting_balance": 0,
                "statement_descriptor": None,
                "status": "paid" if paid else "open",
                "status_transitions": {
                    "finalized_at": now,
                    "marked_uncollectible_at": None,
                    "paid_at": now if paid else None,
                    "voided_at": None,
                },
                "subtotal": total,
                "subtotal_excluding_tax": total,
                "test_clock": None,
                "total": total,
                "total_discount_amounts": [],
                "total_excluding_tax": total,
                "total_taxes": [],
                "webhooks_delivered_at": now,
            }
        )
        if paid:
            pi = self._payment_intent(
                total,
                sub["currency"],
                sub["customer"],
                {},
                description="Subscription update"
                if reason != "subscription_create"
                else "Subscription creation",
            )
            self._charge(pi, pm)
            invoice["payments"] = list_object(
                f"/v1/invoice_payments?invoice={inv_id}",
                [
                    {
                        "id": self.new_id("inpay"),
                        "object": "invoice_payment",
                        "amount_paid": total,
                        "amount_requested": total,
                        "created": now,
                        "currency": sub["currency"],
                        "invoice": inv_id,
                        "is_default": True,
                        "livemode": False,
                        "payment": {"payment_intent": pi["id"], "type": "payment_intent"},
                        "status": "paid",
                        "status_transitions": {"canceled_at": None, "paid_at": now},
                    }
                ],
            )
        else:
            invoice["payments"] = list_object(f"/v1/invoice_payments?invoice={inv_id}", [])
        return invoice

    def invoice_paid(self, subscription_id: str) -> dict:
        """The next period is billed and paid: a new paid invoice and `invoice.paid`; the
        subscription's period moves on (and it is active again if it was past_due)."""
        with self.lock:
            sub = self._get(subscription_id, "subscription", "subscription")
            self._advance_period(sub)
            sub["status"] = "active"
            invoice = self._invoice(
                sub, "subscription_cycle", self.objects[sub["default_payment_method"]], paid=True
            )
            sub["latest_invoice"] = invoice["id"]
            return self.event("invoice.paid", invoice)

    def invoice_payment_failed(self, subscription_id: str) -> dict:
        """The renewal's card is declined: an open invoice, the subscription past_due,
        `invoice.payment_failed`."""
        with self.lock:
            sub = self._get(subscription_id, "subscription", "subscription")
            self._advance_period(sub)
            sub["status"] = "past_due"
            invoice = self._invoice(
                sub, "subscription_cycle", self.objects[sub["default_payment_method"]], paid=False
            )
            sub["latest_invoice"] = invoice["id"]
            return self.event("invoice.payment_failed", invoice)

    def _advance_period(self, sub: dict):
        for item_id in sub["_items"]:
            item = self.objects[item_id]
            price = self.objects[item["price"]]
            item["current_period_start"] = item["current_period_end"]
            item["current_period_end"] = _add_interval(
                item["current_period_start"], price["recurring"]
            )
        self._sync_sub_items(sub)

    def subscription_updated(
        self, subscription_id: str, previous_attributes: dict | None = None
    ) -> dict:
        """`customer.subscription.updated` with the subscription as it is now."""
        with self.lock:
            sub = self._get(subscription_id, "subscription", "subscription")
            return self.event("customer.subscription.updated", sub, previous_attributes or {})

    def subscription_deleted(self, subscription_id: str) -> dict:
        """The subscription ends (cancelled now, or at the end of its period): `customer.subscription.deleted`."""
        with self.lock:
            sub = self._get(subscription_id, "subscription", "subscription")
            if sub["status"] != "canceled":
                self.api_cancel_subscription({}, subscription_id)
            return self.event("customer.subscription.deleted", sub)


_NOT_VIRTUAL = object()


def _add_interval(start: int, recurring: dict) -> int:
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[recurring["interval"]]
    return start + days * 86400 * recurring.get("interval_count", 1)


class _Handler(BaseHTTPRequestHandler):
    server_standin: StripeStandin
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet: the request log is on the stand-in
        pass

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        standin = self.server_standin
        if self.path.startswith("/c/pay/") and self.command in ("GET", "POST"):
            return self._hosted_page(body)
        response = standin.handle(self.command, self.path, self.headers, body)
        payload = json.dumps(response.body).encode()
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Request-Id", "req_" + secrets.token_hex(7))
        self.send_header(
            "Stripe-Version", self.headers.get("Stripe-Version") or standin.api_version
        )
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _html(self, status: int, page: str, headers: dict | None = None):
        payload = page.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _hosted_page(self, body: bytes):
        """Stripe's hosted Checkout page, for browser journeys: GET shows the session with a Pay
        button; POST pays (complete_checkout), sends the webhook when `webhook_target` is set, and
        redirects to the success URL as Stripe does."""
        standin = self.server_standin
        session_id = urlsplit(self.path).path.rsplit("/", 1)[-1]
        with standin.lock:
            session = standin.objects.get(session_id)
            if session is None or session["object"] != "checkout.session":
                return self._html(
                    404, "<!doctype html><title>Not found</title><h1>No such session</h1>"
                )
            session = dict(session)
        if self.command == "GET":
            rows = "".join(
                f"<tr><td>{html.escape(i['description'])}</td><td>{i['quantity']}</td>"
                f"<td>{StripeStandin._money(i['amount_total'], i['currency'])}</td></tr>"
                for i in session["_line_items"]
            )
            cancel = session.get("cancel_url")
            state = session["status"]
            page = (
                '<!doctype html><html lang="en"><meta charset="utf-8"><title>Pay (Stripe stand-in)</title>'
                f"<main><h1>Checkout</h1><p>Test mode. Session {html.escape(session_id)}: {state}.</p>"
                f"<table><tr><th>Item</th><th>Quantity</th><th>Amount</th></tr>{rows}</table>"
                f"<p>Total: {StripeStandin._money(session['amount_total'] or 0, session['currency'] or 'eur')}</p>"
                + (
                    '<form method="post"><button type="submit">Pay</button></form>'
                    if state == "open"
                    else ""
                )
                + (f'<p><a href="{html.escape(cancel)}">Back</a></p>' if cancel else "")
                + "</main></html>"
            )
            return self._html(200, page)
        form = dict(parse_qsl(body.decode("utf-8")))
        try:
            event = standin.complete_checkout(session_id, async_payment=form.get("async") == "1")
        except ValueError as error:
            return self._html(
                409, f"<!doctype html><title>Not open</title><p>{html.escape(str(error))}</p>"
            )
        standin.send_webhook(event)
        target = (session["success_url"] or "").replace("{CHECKOUT_SESSION_ID}", session_id)
        return self._html(303, "", {"Location": target})

    do_GET = do_POST = do_DELETE = _serve
