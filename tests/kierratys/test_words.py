"""What pages and documents say, read as their reader reads them (issue 16, "What pages say").

One date form everywhere (1.12.2026, kierratys/formats), units and language names in the
right language, references that do not break, a colon-free checkbox label, a past year's
report that names its year, and a login page that says the user has logged out.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone, translation

from clients.letters import loan_reminder_letter_pdf
from kierratys.logout import LOGGED_OUT
from reports.documents import donor_report_pdf
from reports.selectors import donor_year_report
from tests.factories import make_batch, make_client, make_device
from tests.kierratys.programme import clock, moment
from tests.kierratys.test_production_documents import People, lent
from tests.support import one_line, pdf_text

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def in_language(client, language):
    """The test client as a user who picked `language` with the switcher."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page_text(response):
    assert response.status_code == 200
    html = response.content.decode()
    # The words a reader sees: tags dropped, entities of the few kinds used here resolved.
    text = re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", NBSP)
    return " ".join(text.replace(NBSP, "\0").split()).replace("\0", NBSP)


@pytest.fixture
def january_device(donor, technician):
    """A laptop of 16 GB memory and 256 GB storage logged on 5 January 2026."""
    with clock(moment(5, 1, 2026)):
        batch = make_batch(donor, technician, declared_count=1)
        return make_device(batch, technician, ram_gb=16, storage_gb=256)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_device_page_writes_dates_without_leading_zeros_in_every_language(
    technician_client, january_device, language
):
    url = reverse("devices:device_detail", args=[january_device.inventory_code])
    text = page_text(in_language(technician_client, language).get(url))

    assert "5.1.2026" in text
    assert "05.01.2026" not in text and "2026-01-05" not in text


@pytest.mark.parametrize(
    ("language", "memory", "other"),
    [("fi", "16 Gt", "GB"), ("sv", "16 GB", "Gt"), ("en", "16 GB", "Gt")],
)
def test_sizes_are_written_with_the_unit_of_the_page_language(
    technician_client, january_device, language, memory, other
):
    url = reverse("devices:device_detail", args=[january_device.inventory_code])
    text = page_text(in_language(technician_client, language).get(url))

    assert memory.replace(" ", NBSP) in text
    assert f"256{NBSP}{memory[-2:]}" in text
    assert f"16{NBSP}{other}" not in text and f"256{NBSP}{other}" not in text


def test_a_letter_is_dated_in_the_same_form(donor, technician, coach):
    loan = lent(People(donor, technician, coach))
    text = one_line(pdf_text(loan_reminder_letter_pdf(loan, today=datetime.date(2027, 1, 5))))

    assert "5.1.2027" in text
    assert "05.01.2027" not in text


def test_every_language_is_named_in_its_own_language_and_marked_as_such(coach_client, coach):
    client = make_client(coach, name="Aino Asiakas", language="fi")
    in_language(coach_client, "sv")

    detail = coach_client.get(reverse("clients:client_detail", args=[client.code]))
    assert '<dd lang="fi">suomi</dd>' in detail.content.decode()
    form = coach_client.get(reverse("clients:client_edit", args=[client.code])).content.decode()
    for code, name in (("fi", "suomi"), ("sv", "svenska"), ("en", "English")):
        assert re.search(rf'<option value="{code}"[^>]*lang="{code}"[^>]*>{name}</option>', form)
    with translation.override("sv"):
        assert [name for _code, name in settings.LANGUAGES] == ["suomi", "svenska", "English"]


def test_logging_out_lands_on_a_login_page_that_says_so(coach_client):
    assert str(LOGGED_OUT) not in page_text(coach_client.get(reverse("home"), follow=True))

    response = coach_client.post(reverse("logout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Olet kirjautunut ulos." in page_text(response)
    # Said once: the next visit to the login page is a plain login page.
    assert "Olet kirjautunut ulos." not in page_text(coach_client.get(reverse("login")))


def test_the_certificate_checkbox_label_has_no_stray_colon(donor_client):
    text = page_text(donor_client.get(reverse("devices:batch_register")))

    assert "Haluaa tyhjennystodistuksen" in text
    assert "Haluaa tyhjennystodistuksen:" not in text


def test_references_never_break_at_their_hyphens(technician_client, donor, technician):
    batch = make_batch(donor, technician)
    html = technician_client.get(reverse("devices:batch_list")).content.decode()

    assert re.search(rf'class="ref"[^>]*>{re.escape(batch.reference)}<', html)
    stylesheet = open(finders.find("css/app.css"), encoding="utf-8").read()
    assert re.search(r"\.ref\s*\{\s*white-space:\s*nowrap;", stylesheet)


def test_a_past_years_empty_donor_report_names_its_year_not_this_year(donor):
    last_year = timezone.localdate().year - 1
    text = one_line(pdf_text(donor_report_pdf(donor_year_report(donor, last_year))))

    assert f"Ei lahjoituseriä vuonna {last_year}." in text
    assert f"Lahjoittamanne laitteet vuonna {last_year}" in text
    assert "tänä vuonna" not in text
