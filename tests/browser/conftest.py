"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

- They skip, with the reason stated, when /usr/bin/chromium (or `chromium` on PATH) is absent
  or the playwright package cannot be imported. `playwright install` is never run: the tests
  use the system browser through `executable_path`.
- The live server runs the app in another thread of this process, so Django's async-safety
  check is switched off (DJANGO_ALLOW_ASYNC_UNSAFE) while a module's browser is open, and
  only then; the database is transactional, with the role groups put back before each test.
  The browser tests run after every other test (see pytest_collection_modifyitems).
- Every step saves a screenshot to tests/_artifacts/screens/<test>/NN-step.png (git-ignored).
  Each test removes its own folder when it starts, so the folder always holds the last run's
  screenshots for a person to look at; nothing else cleans them up.
"""

import importlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SCREENS = Path(__file__).resolve().parent.parent / "_artifacts" / "screens"
CHROMIUM = shutil.which("chromium") or shutil.which("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PDFTOPPM = shutil.which("pdftoppm")
PASSWORD = "test-pass-1234"  # what tests/conftest.py make_user gives every user

# Each test module sets this as its pytestmark: marks written in the module (not added by a
# hook) are what pytest-django sees when it orders transactional tests last.
BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Skip with the reason when the browser is missing; run the browser tests last.

    They flush the database (transactional tests), which removes the role groups of the
    data migration; put last, no test that expects those groups runs after them.
    """
    reason = None
    if sync_playwright is None:
        reason = "the playwright package is not installed (pip install -e '.[test]')"
    elif CHROMIUM is None:
        reason = "Chromium is not installed (apt-get install chromium)"
    here = Path(__file__).resolve().parent
    browser = [item for item in items if Path(item.fspath).resolve().parent == here]
    if reason:
        for item in browser:
            item.add_marker(pytest.mark.skip(reason=reason))
    others = [item for item in items if item not in browser]
    items[:] = others + browser


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """Put back the role groups of the data migration if a transactional test flushed them
    (the migration's own function is idempotent)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from kierratys import roles

    if Group.objects.filter(name__in=roles.ROLES).count() < len(roles.ROLES):
        importlib.import_module("kierratys.migrations.0002_roles").create_roles(apps, None)


@pytest.fixture(scope="module")
def chromium():
    # Playwright's sync API keeps an event loop running in this thread, and the app runs in
    # the live server's thread: Django's async-safety check must be off meanwhile. Both are
    # undone after each module, so no other test (nor a `check --deploy` subprocess) sees them.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fi-FI"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


class Screens:
    """Numbered screenshots of one test: NN-step.png."""

    def __init__(self, page, folder):
        self.page, self.folder, self.count = page, folder, 0

    def _path(self, step):
        self.count += 1
        name = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        return self.folder / f"{self.count:02d}-{name}.png"

    def __call__(self, step):
        self.page.screenshot(path=self._path(step), full_page=True)

    def pdf(self, step, data):
        """The PDF's first page as the step's picture (the browser's viewer renders late)."""
        if not PDFTOPPM:
            return self(step)
        path = self._path(step)
        source = path.with_suffix(".pdf")
        source.write_bytes(data)
        subprocess.run(
            [
                PDFTOPPM,
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                source,
                path.with_suffix(""),
            ],
            check=True,
        )
        source.unlink()


@pytest.fixture
def shot(request, page):
    folder = SCREENS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Screens(page, folder)


def log_in(page, user):
    """Log in through the real login form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/$"))


def open_pdf(page, link):
    """Click a PDF link as a person would; return (response headers' content type, PDF bytes).

    Chromium shows the PDF in its own viewer, whose response body is the viewer's HTML, so
    the bytes are fetched again with the page's cookies. The page is left on the viewer.
    """
    with page.expect_response(lambda response: response.request.is_navigation_request()) as info:
        link.click()
    response = info.value
    assert response.status == 200, f"{response.url} answered {response.status}"
    page.wait_for_load_state()
    body = page.request.get(response.url).body()
    return response.headers.get("content-type"), body
