import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devices.models import Device
from tests.factories import erase, make_batch, make_device, make_ready_device

LIST = reverse("devices:device_list")


def _fill(batch, technician, count):
    categories = ["laptop", "tablet", "desktop"]
    for n in range(count):
        make_device(batch, technician, category=categories[n % 3], model=f"Malli {n}")


@pytest.mark.parametrize("count", [5, 60])
def test_list_queries_do_not_grow_with_rows(
    technician_client, donor, technician, django_assert_max_num_queries, count
):
    batch = make_batch(donor, technician)
    _fill(batch, technician, count)
    with django_assert_max_num_queries(12):
        response = technician_client.get(LIST)
    assert len(response.context["page"].object_list) == min(count, 50)


def test_list_is_paginated_by_50(technician_client, donor, technician):
    _fill(make_batch(donor, technician), technician, 55)
    second = technician_client.get(LIST, {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_search_and_filters(technician_client, donor, other_donor, technician):
    own = make_batch(donor, technician)
    other = make_batch(other_donor, technician)
    laptop = make_device(own, technician, serial_number="PF1SEARCH", model="ThinkPad T480")
    tablet = make_device(own, technician, category="tablet", model="iPad 7")
    phone = make_device(
        other, technician, category="phone", model="Galaxy A52", imei="352099001761481"
    )
    ready = make_ready_device(other, technician, model="Latitude 5490")
    failed = make_device(own, technician, model="Aspire")
    erase(failed, technician, result="failed")

    def codes(**params):
        page = technician_client.get(LIST, params).context["page"]
        return {device.inventory_code for device in page}

    assert codes(q="pf1search") == {laptop.inventory_code}
    assert codes(q="ipad") == {tablet.inventory_code}
    assert codes(q=phone.inventory_code.lower()) == {phone.inventory_code}
    assert codes(status="ready") == {ready.inventory_code}
    assert codes(category="phone") == {phone.inventory_code}
    assert codes(batch=other.reference) == {phone.inventory_code, ready.inventory_code}
    # The batch field takes the start of a reference too, in any case.
    assert codes(batch=f" {other.reference.lower()} ") == {
        phone.inventory_code,
        ready.inventory_code,
    }
    assert codes(batch=os.path.commonprefix([own.reference, other.reference])) == {
        laptop.inventory_code,
        tablet.inventory_code,
        failed.inventory_code,
        phone.inventory_code,
        ready.inventory_code,
    }
    assert codes(batch="EI-OLE") == set()
    # The donor field matches any part of the donor's name.
    assert codes(donor="ammattikorkea") == {
        laptop.inventory_code,
        tablet.inventory_code,
        failed.inventory_code,
    }
    assert codes(donor="ammattikorkea", category="tablet") == {tablet.inventory_code}
    assert codes(donor="Virtanen", status="ready") == {ready.inventory_code}


def test_filters_are_text_fields_not_a_select_per_batch_or_donor(
    technician_client, donor, other_donor, technician
):
    for _ in range(3):
        make_batch(donor, technician)
    page = technician_client.get(LIST).content.decode()
    assert 'name="batch"' in page and 'name="donor"' in page
    assert '<select name="batch"' not in page and '<select name="donor"' not in page
    assert other_donor.name not in page


def test_a_deep_page_costs_the_same_queries_as_the_first(technician_client, donor, technician):
    _fill(make_batch(donor, technician), technician, 120)

    def page(number):
        with CaptureQueriesContext(connection) as captured:
            response = technician_client.get(LIST, {"page": number})
        return len(captured.captured_queries), [d.inventory_code for d in response.context["page"]]

    (first_queries, first), (last_queries, last) = page(1), page(3)
    assert first_queries == last_queries
    assert len(first) == 50 and len(last) == 20
    newest_first = list(
        Device.objects.order_by("-logged_at", "-pk").values_list("inventory_code", flat=True)
    )
    assert first == newest_first[:50]
    assert last == newest_first[100:]


def test_coaches_may_view_donors_may_not(client, coach, donor_user):
    client.force_login(coach)
    assert client.get(LIST).status_code == 200
    client.force_login(donor_user)
    assert client.get(LIST).status_code == 403


def test_device_page_tells_its_story(
    technician_client, donor, technician, django_assert_max_num_queries
):
    batch = make_batch(donor, technician)
    device = make_device(batch, technician, model="EliteBook 840 G5")
    erase(device, technician, result="failed")
    erase(device, technician)
    with django_assert_max_num_queries(20):
        response = technician_client.get(device.get_absolute_url())
    page = response.content.decode()
    assert "EliteBook 840 G5" in page
    assert "nwipe 0.36" in page
    texts = [str(entry) for entry in response.context["timeline"]]
    assert any("Laite kirjattu" in text and "Teemu" in text for text in texts)
    assert any("tila vastaanotettu → tyhjennetty" in text for text in texts), texts
    assert any("tietojen tyhjennys onnistui" in text for text in texts)
    assert sum("Tietojen tyhjennys kirjattu" in text for text in texts) == 2


def test_device_page_shows_field_level_edits(technician_client, donor, technician):
    device = make_device(make_batch(donor, technician), technician, notes="")
    device = Device.objects.get(pk=device.pk)
    device.notes = "Näppäin puuttuu"
    device._history_user = technician
    device.save()
    timeline = technician_client.get(device.get_absolute_url()).context["timeline"]
    assert "huomiot: Näppäin puuttuu" in str(timeline[-1])


def test_device_page_query_count_does_not_grow_with_history(technician_client, donor, technician):
    batch = make_batch(donor, technician)
    short = make_device(batch, technician)
    long = make_device(batch, technician)
    # One attempt against five: the attempts' media are prefetched once when there are any.
    erase(short, technician, result="failed")
    for _ in range(5):
        erase(long, technician, result="failed")
    technician_client.get(short.get_absolute_url())  # warm the session and role caches

    def count(device):
        with CaptureQueriesContext(connection) as context:
            technician_client.get(device.get_absolute_url())
        return len(context)

    assert count(long) == count(short)
