"""Every page each role's crawl reaches (tests/browser/crawl.py): axe-core finds no WCAG
2.0/2.1 A or AA violation, and at 390 px and 320 px the page does not scroll sideways, no
element sticks out of its card, tables scroll in their own named, focusable region and
cards never overlap (the card checks run at 1280 px too). Screenshots of each page at
1280 px and 390 px go to tests/_artifacts/screens/<test>/."""

import pytest

from tests.browser import crawl
from tests.browser.conftest import BROWSER, log_in

pytestmark = BROWSER
pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")

# Views each role's crawl must reach, so a broken start page cannot pass as "no violations".
MUST_REACH = {
    "coordinator": {
        "home",
        "reports:dashboard",
        "devices:donor_list",
        "devices:donor_detail",
        "clients:milestone_list",
        "clients:supportpoint_list",
        "accounts:user_list",
        "accounts:user_detail",
        "devices:workqueue",
        "devices:device_detail",
        "clients:client_detail",
    },
    "technician": {
        "home",
        "devices:batch_list",
        "devices:batch_detail",
        "devices:device_list",
        "devices:device_detail",
        "devices:workqueue",
    },
    "coach": {
        "home",
        "clients:client_list",
        "clients:client_detail",
        "clients:waiting_list",
        "clients:overdue_loans",
    },
    "donor_user": {"home", "devices:batch_list", "devices:batch_detail"},
}


@pytest.fixture
def data(donor, other_donor, technician, coach, coordinator):
    return crawl.build_data(
        donor=donor,
        other_donor=other_donor,
        technician=technician,
        coach=coach,
        coordinator=coordinator,
    )


def _check_page(shot, violations, layout):
    def check(page, visit):
        violations.extend(crawl.run_axe(page))
        layout.extend(crawl.layout_problems(page, 1280))
        shot(f"{visit.view} 1280")
        for width in crawl.PHONE_WIDTHS:
            layout.extend(crawl.layout_problems(page, width))
            if width == 390:
                shot(f"{visit.view} 390")

    return check


@pytest.mark.parametrize("role", sorted(MUST_REACH))
def test_every_page_of_a_role_passes_axe_and_fits_a_phone(
    role, request, page, shot, live_server, data
):
    log_in(page, request.getfixturevalue(role))
    violations, layout = [], []
    result = crawl.crawl(page, live_server.url, _check_page(shot, violations, layout))

    missing = MUST_REACH[role] - {visit.view for visit in result.visits}
    assert not missing, f"the crawl did not reach {missing}; it found {result.problems}"
    crawl.assert_none(
        ("links that failed", result.problems),
        ("axe violations", violations),
        ("layout problems", layout),
    )


def test_forms_shown_with_errors_pass_axe_and_fit_a_phone(page, shot, coordinator, data):
    log_in(page, coordinator)
    violations, layout = [], []
    for name, url in crawl.error_forms(data):
        crawl.submit_empty(page, url)
        violations.extend(crawl.run_axe(page))
        shot(f"{name} with errors 1280")
        for width in crawl.PHONE_WIDTHS:
            layout.extend(crawl.layout_problems(page, width))
        shot(f"{name} with errors 320")
    crawl.assert_none(("axe violations", violations), ("layout problems", layout))


def test_pages_before_logging_in_pass_axe_and_fit_a_phone(page, shot, coordinator):
    violations, layout = [], []
    for name, url in crawl.ANONYMOUS_PAGES:
        page.set_viewport_size(crawl.DESKTOP)
        page.goto(url)
        if name == "login-failed":
            crawl.fail_log_in(page, coordinator)
        violations.extend(crawl.run_axe(page))
        shot(f"{name} 1280")
        for width in crawl.PHONE_WIDTHS:
            layout.extend(crawl.layout_problems(page, width))
        shot(f"{name} 320")
    crawl.assert_none(("axe violations", violations), ("layout problems", layout))


def test_the_checks_find_what_they_look_for(page):
    """axe-core and the layout check report a known fault, so their silence above means
    something: an image without alt text, a table that widens the page and its card."""
    page.set_viewport_size({"width": 320, "height": 600})
    page.set_content(
        '<html lang="fi"><head><title>t</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<section class="card"><table><tr><td style="min-width: 600px">x</td></tr></table>'
        "</section></main></body></html>"
    )
    assert any(" image-alt " in line for line in crawl.run_axe(page))
    layout = crawl.layout_problems(page, 320)
    assert any("page is" in line for line in layout), layout
    assert any("sticks out of section.card" in line for line in layout), layout
