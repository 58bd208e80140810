"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a journey lands on is checked with axe-core (0 serious or critical violations) and for
what Chromium reported about the Content-Security-Policy and Permissions-Policy (nothing); the
`page` fixture fails the test at teardown if a visited page was never checked.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect, sync_playwright

from tests.authentication.factories import PASSWORD
from tests.clock import suite_instant

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 10_000

_axe = Axe()
# axe's defaults plus the experimental rule Wagtail's editor checker also runs (bold text posing as a heading).
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"p-as-heading": {"enabled": True}}}


# Every frame reports the policy violations it sees (the page's own script could not: it is the
# policy that is being checked); Chromium also writes them, and header errors, to the console.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(
    `${event.disposition}: ${event.effectiveDirective} refused ${event.blockedURI || "inline"}` +
    ` in ${event.documentURI} (${event.sourceFile}:${event.lineNumber})`
  );
});
"""
_POLICY_MESSAGE = re.compile(r"Content Security Policy|Permissions[- ]Policy", re.I)


class PolicyViolations:
    """What Chromium said about the Content-Security-Policy and Permissions-Policy in one browser
    context: `securitypolicyviolation` events of every frame and the console's policy messages."""

    def __init__(self, context):
        self.seen: list[str] = []
        context.expose_function("__cspViolation", lambda text: self.seen.append(text))
        context.add_init_script(_CSP_LISTENER)
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)

    def _watch(self, page) -> None:
        page.on("console", self._console)

    def _console(self, message) -> None:
        if _POLICY_MESSAGE.search(message.text):
            self.seen.append(f"console {message.type}: {message.text}")

    def take(self) -> list[str]:
        """What was reported since the last call."""
        seen, self.seen[:] = list(self.seen), []
        return seen


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the e2e package. Not session-wide: while Playwright's sync API is open the
    main thread looks like it runs an event loop, which would trip later non-browser tests."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `apt-get install chromium` (make test does it as root)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def new_context(browser, **kwargs):
    """A browser context whose pages share the suite's clock: when the suite runs at TEST_NOW
    (tests/clock.py), the pages' Date, timers and performance start at the same instant as the
    server's clock (and tick on), so countdowns and "today" agree on both sides."""
    context = browser.new_context(**kwargs)
    if suite_instant() is not None and kwargs.get("java_script_enabled", True):
        context.clock.install(time=time.time())  # time-machine's clock: the suite's instant
    return context


# What makes the page wider than a 375 px screen: the document's scroll width and the widest
# elements that stick out past the right edge (to name the culprit in the failure).
_OVERFLOW = """
() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const culprits = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits};
}
"""
# Same-site links of the page outside the language switcher, as paths (a link whose hreflang says
# it leads to a page in another language, labelled so, is not one that drops the reader silently).
_LINKS = """
() => [...document.querySelectorAll("a[href]")]
  .filter((a) => !a.closest(".language-switcher") && a.origin === location.origin)
  .filter((a) => !a.hreflang || a.hreflang === document.documentElement.lang)
  .map((a) => a.pathname)
"""
# Addresses that are not pages in a language: files, feeds, the APIs, the admin, documents.
_LANGUAGELESS = (
    "/static/",
    "/media/",
    "/documents/",
    "/admin/",
    "/django-admin/",
    "/api/",
    "/_allauth/",
    "/calendar/",
    "/stripe/",
    "/i18n/",
    "/sitemap.xml",
    "/robots.txt",
)


def _is_english_page(path: str) -> bool:
    return not (path == "/es" or path.startswith("/es/") or path.startswith(_LANGUAGELESS))


class Journey:
    """A page plus the bookkeeping every journey needs: axe on each page, screenshots, login."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.violations = PolicyViolations(page.context)
        page.on("framenavigated", self._record)

    def _record(self, frame) -> None:
        if frame == self.page.main_frame and frame.url.startswith(self.base_url):
            self.visited.append(self._path(frame.url))

    def _path(self, url: str) -> str:
        return url.removeprefix(self.base_url).split("#")[0] or "/"

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> None:
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        self.check_a11y()

    def check_a11y(self) -> None:
        """Run axe-core on the current page; fail on any serious or critical violation, and on any
        policy violation Chromium reported since the last check."""
        self.page.wait_for_load_state("load")
        results = _axe.run(self.page, options=AXE_OPTIONS)
        blocking = [
            v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS
        ]
        path = self._path(self.page.url)
        report = "\n".join(
            f"- [{v['impact']}] {v['id']}: {v['help']}\n"
            + "\n".join(f"    {n['target']}: {n.get('failureSummary', '')}" for n in v["nodes"][:5])
            for v in blocking
        )
        assert not blocking, f"axe found serious/critical violations on {path}:\n{report}"
        violations = self.violations.take()
        assert not violations, f"policy violations up to {path}:\n" + "\n".join(violations)
        self.check_layout_and_language(path)
        self.checked.add(path)

    def check_layout_and_language(self, path: str) -> None:
        """Every checked page: nothing scrolls sideways on a 375 px phone, and a Spanish page links
        only to Spanish pages (the language switcher and addresses that have no language aside)."""
        viewport = self.page.viewport_size
        if viewport != PHONE:
            self.page.set_viewport_size(PHONE)
        overflow = self.page.evaluate(_OVERFLOW)
        if viewport != PHONE:
            self.page.set_viewport_size(viewport)
        assert not overflow, f"{path} scrolls sideways at 375 px: {overflow}"
        if path == "/es" or path.startswith("/es/"):
            english = [href for href in self.page.evaluate(_LINKS) if _is_english_page(href)]
            assert not english, f"{path} (Spanish) links to English pages: {english}"

    def screenshot(self, name: str) -> None:
        """Save the final page at desktop and phone widths (test-artifacts/<name>-desktop/phone.png)."""
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"{name}-desktop.png", full_page=True)
        self.page.set_viewport_size(PHONE)
        self.check_a11y()  # the phone layout shows other elements (menu button): check it too
        self.page.screenshot(path=ARTIFACTS / f"{name}-phone.png", full_page=True)
        self.page.set_viewport_size(DESKTOP)

    def submit(self, button_name: str | re.Pattern, *, within=None) -> None:
        """Click a submit button, wait for the next page and check it."""
        scope = within if within is not None else self.page.locator("main")
        with self.page.expect_navigation():
            scope.get_by_role("button", name=button_name).click()
        self.check_a11y()

    def login(self, email: str, password: str = PASSWORD) -> None:
        self.goto("/auth/login/")
        form = self.page.locator("main form")
        form.get_by_label(re.compile("^Email", re.I)).fill(email)
        form.get_by_label(re.compile("^Password", re.I)).fill(password)
        self.submit(re.compile("^Sign in$", re.I))
        expect(self.page.locator("header")).to_contain_text(re.compile("Log out", re.I))

    def logout(self) -> None:
        header = self.page.locator("header")
        with self.page.expect_navigation():
            header.get_by_role("button", name=re.compile("Log out|Cerrar sesión", re.I)).click()
        self.check_a11y()

    def unchecked_pages(self) -> list[str]:
        return [path for path in dict.fromkeys(self.visited) if path not in self.checked]


@pytest.fixture
def journey(browser, live_server):
    context = new_context(browser, viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    run = Journey(page, live_server.url)
    yield run
    context.close()
    assert not run.unchecked_pages(), f"pages visited without an axe check: {run.unchecked_pages()}"
