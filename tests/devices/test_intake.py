import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from devices.models import BatchListItem, Device, DonationBatch
from devices.models.device import SERIAL_ALREADY_IN_INVENTORY
from tests.factories import make_batch, make_device

DONOR_LIST = (
    "laji,valmistaja,malli,sarjanumero,inventaariotunnus\n"
    "kannettava,Lenovo,ThinkPad T480,PF1A2B3C,HAMK-0001\n"
    "Puhelin,Samsung,Galaxy A52,R58R30ABCDE,HAMK-0002\n"
)


def _register(client, **extra):
    data = {"declared_count": 2, "declared_kinds": "kannettava, puhelin", "delivery": "delivery"}
    data.update(extra)
    return client.post(reverse("devices:batch_register"), data)


def test_donor_registers_a_batch_for_own_organisation_with_a_device_list(donor_client, donor):
    upload = SimpleUploadedFile("laitteet.csv", DONOR_LIST.encode(), content_type="text/csv")
    response = _register(donor_client, device_list=upload)
    batch = DonationBatch.objects.get()
    assert response.status_code == 302
    assert batch.donor == donor
    assert batch.reference.startswith("ER-")
    # The list is saved once the donor confirms its preview (tests/devices/test_import_views.py).
    preview = donor_client.get(response["Location"])
    mapping = preview.context["plan"].mapping
    data = {f"column_{name}": "" if i is None else str(i) for name, i in mapping.items()}
    data.update({"accept_suggestions": "on", "default_category": "", "confirm": "1"})
    assert donor_client.post(response["Location"], data)["Location"] == batch.get_absolute_url()
    items = list(BatchListItem.objects.order_by("row_number"))
    assert [(i.category, i.model, i.asset_tag) for i in items] == [
        ("laptop", "ThinkPad T480", "HAMK-0001"),
        ("phone", "Galaxy A52", "HAMK-0002"),
    ]
    page = donor_client.get(batch.get_absolute_url())
    assert page.status_code == 200
    assert "ThinkPad T480" in page.content.decode()


def test_a_bad_donor_list_row_is_named_on_the_preview(donor_client):
    bad = DONOR_LIST + "televisio,Philips,55PUS,TV123,\n"
    upload = SimpleUploadedFile("laitteet.csv", bad.encode(), content_type="text/csv")
    response = _register(donor_client, device_list=upload)
    preview = donor_client.get(response["Location"])
    (row,) = [row for row in preview.context["plan"].rows if row.outcome == "attention"]
    assert row.number == 4 and "tuntematon laji" in row.reasons[0]
    assert not preview.context["plan"].can_confirm
    assert not BatchListItem.objects.exists()


def test_pickup_needs_an_address(donor_client):
    response = _register(donor_client, delivery="pickup")
    assert response.status_code == 200
    assert not DonationBatch.objects.exists()


def test_technician_registers_a_batch_on_a_donors_behalf(technician_client, other_donor):
    response = _register(technician_client, donor=other_donor.pk)
    assert response.status_code == 302
    assert DonationBatch.objects.get().donor == other_donor


def test_staff_must_choose_the_donor(technician_client, donor):
    response = _register(technician_client)
    assert response.status_code == 200
    assert not DonationBatch.objects.exists()


def test_donor_sees_only_own_batches(
    client, donor, other_donor, donor_user, other_donor_user, technician
):
    own = make_batch(donor, donor_user, received=False)
    other = make_batch(other_donor, other_donor_user, received=False)
    device = make_device(make_batch(other_donor, technician), technician)
    client.force_login(donor_user)
    listing = client.get(reverse("devices:batch_list")).content.decode()
    assert own.reference in listing and other.reference not in listing
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(device.get_absolute_url()).status_code == 403
    assert client.get(reverse("devices:device_list")).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert own.reference in home and other.reference not in home
    for name in ("device_intake", "batch_import", "batch_export"):
        url = reverse(f"devices:{name}", kwargs={"reference": own.reference})
        assert client.get(url).status_code == 403


def test_donor_batch_page_shows_progress_counts(client, donor, donor_user, technician):
    batch = make_batch(donor, technician)
    make_device(batch, technician)
    make_device(batch, technician)
    client.force_login(donor_user)
    page = client.get(batch.get_absolute_url())
    counts = dict((status, count) for status, _label, count in page.context["counts"])
    assert counts["received"] == 2
    assert counts["ready"] == 0


def test_receiving_is_post_only_and_opens_intake(technician_client, donor, technician):
    batch = make_batch(donor, technician, received=False)
    url = reverse("devices:batch_receive", kwargs={"reference": batch.reference})
    assert technician_client.get(url).status_code == 405
    response = technician_client.post(url)
    assert response["Location"] == reverse(
        "devices:device_intake", kwargs={"reference": batch.reference}
    )
    batch.refresh_from_db()
    assert batch.status == DonationBatch.Status.RECEIVED
    assert batch.received_by == technician


def _intake_data(**fields):
    data = {
        "category": "laptop",
        "manufacturer": "HP",
        "model": "EliteBook 840 G5",
        "serial_number": "5CG8123XYZ",
        "condition_grade": "B",
        "next": "1",
    }
    data.update(fields)
    return data


def test_intake_prefills_from_the_donor_list_and_saves_and_adds_next(
    technician_client, donor, technician
):
    rows = [
        {"category": "laptop", "manufacturer": "Lenovo", "model": "T480", "serial_number": "S1"},
        {"category": "tablet", "manufacturer": "Apple", "model": "iPad 7", "serial_number": "S2"},
    ]
    batch = make_batch(donor, technician, list_rows=rows)
    url = reverse("devices:device_intake", kwargs={"reference": batch.reference})
    form = technician_client.get(url).context["form"]
    first = batch.list_items.get(row_number=1)
    assert form.initial["model"] == "T480"
    assert form.initial["list_item"] == first.pk
    assert "autofocus" in form.fields["category"].widget.attrs

    response = technician_client.post(
        url, _intake_data(model="T480", serial_number="S1", list_item=first.pk)
    )
    device = Device.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(url)
    first.refresh_from_db()
    assert first.device == device
    assert device.history.get().history_user == technician
    following = technician_client.get(response["Location"])
    assert following.context["form"].initial["model"] == "iPad 7"
    assert device.inventory_code in following.content.decode()


def test_intake_refuses_a_serial_already_in_inventory(technician_client, donor, technician):
    batch = make_batch(donor, technician)
    existing = make_device(batch, technician, serial_number="5CG8123XYZ")
    url = reverse("devices:device_intake", kwargs={"reference": batch.reference})
    response = technician_client.post(url, _intake_data())
    assert response.status_code == 200
    expected = SERIAL_ALREADY_IN_INVENTORY % {
        "serial": "5CG8123XYZ",
        "code": existing.inventory_code,
    }
    assert expected in response.content.decode()
    assert Device.objects.count() == 1


@pytest.mark.parametrize(
    ("imei", "message"),
    [("", "IMEI on pakollinen"), ("352099001761482", "IMEI ei ole kelvollinen")],
)
def test_phones_need_a_valid_imei(technician_client, donor, technician, imei, message):
    batch = make_batch(donor, technician)
    url = reverse("devices:device_intake", kwargs={"reference": batch.reference})
    response = technician_client.post(url, _intake_data(category="phone", imei=imei))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Device.objects.exists()


def test_a_phone_with_a_valid_imei_is_logged(technician_client, donor, technician):
    batch = make_batch(donor, technician)
    url = reverse("devices:device_intake", kwargs={"reference": batch.reference})
    data = _intake_data(category="phone", imei="352099001761481", done="1")
    del data["next"]
    response = technician_client.post(url, data)
    device = Device.objects.get()
    assert response["Location"] == device.get_absolute_url()
    assert device.imei == "352099001761481"


def test_intake_is_closed_before_the_batch_is_received(technician_client, donor, technician):
    batch = make_batch(donor, technician, received=False)
    url = reverse("devices:device_intake", kwargs={"reference": batch.reference})
    response = technician_client.post(url, _intake_data(), follow=True)
    assert "vasta, kun erä on vastaanotettu" in response.content.decode()
    assert not Device.objects.exists()


@pytest.mark.parametrize("formula", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("x")'])
def test_export_neutralises_formulas(technician_client, donor, technician, formula):
    batch = make_batch(donor, technician)
    make_device(batch, technician, model=formula, asset_tag="plain")
    url = reverse("devices:batch_export", kwargs={"reference": batch.reference})

    text = technician_client.get(url + "?format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ("'" + formula) in rows[1]
    assert "plain" in rows[1]

    response = technician_client.get(url + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for cell in next(sheet.iter_rows(min_row=2))]
    model_cell = cells[3]
    assert model_cell.value == "'" + formula
    assert model_cell.data_type == "s"
