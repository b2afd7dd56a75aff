"""Forms that say they failed (WCAG 3.3.1, 1.3.1, 4.1.2), read from the rendered HTML.

Each form is posted with errors the way a user makes them, and the page must show an error
summary (role=alert) whose links lead to fields that exist, put "Virhe: " before the title,
point every aria-describedby at elements that exist, describe each invalid widget by its
error, and never put a list inside a paragraph (the browser would split the paragraph and
show an error under the wrong field)."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from reports.forms import FILTER_DATES_REVERSED
from tests.factories import make_batch, make_client, make_milestones, milestone_form_data

# Elements that never have an end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Page(HTMLParser):
    """What these tests read from a page: ids, describedby references, the summary, nesting."""

    def __init__(self, html):
        super().__init__()
        self.ids = set()
        self.attributes = {}  # element id -> its attributes
        self.described = {}  # element id (or name) -> the ids it names in aria-describedby
        self.invalid = set()  # ids of widgets with aria-invalid="true"
        self.list_in_paragraph = []
        self.summaries = []  # the attributes of each error summary
        self.summary_links = []
        self.title = ""
        self._open = []
        self._in_summary = 0
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
            self.attributes[attrs["id"]] = attrs
        key = attrs.get("id") or attrs.get("name") or tag
        if attrs.get("aria-describedby"):
            self.described[key] = attrs["aria-describedby"].split()
        if attrs.get("aria-invalid") == "true":
            self.invalid.add(key)
        if tag in ("ul", "ol", "div", "fieldset") and "p" in self._open:
            self.list_in_paragraph.append((tag, key))
        if "data-error-summary" in attrs:
            self.summaries.append(attrs)
            self._in_summary = len(self._open) + 1
        if tag == "a" and self._in_summary:
            self.summary_links.append(attrs.get("href", ""))
        if tag == "title":
            self._in_title = True
        if tag not in VOID:
            self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open.pop() != tag:
                pass
        if self._in_summary and len(self._open) < self._in_summary:
            self._in_summary = 0
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def assert_says_it_failed(response):
    html = response.content.decode()
    page = Page(html)
    assert page.title.strip().startswith("Virhe: "), page.title
    assert len(page.summaries) == 1
    summary = page.summaries[0]
    assert summary["role"] == "alert" and summary["tabindex"] == "-1"
    assert "Lomakkeessa on virheitä" in html
    assert page.summary_links, "the summary links to the invalid fields"
    for href in page.summary_links:
        assert href.startswith("#") and href[1:] in page.ids, href
    for element, ids in page.described.items():
        missing = [name for name in ids if name not in page.ids]
        assert not missing, f"{element} is described by missing {missing}"
    # Every invalid widget (or its group) is described by its error list.
    for element in page.invalid:
        described = page.described.get(element, [])
        assert any(name.endswith("_error") for name in described), element
    assert not page.list_in_paragraph
    return page


@pytest.fixture
def milestones(db):
    return make_milestones()


def test_client_form_with_errors(coach_client):
    response = coach_client.post(reverse("clients:client_create"), {"name": ""})
    page = assert_says_it_failed(response)
    assert "#id_name" in page.summary_links
    assert "#id_consent_date" in page.summary_links
    assert {"id_name", "id_consent_date"} <= page.invalid
    # The help text Django points aria-describedby at is on the page.
    assert page.described["id_notes"] == ["id_notes_helptext"]


def test_intake_form_with_errors(technician_client, donor, technician):
    batch = make_batch(donor, technician)
    response = technician_client.post(
        reverse("devices:device_intake", kwargs={"reference": batch.reference}),
        {"category": "phone", "imei": "123"},
    )
    page = assert_says_it_failed(response)
    assert "#id_imei" in page.summary_links
    assert page.described["id_imei"][-1] == "id_imei_error"


def test_donor_form_with_errors(coordinator_client):
    response = coordinator_client.post(reverse("devices:donor_create"), {"name": ""})
    assert_says_it_failed(response)


def test_user_invite_with_errors(coordinator_client):
    response = coordinator_client.post(reverse("accounts:user_invite"), {"email": "not-an-address"})
    page = assert_says_it_failed(response)
    assert "#id_email" in page.summary_links


def test_catalogue_form_with_errors(coordinator_client):
    response = coordinator_client.post(reverse("clients:milestone_create"), {"code": ""})
    assert_says_it_failed(response)


def test_milestone_form_with_errors_links_to_the_milestones_date(coach_client, coach, milestones):
    client = make_client(coach)
    data = milestone_form_data(milestones[0]) | {f"completed_on_{milestones[0].pk}": ""}
    response = coach_client.post(
        reverse("clients:milestone_record", kwargs={"code": client.code}), data
    )
    assert response.status_code == 400
    page = assert_says_it_failed(response)
    assert page.summary_links == [f"#id_completed_on_{milestones[0].pk}"]
    assert f"Välitavoite ”{milestones[0].name}”" in response.content.decode()


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label="Tulos",
        choices=[("passed", "Hyväksytty"), ("failed", "Hylätty")],
        widget=forms.RadioSelect,
        help_text="Valitse tyhjennyksen tulos.",
    )


def test_radio_group_is_a_fieldset_described_by_its_error():
    html = render_to_string("_form_fields.html", {"form": ResultForm(data={})})
    page = Page(html)
    assert '<legend>Tulos<span class="required-mark" aria-hidden="true"> *</span></legend>' in html
    assert page.described["fieldset"] == ["id_result_helptext", "id_result_error"]
    assert {"id_result_helptext", "id_result_error", "id_result_0"} <= page.ids
    assert page.summary_links == ["#id_result_0"]
    assert not page.list_in_paragraph


def test_required_fields_are_marked_and_explained(coach_client):
    html = coach_client.get(reverse("clients:client_create")).content.decode()
    assert "Tähdellä (*) merkityt tiedot ovat pakollisia." in html
    mark = '<span class="required-mark" aria-hidden="true"> *</span>'
    assert f'<label for="id_name">Nimi{mark}</label>' in html
    assert "required" in Page(html).attributes["id_name"]
    # An optional field has neither.
    assert f'<label for="id_phone">Puhelin{mark}' not in html
    assert "required" not in Page(html).attributes["id_phone"]


def test_a_page_without_errors_has_no_prefix_or_summary(coach_client):
    response = coach_client.get(reverse("clients:client_create"))
    page = Page(response.content.decode())
    assert not page.title.strip().startswith("Virhe")
    assert not page.summaries


def test_the_dashboard_filter_with_errors(coordinator_client):
    response = coordinator_client.get(
        reverse("reports:dashboard"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    page = Page(response.content.decode())
    assert page.title.strip().startswith("Virhe: ")
    assert len(page.summaries) == 1
    assert str(FILTER_DATES_REVERSED) in response.content.decode()
    assert not page.list_in_paragraph
