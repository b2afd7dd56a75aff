"""The device list's rows (devices.list_rows) and its written-out filters."""

import re

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from devices.forms.filters import DeviceFilterForm
from tests.factories import make_batch, make_device

pytestmark = pytest.mark.django_db

LIST = reverse("devices:device_list")


def _squeezed(html):
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize(
    "query",
    ["", "status=ready&category=laptop&q=a%22b%3C", "batch=er-2026&donor=Oy", "category=phone"],
)
def test_written_out_filters_are_the_forms_own_markup(query):
    form = DeviceFilterForm(QueryDict(query) or None)
    assert form.is_valid() or not query  # (an unbound form is never valid)
    shared = render_to_string("_form_fields.html", {"form": form, "fields": form.visible_fields})
    written = render_to_string("devices/_device_filters.html", {"form": form})
    assert _squeezed(written) == _squeezed(shared)


def test_a_refused_filter_shows_its_error(technician_client):
    response = technician_client.get(LIST, {"batch": "X" * 30})
    content = response.content.decode()
    assert 'id="id_batch_error"' in content


def test_typed_values_are_escaped_and_linked(technician_client, donor, technician):
    device = make_device(make_batch(donor, technician), technician, model='<b>"T480"</b>')
    content = technician_client.get(LIST).content.decode()
    assert "&lt;b&gt;&quot;T480&quot;&lt;/b&gt;" in content and "<b>" not in content
    assert f'<a href="{device.get_absolute_url()}">{device.inventory_code}</a>' in content
    assert f'<a href="{device.batch.get_absolute_url()}">{device.batch.reference}</a>' in content
    assert f'name="code" value="{device.inventory_code}"' in content


def test_coach_gets_neither_label_checkbox_nor_batch_link(coach_client, donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    content = coach_client.get(LIST).content.decode()
    assert f'<td class="ref">{device.batch.reference}</td>' in content
    assert 'type="checkbox" name="code"' not in content
