"""The device page costs the same however long the device's story: the same queries for a
device with one history entry as for one with dozens of entries, media, erasures and checks;
and the HTML built in Python (timeline, erasure and check rows, the blank medium form) is
what the templates rendered before, with every value escaped."""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from devices import erasure_coverage, services
from devices.forms.processing import MediumForm
from devices.list_rows import check_rows_html, erasure_rows_html
from devices.models.media import MediumKind
from devices.timelines import device_timeline
from devices.views.inventory import blank_medium_fields
from kierratys import roles
from kierratys.timeline import timeline_html
from tests.conftest import make_user
from tests.devices.media_data import HDD_ERASE
from tests.factories import erase, make_batch, make_device, refurbish

pytestmark = pytest.mark.django_db

# templates/_timeline.html, erasure and check rows of devices/device_detail.html as they
# were before the HTML was built in Python: the Python must give the same page.
TIMELINE_TEMPLATE = """{% load i18n %}
{% if entries %}
<ol class="timeline">
  {% for entry in entries %}
  <li>
    <time datetime="{{ entry.date|date:'Y-m-d\\TH:i:sO' }}">{{ entry.date|date:"SHORT_DATETIME_FORMAT" }}</time>
    <strong>{{ entry.user }}</strong>: {{ entry.text }}{% if entry.reason %} <span class="muted">({{ entry.reason }})</span>{% endif %}
    {% if entry.kind == "created" and entry.changes %}
    <details><summary>{% translate "Kirjatut tiedot" %}</summary>
      <ul class="changes">{% for change in entry.changes %}<li>{{ change }}</li>{% endfor %}</ul>
    </details>
    {% endif %}
  </li>
  {% endfor %}
</ol>
{% else %}
<p class="muted">{% translate "Ei historiaa." %}</p>
{% endif %}"""  # noqa: E501
ERASURE_ROWS_TEMPLATE = """{% for erasure in erasures %}
  <tr>
    <td>{{ erasure.ended_at|date:"SHORT_DATETIME_FORMAT" }}</td><td>{{ erasure.medium }}</td><td>{{ erasure.get_method_display }}</td><td>{{ erasure.get_technique_display }}</td>
    <td>{{ erasure.tool_name }} {{ erasure.tool_version }}</td><td>{{ erasure.get_verification_display }}</td>
    <td><span class="badge {{ erasure.result }}">{{ erasure.get_result_display }}</span>{% if erasure.failure_reason %}<br>{{ erasure.failure_reason }}{% endif %}</td>
    <td>{{ erasure.technician.get_full_name|default:erasure.technician.username }}</td>
    <td>{% if erasure.validated_by %}{{ erasure.validated_by.get_full_name|default:erasure.validated_by.username }} <span class="muted">{{ erasure.validated_at|date:"SHORT_DATE_FORMAT" }}</span>{% else %}–{% endif %}</td>
  </tr>
{% endfor %}"""  # noqa: E501
CHECK_ROWS_TEMPLATE = """{% load i18n %}{% for check in checks %}
  <tr>
    <td>{{ check.checked_at|date:"SHORT_DATETIME_FORMAT" }}</td>
    <td>{% if check.is_complete %}<span class="badge ready">{% translate "kaikki kunnossa" %}</span>{% else %}<span class="badge failed">{% translate "puutteita" %}</span>{% endif %}</td>
    <td>{{ check.checked_by.get_full_name|default:check.checked_by.username }}</td>
    <td>{{ check.notes|default:"–" }}</td>
  </tr>
{% endfor %}"""  # noqa: E501
LANGUAGES = ["fi", "sv", "en"]
HOSTILE = '<script>alert("x")</script> & "quoted"'


def same_apart_from_whitespace(one, other):
    return re.sub(r"\s+", " ", str(one)).strip() == re.sub(r"\s+", " ", str(other)).strip()


@pytest.fixture
def second_technician(django_user_model):
    return make_user(django_user_model, "teknikko2", roles.TECHNICIAN, first_name="Tiina")


def long_story(batch, technician, other, *, media=3, corrections=10):
    """A device with several media, failed and passed erasures (one validated), corrections
    typed by two people and two refurbishment checks: dozens of history entries."""
    device = make_device(batch, technician, notes=HOSTILE)
    for number in range(media):
        services.medium_add(
            device=device, actor=other, kind=MediumKind.HDD, serial_number=f"S<{number}>"
        )
    for number in range(corrections):
        services.device_correct(
            device=device,
            actor=other if number % 2 else technician,
            reason=f"correction: typo <{number}>",
            model=f"T48{number} <b>",
        )
        device.refresh_from_db()
    media = list(device.media.order_by("pk"))
    for medium in media:
        erase(device, technician, medium=medium, result="failed", failure_reason=HOSTILE)
    validated = None
    for medium in media:
        erasure = erase(device, technician, medium=medium, **HDD_ERASE)
        validated = validated or erasure
    services.erasure_validate(erasure=validated, actor=other)
    device.refresh_from_db()
    refurbish(device, other, complete=False)
    refurbish(device, technician)
    device.refresh_from_db()
    return device


@pytest.fixture
def devices(donor, technician, second_technician):
    batch = make_batch(donor, technician)
    short = make_device(batch, technician, storage_type="")  # no medium, no erasure
    return short, long_story(batch, technician, second_technician)


def page_queries(client, device):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(device.get_absolute_url())
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_device_page_queries_do_not_grow_with_the_story(technician_client, devices):
    short, long = devices
    assert len(device_timeline(short)) == 1
    assert len(device_timeline(long)) >= 20
    page_queries(technician_client, short)  # the session and caches settled
    assert page_queries(technician_client, short) == page_queries(technician_client, long)


def test_a_coach_sees_the_same_number_of_queries_too(coach_client, devices):
    short, long = devices
    page_queries(coach_client, short)
    assert page_queries(coach_client, short) == page_queries(coach_client, long)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_timeline_html_is_what_the_template_rendered(devices, language):
    short, long = devices
    with translation.override(language):
        for entries in (device_timeline(long), device_timeline(short), []):
            rendered = Template(TIMELINE_TEMPLATE).render(Context({"entries": entries}))
            assert same_apart_from_whitespace(timeline_html(entries), rendered)
            shown = render_to_string("_timeline.html", {"entries": entries})
            assert same_apart_from_whitespace(shown, rendered)


def test_the_timeline_escapes_what_people_typed(devices):
    _short, long = devices
    html = timeline_html(device_timeline(long))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in html
    assert "typo &lt;3&gt;" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_erasure_and_check_rows_are_what_the_template_rendered(devices, language):
    _short, device = devices
    erasures = list(
        device.erasures.select_related("technician", "medium", "validated_by").order_by("-ended_at")
    )
    checks = list(device.refurbishment_checks.select_related("checked_by").order_by("-checked_at"))
    assert any(erasure.validated_by for erasure in erasures)
    with translation.override(language):
        rendered = Template(ERASURE_ROWS_TEMPLATE).render(Context({"erasures": erasures}))
        assert same_apart_from_whitespace(erasure_rows_html(erasures), rendered)
        rendered = Template(CHECK_ROWS_TEMPLATE).render(Context({"checks": checks}))
        assert same_apart_from_whitespace(check_rows_html(checks), rendered)
    html = erasure_rows_html(erasures)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "S&lt;0&gt;" in html


def test_the_device_page_escapes_typed_values(technician_client, devices):
    _short, device = devices
    html = technician_client.get(device.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_kept_blank_medium_form_is_a_fresh_one_in_each_language(language):
    with translation.override(language):
        fresh = render_to_string("_form_fields.html", {"form": MediumForm(prefix="medium")})
        assert blank_medium_fields() == fresh
        assert 'name="medium-kind"' in fresh and "csrfmiddlewaretoken" not in fresh


def test_the_page_shows_the_medium_form_in_the_page_language(technician_client, devices):
    short, _long = devices
    finnish = technician_client.get(short.get_absolute_url(), headers={"accept-language": "fi"})
    with translation.override("sv"):
        swedish_fields = render_to_string(
            "_form_fields.html", {"form": MediumForm(prefix="medium")}
        )
    technician_client.cookies["django_language"] = "sv"
    swedish = technician_client.get(short.get_absolute_url())
    assert swedish_fields in swedish.content.decode()
    assert swedish_fields not in finnish.content.decode()


@pytest.mark.parametrize("validation", [False, True])
def test_the_coverage_from_the_page_erasures_is_the_coverage_read_alone(
    devices, settings, validation
):
    settings.ERASURE_VALIDATION_REQUIRED = validation
    _short, device = devices
    erasures = list(device.erasures.all())
    as_of = sorted(erasure.recorded_at for erasure in erasures)[len(erasures) // 2]

    def facts(coverage):
        return [
            (c.medium.pk, c.erasure and c.erasure.pk, c.latest and c.latest.pk) for c in coverage
        ]

    for moment in (None, as_of):
        alone = erasure_coverage.media_coverage(device, as_of=moment)
        given = erasure_coverage.media_coverage(device, as_of=moment, erasures=erasures)
        assert facts(given) == facts(alone)
