"""The handover trap, walked in a browser: a loan without its due date is refused, and the
form shown again keeps "laina" ticked, so typing the due date cannot silently record a gift.
The confirmation step shows what will be printed; no receipt number is used before it."""

import datetime

import pytest
from django.utils import timezone

from clients import services
from clients.models import Client, Handover
from kierratys.models import YearlySequence
from tests import factories
from tests.browser import crawl
from tests.browser.conftest import BROWSER, log_in
from tests.support import shown_date

pytestmark = BROWSER
expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).expect


def _receipt_numbers_used():
    sequence = YearlySequence.objects.filter(name=services.RECEIPT_SEQUENCE).first()
    return sequence.last_number if sequence else 0


class PageChecks:
    """axe-core, the layout at 390 px and the Nu checker on the pages only a POST reaches
    (the crawls follow links and never see them): the form shown again, the confirmation."""

    def __init__(self, page, shot, folder):
        self.page, self.shot, self.folder = page, shot, folder
        self.axe, self.layout = [], []

    def post(self, button, name):
        """Click a button that posts, keep the HTML the server sent, check the page."""
        with self.page.expect_response(lambda r: r.request.method == "POST") as sent:
            self.page.get_by_role("button", name=button).click()
        (self.folder / f"{name}.html").write_text(sent.value.text(), encoding="utf-8")
        self.page.wait_for_load_state()
        if crawl.Axe is not None:
            self.axe += crawl.run_axe(self.page)
        self.layout += crawl.layout_problems(self.page, 390)
        self.shot(f"{name} at 390 px")
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def assert_clean(self):
        nu = crawl.nu_errors(self.folder) if crawl.JAVA is not None else []
        crawl.assert_none(
            ("axe violations", self.axe), ("layout problems", self.layout), ("Nu errors", nu)
        )


def test_a_loan_refused_for_its_due_date_stays_a_loan_and_is_confirmed_first(
    page, shot, tmp_path, coach, technician, donor
):
    checks = PageChecks(page, shot, tmp_path)
    client = factories.make_eligible_client(coach, name="Lauri Lainaaja")
    device = factories.make_ready_device(
        factories.make_batch(donor, technician), technician, model="ThinkPad T490"
    )
    handover = services.handover_reserve(client=client, device=device, actor=coach)
    factories.prepare_for_handover(handover, coach)
    log_in(page, coach)
    page.goto(client.get_absolute_url())

    # Nothing is ticked: the coach has to say gift or loan.
    kinds = page.locator("input[name=kind]")
    assert kinds.count() == 2
    for index in range(kinds.count()):
        expect(kinds.nth(index)).not_to_be_checked()
    shot("handover form, nothing ticked")

    # A loan without its due date: refused on the form, and "laina" is still ticked.
    page.check("input[name=kind][value=loan]")
    checks.post("Tarkista ja vahvista", "loan refused")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Kirjaa lainalle palautuspäivä")
    expect(summary).to_be_focused()
    assert page.title().startswith("Virhe")
    expect(page.locator("input[name=kind][value=loan]")).to_be_checked()
    expect(page.locator("input[name=kind][value=gift]")).not_to_be_checked()
    shot("loan refused: due date missing")
    assert _receipt_numbers_used() == 0

    # Typing the due date alone (without ticking again) goes on as a loan.
    due = timezone.localdate() + datetime.timedelta(days=21)
    page.locator("input[name=due_date]").fill(due.isoformat())
    checks.post("Tarkista ja vahvista", "confirmation")
    confirmation = page.locator(".handover-confirmation")
    expect(confirmation).to_contain_text(client.code)
    expect(confirmation).to_contain_text(device.inventory_code)
    expect(confirmation).to_contain_text("laina")
    expect(confirmation).to_contain_text(shown_date(due))
    expect(confirmation).to_contain_text(shown_date(timezone.localdate()))
    expect(page.get_by_role("button", name="Takaisin")).to_be_visible()
    shot("handover confirmation")
    handover.refresh_from_db()
    assert handover.status == Handover.Status.RESERVED and handover.receipt_number is None
    assert _receipt_numbers_used() == 0

    # "Takaisin" shows the terms again as typed; then a gift with a due date is refused.
    page.get_by_role("button", name="Takaisin").click()
    expect(page.locator("input[name=kind][value=loan]")).to_be_checked()
    expect(page.locator("input[name=due_date]")).to_have_value(due.isoformat())
    page.check("input[name=kind][value=gift]")
    page.get_by_role("button", name="Tarkista ja vahvista").click()
    expect(page.locator(".error-summary")).to_contain_text("Lahjalla ei ole palautuspäivää")
    expect(page.locator("input[name=due_date]")).to_have_value(due.isoformat())
    shot("gift with a due date refused")
    assert _receipt_numbers_used() == 0

    # Back to a loan, confirmed: only now is the receipt numbered.
    page.check("input[name=kind][value=loan]")
    page.get_by_role("button", name="Tarkista ja vahvista").click()
    page.get_by_role("button", name="Vahvista luovutus").click()
    expect(page.locator(".messages")).to_contain_text("Laite on luovutettu")
    shot("loan handed over")
    handover.refresh_from_db()
    assert handover.status == Handover.Status.HANDED_OVER
    assert (handover.kind, handover.due_date) == (Handover.Kind.LOAN, due)
    assert _receipt_numbers_used() == 1
    client.refresh_from_db()
    assert client.status == Client.Status.COACHING
    checks.assert_clean()
