"""When the donor's list's last device is logged, the intake and the batch page say so."""

from django.urls import reverse

from devices.views.batches import LIST_COMPLETE
from tests.factories import make_batch

ROWS = [
    {"category": "laptop", "manufacturer": "Lenovo", "model": "T480", "serial_number": "S1"},
    {"category": "laptop", "manufacturer": "HP", "model": "840 G5", "serial_number": "S2"},
]


def _log(client, url, item, serial):
    data = {
        "category": "laptop",
        "manufacturer": "Lenovo",
        "model": "T480",
        "serial_number": serial,
        "condition_grade": "B",
        "storage_type": "nvme",
        "list_item": item.pk,
        "next": "1",
    }
    return client.post(url, data, follow=True)


def test_logging_the_last_listed_device_says_the_list_is_complete(
    technician_client, donor, technician
):
    batch = make_batch(donor, technician, list_rows=ROWS)
    url = reverse("devices:device_intake", kwargs={"reference": batch.reference})
    complete = str(LIST_COMPLETE % {"count": 2})
    first, second = batch.list_items.order_by("row_number")

    after_first = _log(technician_client, url, first, "S1").content.decode()
    assert complete not in after_first
    assert complete not in technician_client.get(batch.get_absolute_url()).content.decode()

    after_last = _log(technician_client, url, second, "S2").content.decode()
    assert complete in after_last
    assert "Lahjoittajan listan kaikki 2 laitetta on nyt kirjattu." in after_last
    assert complete in technician_client.get(batch.get_absolute_url()).content.decode()


def test_a_batch_without_a_list_says_nothing_about_one(technician_client, donor, technician):
    batch = make_batch(donor, technician)
    page = technician_client.get(batch.get_absolute_url()).content.decode()
    assert "Lahjoittajan listan kaikki" not in page
