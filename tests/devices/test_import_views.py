"""The two-step import on the web: upload -> preview (detection, mapping, outcomes) -> confirm.

The plans themselves (which row is imported, which needs attention) are the services'
tests; these check what the pages show and send, who may open them, and that the kept
upload goes away when it has been used or forgotten."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from devices import imports, spreadsheets
from devices.forms.imports import FILE_TYPE_NOT_ACCEPTED
from devices.models import BatchListItem, Device, DonationBatch, PendingImport
from devices.views import imports as import_views
from kierratys import roles
from tests.conftest import make_user
from tests.factories import make_batch
from tests.support import messages_of

# A technician's list as Finnish Excel saves it: BOM, semicolons, and a serial column
# whose name is no alias ("Laitteen tunniste"), so the user must map it by hand.
TECHNICIAN_CSV = (
    "\ufefflaji;valmistaja;malli;Laitteen tunniste\n"
    "kannettava;Lenovo;ThinkPad T480;PF0VIEW01\n"
    "tabletti;Apple;iPad (7. sukupolvi);DMPVIEW02\n"
    "kannettava;HP;EliteBook 840 G5;5CG0VIEW03\n"
)
# No category column at all: the default category has to fill it.
NO_CATEGORY_CSV = (
    "valmistaja;malli;sarjanumero\nLenovo;ThinkPad T480;PF0NOCAT1\nHP;EliteBook 840 G5;5CG0NOCAT2\n"
)
DONOR_CSV = (
    "laji,valmistaja,malli,sarjanumero,inventaariotunnus\n"
    "kannettava,Lenovo,ThinkPad T480,PF1A2B3C,HAMK-0001\n"
    "Puhelin,Samsung,Galaxy A52,R58R30ABCDE,HAMK-0002\n"
)


@pytest.fixture
def batch(donor, technician):
    return make_batch(donor, technician)


def csv_file(text, name="laitteet.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def upload(client, batch, text, *, name="laitteet.csv", grade="B"):
    url = reverse("devices:batch_import", kwargs={"reference": batch.reference})
    return client.post(url, {"file": csv_file(text, name), "condition_grade": grade})


def uploaded(client, batch, text, **kwargs):
    """Upload and follow to the preview; returns the preview's URL."""
    response = upload(client, batch, text, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def preview_url(pending):
    return reverse(
        "devices:batch_import_preview",
        kwargs={"reference": pending.batch.reference, "pk": pending.pk},
    )


def choices_from(form, **changes):
    """The POST data of the preview's choices form as shown, with `changes` applied."""
    data = {}
    for name, field in form.fields.items():
        value = changes.get(name, form.initial.get(name, field.initial))
        if name == "accept_suggestions":
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    # The button pressed: "refresh" or "confirm".
    data.update({name: value for name, value in changes.items() if name not in form.fields})
    return data


def count_of(context, outcome):
    return {value: count for value, _label, count in context["counts"]}[outcome]


def test_upload_keeps_the_file_and_the_preview_shows_what_was_detected(
    technician_client, batch, technician
):
    url = uploaded(technician_client, batch, TECHNICIAN_CSV)
    pending = PendingImport.objects.get()
    assert (pending.user, pending.batch, pending.purpose) == (
        technician,
        batch,
        PendingImport.Purpose.BATCH_IMPORT,
    )
    assert pending.original_name == "laitteet.csv"
    assert url == preview_url(pending)
    assert not Device.objects.filter(batch=batch).exists()

    response = technician_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    table = response.context["table"]
    assert (table.file_format, table.encoding, table.delimiter) == ("csv", "utf-8-sig", ";")
    assert table.header_row == 1
    assert "puolipiste (;)" in body and "utf-8-sig" in body and "rivi 1" in body
    assert "ThinkPad T480" in response.context["table"].sample
    # The serial column's name is no alias: it is not mapped, so the rows carry no serial.
    form = response.context["form"]
    assert form.initial["column_serial_number"] == ""
    assert form.initial["column_manufacturer"] == "1"
    assert count_of(response.context, imports.Outcome.IMPORT) == 3
    # One <select> per field, each with its label, listing the file's columns.
    assert body.count('<select name="column_') == len(import_views.TECHNICIAN_IMPORT.fields)
    assert '<label for="id_column_serial_number">' in body
    assert "D: Laitteen tunniste" in body
    assert "— ei käytössä —" in body
    assert 'class="table-scroll" role="region"' in body
    assert "Tuo 3 laitetta" in body


def test_a_changed_mapping_is_previewed_then_confirmed_into_devices(
    technician_client, batch, technician
):
    url = uploaded(technician_client, batch, TECHNICIAN_CSV, grade="A")
    form = technician_client.get(url).context["form"]
    data = choices_from(form, column_serial_number="3", refresh="1")
    response = technician_client.post(url, data)
    assert response["Location"] == url
    assert not Device.objects.filter(batch=batch).exists()

    preview = technician_client.get(url)
    assert preview.context["form"].initial["column_serial_number"] == "3"
    assert "PF0VIEW01" in preview.content.decode()
    confirm = choices_from(preview.context["form"], confirm="1")
    response = technician_client.post(url, confirm)
    assert response["Location"] == batch.get_absolute_url()
    devices = {device.serial_number: device for device in Device.objects.filter(batch=batch)}
    assert set(devices) == {"PF0VIEW01", "DMPVIEW02", "5CG0VIEW03"}
    assert devices["DMPVIEW02"].category == Device.Category.TABLET
    assert {device.condition_grade for device in devices.values()} == {Device.Grade.A}
    for device in devices.values():
        assert device.history.get().history_user == technician
    assert messages_of(response) == [f"3 laitetta kirjattu erään {batch.reference}."]
    assert not PendingImport.objects.exists()
    # The pending import is gone: confirming again finds nothing.
    assert technician_client.post(url, confirm).status_code == 404
    assert Device.objects.filter(batch=batch).count() == 3


def test_default_category_fills_rows_without_one(technician_client, batch):
    url = uploaded(technician_client, batch, NO_CATEGORY_CSV)
    form = technician_client.get(url).context["form"]
    # Without suggestions and without a default, no row has a category: nothing to confirm.
    technician_client.post(url, choices_from(form, accept_suggestions=False, refresh="1"))
    waiting = technician_client.get(url)
    assert count_of(waiting.context, imports.Outcome.ATTENTION) == 2
    assert not waiting.context["plan"].can_confirm
    body = waiting.content.decode()
    assert "disabled" in body and "2 riviä vaatii korjausta" in body
    # Confirming anyway is refused and writes nothing.
    response = technician_client.post(url, choices_from(waiting.context["form"], confirm="1"))
    assert import_views.NOT_READY in messages_of(response)
    assert not Device.objects.filter(batch=batch).exists()

    technician_client.post(
        url,
        choices_from(
            waiting.context["form"], default_category=Device.Category.DESKTOP, refresh="1"
        ),
    )
    ready = technician_client.get(url)
    assert count_of(ready.context, imports.Outcome.IMPORT) == 2
    assert ready.content.decode().count("pöytäkone (oletus)") == 2
    technician_client.post(url, choices_from(ready.context["form"], confirm="1"))
    assert set(Device.objects.filter(batch=batch).values_list("category", flat=True)) == {
        Device.Category.DESKTOP
    }


def test_confirm_with_choices_the_user_has_not_previewed_only_refreshes(technician_client, batch):
    url = uploaded(technician_client, batch, TECHNICIAN_CSV)
    form = technician_client.get(url).context["form"]
    response = technician_client.post(
        url, choices_from(form, column_serial_number="3", confirm="1")
    )
    assert response["Location"] == url
    assert import_views.CHOICES_CHANGED in messages_of(response)
    assert not Device.objects.filter(batch=batch).exists()
    assert PendingImport.objects.get().choices["mapping"]["serial_number"] == 3


def test_a_column_chosen_for_two_fields_is_refused(technician_client, batch):
    url = uploaded(technician_client, batch, TECHNICIAN_CSV)
    form = technician_client.get(url).context["form"]
    response = technician_client.post(
        url, choices_from(form, column_serial_number="2", refresh="1")
    )
    assert response.status_code == 200
    assert "on valittu myös kenttään" in response.content.decode()
    assert "mapping" not in PendingImport.objects.get().choices


def test_a_refused_confirmation_shows_the_rows_and_keeps_the_upload(
    technician_client, batch, monkeypatch
):
    def refuse(**kwargs):
        raise spreadsheets.ImportRejected(
            [spreadsheets.RowError(3, "sarjanumero DMPVIEW02 on jo kirjattu.")]
        )

    monkeypatch.setattr(imports, "batch_import_confirm", refuse)
    url = uploaded(technician_client, batch, TECHNICIAN_CSV)
    form = technician_client.get(url).context["form"]
    response = technician_client.post(url, choices_from(form, confirm="1"))
    assert response.status_code == 200
    assert "Rivi 3: sarjanumero DMPVIEW02 on jo kirjattu." in response.content.decode()
    assert PendingImport.objects.exists()
    assert not Device.objects.filter(batch=batch).exists()


def test_preview_queries_do_not_grow_with_the_rows(
    technician_client, donor, technician, django_assert_max_num_queries
):
    few = make_batch(donor, technician)
    many = make_batch(donor, technician)
    header = "laji;valmistaja;malli;sarjanumero\n"
    few_url = uploaded(
        technician_client, few, header + "kannettava;Lenovo;ThinkPad T480;PF0FEW01\n"
    )
    rows = "".join(f"kannettava;Lenovo;ThinkPad T480;PF0MANY{n:03d}\n" for n in range(150))
    many_url = uploaded(technician_client, many, header + rows)
    with CaptureQueriesContext(connection) as small:
        assert technician_client.get(few_url).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = technician_client.get(many_url)
    assert count_of(response.context, imports.Outcome.IMPORT) == 150
    assert len(small.captured_queries) <= 10


def test_the_preview_shows_at_most_the_row_limit_but_counts_every_row(
    technician_client, batch, monkeypatch
):
    monkeypatch.setattr(import_views, "PREVIEW_ROW_LIMIT", 5)
    header = "laji;valmistaja;malli;sarjanumero\n"
    rows = "".join(f"kannettava;Lenovo;ThinkPad T480;PF0LIM{n:03d}\n" for n in range(12))
    response = technician_client.get(uploaded(technician_client, batch, header + rows))
    assert len(response.context["rows"]) == 5
    assert count_of(response.context, imports.Outcome.IMPORT) == 12
    assert "Näytetään 5 riviä (yhteensä 12)" in response.content.decode()


def test_cancel_removes_the_upload(technician_client, batch):
    uploaded(technician_client, batch, TECHNICIAN_CSV)
    pending = PendingImport.objects.get()
    url = reverse(
        "devices:batch_import_cancel", kwargs={"reference": batch.reference, "pk": pending.pk}
    )
    assert technician_client.get(url).status_code == 405
    response = technician_client.post(url)
    assert response["Location"] == batch.get_absolute_url()
    assert not PendingImport.objects.exists()
    assert not Device.objects.filter(batch=batch).exists()


def test_uploads_older_than_a_day_are_removed_when_a_new_one_is_stored(
    technician_client, batch, technician
):
    uploaded(technician_client, batch, TECHNICIAN_CSV)
    uploaded(technician_client, batch, TECHNICIAN_CSV)
    stale, recent = PendingImport.objects.order_by("pk")
    now = timezone.now()
    PendingImport.objects.filter(pk=stale.pk).update(
        created_at=now - datetime.timedelta(days=1, minutes=1)
    )
    PendingImport.objects.filter(pk=recent.pk).update(created_at=now - datetime.timedelta(hours=23))
    uploaded(technician_client, batch, TECHNICIAN_CSV)
    kept = set(PendingImport.objects.values_list("pk", flat=True))
    assert stale.pk not in kept and recent.pk in kept and len(kept) == 2


def test_an_upload_older_than_a_day_is_gone_for_its_user_too(technician_client, batch):
    url = uploaded(technician_client, batch, TECHNICIAN_CSV)
    PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    assert technician_client.get(url).status_code == 404
    assert url not in technician_client.get(batch.get_absolute_url()).content.decode()


def test_another_technicians_upload_is_a_404_and_a_coordinators_is_not(
    client, batch, technician, coordinator, django_user_model
):
    client.force_login(technician)
    url = uploaded(client, batch, TECHNICIAN_CSV)
    pending = PendingImport.objects.get()
    cancel = reverse(
        "devices:batch_import_cancel", kwargs={"reference": batch.reference, "pk": pending.pk}
    )
    other = make_user(django_user_model, "teknikko2", roles.TECHNICIAN)
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert client.post(cancel).status_code == 404
    # Nor is it named on the batch page of someone who did not upload it.
    assert url not in client.get(batch.get_absolute_url()).content.decode()
    assert PendingImport.objects.exists()
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    # The pk of another batch's URL does not reach it either.
    elsewhere = make_batch(batch.donor, technician)
    client.force_login(technician)
    wrong = reverse(
        "devices:batch_import_preview", kwargs={"reference": elsewhere.reference, "pk": pending.pk}
    )
    assert client.get(wrong).status_code == 404


def test_a_donor_cannot_open_a_technicians_import(client, batch, technician, donor_user):
    client.force_login(technician)
    url = uploaded(client, batch, TECHNICIAN_CSV)
    client.force_login(donor_user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("devices:batch_import", args=[batch.reference])).status_code == 403


def test_the_batch_page_links_the_uploaders_unconfirmed_import(technician_client, batch):
    url = uploaded(technician_client, batch, TECHNICIAN_CSV)
    body = technician_client.get(batch.get_absolute_url()).content.decode()
    assert "odottaa vahvistusta" in body and url in body


def test_an_unreadable_file_is_refused_on_the_upload_page_and_not_kept(technician_client, batch):
    response = upload(technician_client, batch, "laji;valmistaja;malli\n")
    assert response.status_code == 200
    assert str(spreadsheets.FILE_EMPTY) in response.content.decode()
    assert not PendingImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    technician_client, batch, monkeypatch
):
    def never(*args):
        raise AssertionError("read_table must not run on an oversized file")

    monkeypatch.setattr(spreadsheets, "read_table", never)
    big = SimpleUploadedFile(
        "laitteet.csv", b"x" * (spreadsheets.MAX_UPLOAD_BYTES + 1), content_type="text/csv"
    )
    url = reverse("devices:batch_import", kwargs={"reference": batch.reference})
    response = technician_client.post(url, {"file": big, "condition_grade": "B"})
    assert response.status_code == 200
    assert "Tiedosto on liian suuri (5,0" in response.content.decode()
    assert "Suurin sallittu koko on 5,0" in response.content.decode()
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize("name", ["laitteet.pdf", "laitteet.docx", "laitteet"])
def test_a_file_of_another_type_is_refused(technician_client, batch, name):
    response = upload(technician_client, batch, TECHNICIAN_CSV, name=name)
    assert response.status_code == 200
    assert str(FILE_TYPE_NOT_ACCEPTED) in response.content.decode()


def test_a_batch_not_received_takes_no_upload(technician_client, donor, technician):
    registered = make_batch(donor, technician, received=False)
    response = upload(technician_client, registered, TECHNICIAN_CSV)
    assert response["Location"] == registered.get_absolute_url()
    assert not PendingImport.objects.exists()


# The donor's list at registration


def register(client, **extra):
    data = {"declared_count": 2, "declared_kinds": "kannettava, puhelin", "delivery": "delivery"}
    data.update(extra)
    return client.post(reverse("devices:batch_register"), data)


def test_donor_list_waits_for_its_preview_and_is_confirmed_into_list_items(
    donor_client, donor_user
):
    response = register(donor_client, device_list=csv_file(DONOR_CSV, "lahjoitus.csv"))
    batch = DonationBatch.objects.get()
    pending = PendingImport.objects.get()
    assert (pending.user, pending.batch, pending.purpose) == (
        donor_user,
        batch,
        PendingImport.Purpose.DONOR_LIST,
    )
    url = reverse(
        "devices:donor_list_preview", kwargs={"reference": batch.reference, "pk": pending.pk}
    )
    assert response["Location"] == url
    assert not batch.list_items.exists()
    waiting = donor_client.get(batch.get_absolute_url()).content.decode()
    assert "Laiteluettelo odottaa vahvistusta" in waiting and url in waiting

    preview = donor_client.get(url)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert body.count('<select name="column_') == len(import_views.DONOR_LIST.fields)
    assert "condition_grade" not in preview.context["form"].fields
    assert count_of(preview.context, imports.Outcome.IMPORT) == 2
    response = donor_client.post(url, choices_from(preview.context["form"], confirm="1"))
    assert response["Location"] == batch.get_absolute_url()
    items = list(BatchListItem.objects.filter(batch=batch).order_by("row_number"))
    assert [(item.category, item.model, item.asset_tag) for item in items] == [
        ("laptop", "ThinkPad T480", "HAMK-0001"),
        ("phone", "Galaxy A52", "HAMK-0002"),
    ]
    assert not PendingImport.objects.exists()
    page = donor_client.get(batch.get_absolute_url()).content.decode()
    assert "odottaa vahvistusta" not in page and "Galaxy A52" in page


def test_donor_may_leave_the_list_out_and_the_batch_stays(donor_client):
    register(donor_client, device_list=csv_file(DONOR_CSV, "lahjoitus.csv"))
    batch = DonationBatch.objects.get()
    pending = PendingImport.objects.get()
    cancel = reverse(
        "devices:donor_list_cancel", kwargs={"reference": batch.reference, "pk": pending.pk}
    )
    response = donor_client.post(cancel)
    assert response["Location"] == batch.get_absolute_url()
    assert not PendingImport.objects.exists()
    assert DonationBatch.objects.filter(pk=batch.pk).exists()
    assert not batch.list_items.exists()


def test_an_unreadable_donor_list_registers_nothing(donor_client):
    response = register(donor_client, device_list=csv_file("laji,malli\n", "lahjoitus.csv"))
    assert response.status_code == 200
    assert str(spreadsheets.FILE_EMPTY) in response.content.decode()
    assert not DonationBatch.objects.exists()
    assert not PendingImport.objects.exists()


def test_an_oversized_donor_list_is_refused_by_the_form(donor_client):
    big = SimpleUploadedFile(
        "lahjoitus.xlsx", b"x" * (spreadsheets.MAX_UPLOAD_BYTES + 1), content_type="text/csv"
    )
    response = register(donor_client, device_list=big)
    assert response.status_code == 200
    assert "Tiedosto on liian suuri" in response.content.decode()
    assert not DonationBatch.objects.exists()


def test_only_the_donor_who_sent_the_list_or_a_coordinator_opens_it(
    client, donor_user, technician, coordinator
):
    client.force_login(donor_user)
    url = register(client, device_list=csv_file(DONOR_CSV, "lahjoitus.csv"))["Location"]
    client.force_login(technician)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_registration_form_and_import_page_link_the_templates(
    client, donor_user, technician, batch
):
    template = reverse("devices:import_template")
    client.force_login(donor_user)
    form = client.get(reverse("devices:batch_register")).content.decode()
    assert f"{template}?format=xlsx&amp;list=donor" in form
    assert f"{template}?format=csv&amp;list=donor" in form
    client.force_login(technician)
    page = client.get(reverse("devices:batch_import", args=[batch.reference]))
    assert f"{template}?format=xlsx" in page.content.decode()
    assert f"{template}?format=csv" in page.content.decode()


def test_rows_left_out_are_named_on_the_button_and_in_the_message(technician_client, batch):
    text = (
        "laji;valmistaja;malli;sarjanumero\n"
        "kannettava;Lenovo;ThinkPad T480;PF0LEFT01\n"
        "näyttö;Dell;P2419H;CN0LEFT02\n"
        "tabletti;Apple;iPad (7. sukupolvi);DMPLEFT03\n"
    )
    url = uploaded(technician_client, batch, text)
    preview = technician_client.get(url)
    assert count_of(preview.context, imports.Outcome.LEFT_OUT) == 1
    body = preview.content.decode()
    assert "Tuo 2 laitetta ja jätä 1 rivi pois" in body
    left_out = [row for row in preview.context["rows"] if row.outcome == imports.Outcome.LEFT_OUT]
    assert [row.number for row in left_out] == [3] and left_out[0].reasons
    # Rows that need the user come first.
    assert preview.context["rows"][0].number == 3
    response = technician_client.post(url, choices_from(preview.context["form"], confirm="1"))
    assert messages_of(response) == [
        f"2 laitetta kirjattu erään {batch.reference}. 1 rivi jätettiin pois."
    ]
    assert set(Device.objects.filter(batch=batch).values_list("serial_number", flat=True)) == {
        "PF0LEFT01",
        "DMPLEFT03",
    }
