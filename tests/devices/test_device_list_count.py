"""The device list's "N laitetta" for all devices, or for one state, comes from the stored
figures (kierratys.figures) instead of COUNT(*): it must say what counting would."""

import pytest
from django.urls import reverse

from devices import lifecycle, selectors
from devices.models import Device
from reports import figures_source
from tests.factories import erase, make_batch, make_device, make_ready_device

pytestmark = pytest.mark.django_db

LIST = reverse("devices:device_list")


def shown_count(client, **query):
    page = client.get(LIST, query).context["page"]
    return page.paginator.count, page.paginator.num_pages


@pytest.fixture
def programme(donor, technician):
    """Devices in several states: received, erased, ready, disposed, with a second batch."""
    batch = make_batch(donor, technician)
    for number in range(3):
        make_device(batch, technician, model=f"Malli {number}")
    erase(make_device(batch, technician), technician)
    make_ready_device(make_batch(donor, technician), technician)
    disposed = make_device(batch, technician)
    lifecycle.device_dispose(
        device=disposed, actor=technician, disposal_reason=Device.DisposalReason.RETURNED
    )


def test_the_stored_figure_is_the_one_reports_keeps():
    assert selectors.STATUS_FIGURE == figures_source.STATUS


def test_the_unfiltered_count_is_the_number_of_devices(technician_client, programme):
    assert shown_count(technician_client) == (Device.objects.count(), 1)
    assert selectors.device_count_stored() == Device.objects.count() == 6


@pytest.mark.parametrize("status", [choice for choice, _label in Device.Status.choices])
def test_a_state_count_is_the_number_of_devices_in_it(technician_client, programme, status):
    live = Device.objects.filter(status=status).count()
    assert selectors.device_count_stored(status=status) == live
    assert shown_count(technician_client, status=status)[0] == live


def test_filtered_lists_still_count_their_rows(technician_client, programme):
    assert shown_count(technician_client, status="received", category="laptop")[0] == (
        Device.objects.filter(status="received", category="laptop").count()
    )
    assert shown_count(technician_client, q="Malli 1")[0] == 1


def test_the_count_follows_a_new_device_at_once(technician_client, programme, donor, technician):
    before = shown_count(technician_client)[0]
    make_device(make_batch(donor, technician), technician)
    assert shown_count(technician_client)[0] == before + 1


def test_page_numbers_follow_the_stored_count(technician_client, donor, technician):
    batch = make_batch(donor, technician)
    for number in range(51):
        make_device(batch, technician, model=f"Malli {number}")
    assert shown_count(technician_client) == (51, 2)
    second = technician_client.get(LIST, {"page": 2}).context["page"]
    assert len(second.object_list) == 1


@pytest.mark.parametrize(
    "filters", [{"search": "Malli"}, {"category": "laptop"}, {"batch": "ER"}, {"donor": "Oy"}]
)
def test_only_counting_can_tell_other_filters(filters):
    assert selectors.device_list_count(**filters) is None
    assert selectors.device_list_count(**filters, status="ready") is None
