"""Limits on password guessing, kept where passwords are checked.

Every password check made for a web request is reserved first, atomically, on the counters it is
charged to, so N simultaneous guesses never check more passwords than the limit:

- `LoginLimitBackend` (first in AUTHENTICATION_BACKENDS) reserves each `authenticate()` call on the
  credentials the backends after it are given: every login door (site, headless, both admins),
  allauth's reauthentication, and any other caller. Over the limit it raises PermissionDenied,
  which stops `authenticate()` before any password is checked.
- `User.check_password` reserves the checks made outside `authenticate()`: the current password
  asked when changing it (allauth, Wagtail's account page, Django's admin).

The counters belong to the account the backends check, whichever of its addresses, in whatever
case, named it; a name that matches no account is counted as itself, so the answers never tell
which accounts exist. Each attempt is charged to the account from this address
(LOGIN_FAILURE_LIMIT), the account from anywhere (LOGIN_ACCOUNT_FAILURE_LIMIT) and the address over
all accounts (LOGIN_ADDRESS_FAILURE_LIMIT), within LOGIN_FAILURE_WINDOW seconds. A wrong password
keeps its reservation; anything else gives it back. `LoginRateLimitMiddleware` answers a refused
request with 429 and Retry-After.
"""

import contextlib
import hashlib
import ipaddress
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q

from cplatform.api_http import serving_request

_ATTEMPTS = "_password_attempts"  # this request's attempts, in order
_CHECKED = "_passwords_checked"  # this request's checks outside authenticate(), and their answers
# Credentials that are secrets rather than names (as django.contrib.auth hides them from signals).
_SECRET = re.compile("api|token|key|secret|password|signature", re.IGNORECASE)

SIGN_IN = "sign-in"  # authenticate(): signing in, or confirming who you are
STANDALONE = "standalone"  # a password checked on its own: the current one, when changing it


@dataclass
class Attempt:
    """One password check: the counters it holds a reservation on, and how it ended."""

    kind: str
    accounts: set[str] = field(default_factory=set)
    keys: list[str] = field(default_factory=list)
    open: bool = True  # its outcome is not known yet
    failed: bool = False  # a wrong password: the reservation stays counted
    retry_after: int | None = None  # refused before any check: seconds until it may be tried


def _key(kind: str, value: str) -> str:
    return f"login-failures:{kind}:" + hashlib.sha256(value.encode()).hexdigest()


def client_ip(request) -> str:
    """The client's address as allauth sees it (ALLAUTH_TRUSTED_PROXY_COUNT / _CLIENT_IP_HEADER behind
    a proxy), so our limit and allauth's own rate limits count the same person."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return request.META.get("REMOTE_ADDR", "")


def _client_network(request) -> str:
    """The address counted against: an IPv6 client owns its whole /64 (as allauth's rate limits
    count it), or it could step through addresses of its own network."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    return address


def _account(user_id) -> str:
    return f"user {user_id}"


def _accounts_named(credentials: dict) -> set[str]:
    """The accounts the authentication backends will check for these credentials: every name
    given (whatever the field: `username` for Django's and Wagtail's admin forms, `email` for
    allauth, and any other), matched as the backends match it: the user's email or any of their
    allauth addresses, in any case. A name that matches nobody is counted as itself."""
    names = {
        value.strip().lower()
        for name, value in credentials.items()
        if isinstance(value, str) and not _SECRET.search(name) and value.strip()
    }
    accounts = set()
    for name in names:
        users = (
            get_user_model()
            .objects.filter(Q(email__iexact=name) | Q(emailaddress__email__iexact=name))
            .values_list("pk", flat=True)
            .distinct()
        )
        accounts |= {_account(pk) for pk in users} or {f"name {name}"}
    return accounts


def _take(key: str, window: int) -> int:
    """One more on the counter, atomically (cache.add and cache.incr are atomic on Redis and on the
    local-memory cache); the window starts with the counter's first attempt."""
    while True:
        if cache.add(key, 1, timeout=window):
            cache.set(f"{key}:start", time.time(), timeout=window)
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # the window ended between add and incr: start the next one
            continue


def _give_back(attempt: Attempt) -> None:
    for key in attempt.keys:
        with contextlib.suppress(ValueError):  # the window has ended meanwhile
            cache.decr(key)
    attempt.keys = []


def _seconds_left(key: str, window: int) -> int:
    start = cache.get(f"{key}:start")
    now = time.time()
    if start is None:
        # A counter whose window record is gone (Redis's INCR on a key that expired a moment before
        # keeps no expiry): give it a window now, so no block lasts longer than one window.
        cache.touch(key, window)
        cache.set(f"{key}:start", now, timeout=window)
        start = now
    return max(1, math.ceil(start + window - now))


def _reserve(request, attempt: Attempt, accounts: set[str], *, address: bool) -> bool:
    """Reserve the attempt on its address (once) and on each account it did not hold yet. Over any
    limit, everything it holds is given back and it is refused (False)."""
    window = settings.LOGIN_FAILURE_WINDOW
    network = _client_network(request)
    counters = [(_key("ip", network), settings.LOGIN_ADDRESS_FAILURE_LIMIT)] if address else []
    for account in sorted(accounts - attempt.accounts):
        counters.append((_key("account", account), settings.LOGIN_ACCOUNT_FAILURE_LIMIT))
        counters.append((_key("account-ip", f"{account} {network}"), settings.LOGIN_FAILURE_LIMIT))
    attempt.accounts |= accounts
    full = []
    for key, limit in counters:
        attempt.keys.append(key)
        if _take(key, window) > limit:
            full.append(key)
    if not full:
        return True
    _give_back(attempt)
    attempt.retry_after = max(_seconds_left(key, window) for key in full)
    return False


def _attempts(request) -> list[Attempt]:
    return request.__dict__.setdefault(_ATTEMPTS, [])


def _open_attempt(request) -> Attempt | None:
    attempts = _attempts(request)
    return attempts[-1] if attempts and attempts[-1].open else None


def _close_succeeded(request) -> None:
    """The last attempt is still open when the next begins: its authenticate() returned a user
    (a failure closes it through user_login_failed), so its reservation goes back."""
    attempt = _open_attempt(request)
    if attempt is not None:
        attempt.open = False
        _give_back(attempt)


def login_attempt_begin(*, request, credentials: dict) -> None:
    """`authenticate()` is about to check these credentials (LoginLimitBackend, before every other
    backend): reserve the attempt, or raise PermissionDenied to stop it before any password is
    checked (authenticate() then sends user_login_failed, which does not count it again)."""
    _close_succeeded(request)
    attempt = Attempt(kind=SIGN_IN)
    _attempts(request).append(attempt)
    if not _reserve(request, attempt, _accounts_named(credentials), address=True):
        raise PermissionDenied


def login_attempt_failed(*, request) -> None:
    """`authenticate()` found no user (the user_login_failed receiver): a reserved attempt keeps its
    reservation; a refused one was never checked and holds nothing."""
    request = serving_request() or request
    if request is None:
        return
    attempt = _open_attempt(request)
    if attempt is None:
        return
    attempt.open = False
    attempt.failed = attempt.retry_after is None


def password_check(*, user, raw_password, check: Callable[[], bool]) -> bool:
    """`User.check_password`: run `check` under the limit of the user's account. Inside an
    authenticate() attempt that holds the account already, it is that attempt's check; otherwise
    (the current password when changing it, or an account the attempt did not name) the check is
    reserved first, and refused (False, unchecked) over the limit."""
    request = serving_request()
    if request is None or user.pk is None:
        return check()
    account = _account(user.pk)
    attempt = _open_attempt(request)
    if attempt is not None:
        if attempt.retry_after is not None:
            return False
        if account in attempt.accounts:
            return check()
        # An account the names did not lead to: the open attempt is charged for it as well.
        return _reserve(request, attempt, {account}, address=False) and check()
    # The same password for the same account again within one request is the same guess (Wagtail's
    # account page validates its forms twice when one is invalid): answered as the first time.
    checked = request.__dict__.setdefault(_CHECKED, {})
    guess = (account, hashlib.sha256(str(raw_password).encode()).hexdigest())
    if guess in checked:
        return checked[guess]
    attempt = Attempt(kind=STANDALONE)
    _attempts(request).append(attempt)
    ok = _reserve(request, attempt, {account}, address=True) and check()
    attempt.open = False
    if attempt.retry_after is None:
        if ok:
            _give_back(attempt)
        else:
            attempt.failed = True
    checked[guess] = ok
    return ok


def settle_attempts(request) -> Attempt | None:
    """Once a request is answered (LoginRateLimitMiddleware): the password checks made meanwhile
    were counted for it; every attempt that was not a wrong password gives its reservation back.
    Returns the attempt refused for being over a limit, if any (the longest wait)."""
    attempts = request.__dict__.get(_ATTEMPTS)
    if not attempts:  # most requests check no password
        return None
    for attempt in attempts:
        attempt.open = False
        if not attempt.failed:
            _give_back(attempt)
    refused = [a for a in attempts if a.retry_after is not None]
    return max(refused, key=lambda a: a.retry_after) if refused else None


class LoginLimitBackend:
    """First in AUTHENTICATION_BACKENDS: authenticates nobody, but reserves every authenticate()
    call before the backends after it check a password, and stops it over the limit. It has no
    `get_user`, so sessions keep naming the backend that authenticated them."""

    def authenticate(self, request, **credentials):
        # The request being answered, whatever object the caller handed on: the middleware settles
        # and answers what is recorded on it.
        request = serving_request() or request
        if request is not None:
            login_attempt_begin(request=request, credentials=credentials)
        return None

    async def aauthenticate(self, request, **credentials):
        return await sync_to_async(self.authenticate)(request, **credentials)
