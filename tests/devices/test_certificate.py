"""The donor's erasure certificate: content, partial statement, language, access, speed.

Issuing and numbering: test_certificate_issue.py; media, evidence, validator and QR code:
test_certificate_pdf.py."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from devices import documents, lifecycle
from devices.models import Device, Erasure, ErasureCertificate
from tests.factories import erase, make_batch, make_device, refurbish
from tests.support import one_line, pdf_text


def pdf_language(pdf_bytes):
    return str(PdfReader(io.BytesIO(pdf_bytes)).trailer["/Root"]["/Lang"])


@pytest.fixture
def mixed_batch(donor, technician):
    """Sanitized by two techniques, destroyed, disposed without erasure, failed, untouched."""
    batch = make_batch(donor, technician)
    nvme = make_device(batch, technician, serial_number="SN-NVME-001")
    erase(nvme, technician)
    refurbish(nvme, technician)
    phone = make_device(
        batch,
        technician,
        category=Device.Category.PHONE,
        manufacturer="Samsung",
        model="Galaxy A52",
        serial_number="SN-PHONE-002",
        imei="490154203237518",
    )
    erase(
        phone,
        technician,
        method=Erasure.Method.CLEAR,
        technique=Erasure.Technique.FACTORY_RESET,
        tool_name="Android Recovery",
        tool_version="13",
        verification=Erasure.Verification.SAMPLING,
    )
    shredded = make_device(batch, technician, serial_number="SN-SHRED-003")
    erase(
        shredded,
        technician,
        method=Erasure.Method.DESTROY,
        technique=Erasure.Technique.PHYSICAL_DESTRUCTION,
        tool_name="HDD-murskain",
        tool_version="2",
        disposal_reason=Device.DisposalReason.EWASTE,
    )
    broken = make_device(batch, technician, serial_number="SN-BROKEN-004")
    lifecycle.device_dispose(
        device=broken, actor=technician, disposal_reason=Device.DisposalReason.RETURNED
    )
    failed = make_device(batch, technician, serial_number="SN-FAILED-005")
    erase(failed, technician, result=Erasure.Result.FAILED)
    make_device(batch, technician, serial_number="SN-WAITING-006")
    return batch


def test_certificate_lists_each_device_with_its_method_and_says_it_is_partial(
    mixed_batch, technician
):
    text = pdf_text(documents.batch_certificate_pdf(mixed_batch, actor=technician))
    flat = one_line(text)

    assert "Tietojen tyhjennystodistus" in flat
    assert mixed_batch.reference in flat
    assert "Hämeen ammattikorkeakoulu" in flat
    for serial in ("SN-NVME-001", "SN-PHONE-002", "SN-SHRED-003", "SN-BROKEN-004"):
        assert serial in flat
    assert "SN-FAILED-005" in flat and "SN-WAITING-006" in flat

    # Each sanitized device's row carries its method category, technique and tool.
    nvme_row = flat[flat.index("SN-NVME-001") :][:250]
    assert "puhdistus (Purge)" in nvme_row
    assert "NVMe Sanitize" in nvme_row
    assert "nwipe 0.36" in nvme_row
    assert "täysi varmennus" in nvme_row
    phone_row = flat[flat.index("SN-PHONE-002") :][:250]
    assert "tyhjennys (Clear)" in phone_row
    assert "tehdasasetusten palautus" in phone_row
    assert "Android Recovery 13" in phone_row

    # Disposed devices say how; pending devices are listed and the certificate is partial.
    shred_row = flat[flat.index("SN-SHRED-003") :][:250]
    assert "kierrätetty elektroniikkaromuna" in shred_row
    assert "fyysinen tuhoaminen" in shred_row
    broken_row = flat[flat.index("SN-BROKEN-004") :][:250]
    assert (
        "Palautettu lahjoittajalle tyhjentämättä – tiedot ovat lahjoittajan vastuulla" in broken_row
    )
    assert "OSITTAINEN TODISTUS: 2 laitetta odottaa vielä tyhjennystä" in flat
    pending_part = flat[flat.index("Odottaa tyhjennystä Laite ja sarjanumero") :]
    assert "SN-FAILED-005" in pending_part and "SN-WAITING-006" in pending_part
    assert "SN-NVME-001" not in pending_part
    # The failed attempt is shown as failed; the untouched device as waiting.
    failed_row = pending_part[pending_part.index("SN-FAILED-005") :][:250]
    assert "epäonnistui" in failed_row
    waiting_row = pending_part[pending_part.index("SN-WAITING-006") :][:250]
    assert "Odottaa tyhjennystä" in waiting_row
    assert "Teemu" in flat  # the technician who performed the sanitization


def test_a_fully_processed_batch_gets_a_complete_certificate(donor, technician):
    batch = make_batch(donor, technician)
    for _ in range(2):
        erase(make_device(batch, technician), technician)
    flat = one_line(pdf_text(documents.batch_certificate_pdf(batch, actor=technician)))
    assert "OSITTAINEN" not in flat
    assert "Kaikki erän laitteet on käsitelty" in flat


def test_a_returned_loan_keeps_its_first_erasure_on_the_certificate(donor, technician):
    batch = make_batch(donor, technician)
    device = make_device(batch, technician, serial_number="SN-LOAN-1")
    erase(device, technician, tool_name="FirstTool", tool_version="1.0")
    refurbish(device, technician)
    lifecycle.device_reserve(device=device, actor=technician)
    lifecycle.device_hand_over(device=device, actor=technician, loan=True)
    lifecycle.device_return(device=device, actor=technician)

    flat = one_line(pdf_text(documents.batch_certificate_pdf(batch, actor=technician)))
    # The donor's data went with the first erasure; the device is not pending for the donor.
    assert "FirstTool 1.0" in flat
    assert "OSITTAINEN" not in flat


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_certificate_is_in_the_donors_language(mixed_batch, technician, language):
    donor = mixed_batch.donor
    donor.language = language
    donor.save(update_fields=["language"])

    pdf = documents.batch_certificate_pdf(mixed_batch, actor=technician)

    assert pdf_language(pdf) == language
    flat = one_line(pdf_text(pdf))
    for serial in ("SN-NVME-001", "SN-PHONE-002", "SN-SHRED-003", "SN-WAITING-006"):
        assert serial in flat
    if language == "fi":
        assert "Tietojen tyhjennystodistus" in flat
        assert "Tyhjennetyt laitteet" in flat
        assert "Poistetut laitteet" in flat


def test_donor_downloads_the_certificate_of_an_own_batch(donor_client, mixed_batch):
    response = donor_client.get(
        reverse("devices:batch_certificate", kwargs={"reference": mixed_batch.reference})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert mixed_batch.reference in response["Content-Disposition"]
    assert "SN-NVME-001" in pdf_text(response.content)


def test_another_donor_gets_404_for_the_certificate(client, other_donor_user, mixed_batch):
    client.force_login(other_donor_user)
    url = reverse("devices:batch_certificate", kwargs={"reference": mixed_batch.reference})
    assert client.get(url).status_code == 404
    unknown = reverse("devices:batch_certificate", kwargs={"reference": "ER-1999-0001"})
    assert client.get(unknown).status_code == 404


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [("coordinator", 200), ("technician", 200), ("coach", 403)],
)
def test_staff_access_to_certificates(client, request, mixed_batch, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    url = reverse("devices:batch_certificate", kwargs={"reference": mixed_batch.reference})
    assert client.get(url).status_code == status


def test_anonymous_user_is_sent_to_login(client, mixed_batch):
    url = reverse("devices:batch_certificate", kwargs={"reference": mixed_batch.reference})
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_certificate_of_200_devices_lists_them_all_in_a_constant_number_of_queries(
    donor, technician
):
    # Its render time is measured by `make bench`, not here.
    batch = make_batch(donor, technician, declared_count=200)
    for number in range(200):
        device = make_device(batch, technician, serial_number=f"BULK{number:05d}")
        if number % 10 != 9:
            erase(device, technician)
    documents.batch_certificate_pdf(batch, actor=technician)
    certificate = ErasureCertificate.objects.get(batch=batch)

    with CaptureQueriesContext(connection) as queries:
        pdf = documents.certificate_pdf(certificate)

    # The batch with its donor, the devices, then their media with the erasures and people.
    assert len(queries) == 3
    flat = one_line(pdf_text(pdf))
    assert "BULK00000" in flat and "BULK00199" in flat
    assert "OSITTAINEN TODISTUS: 20 laitetta" in flat


def test_donors_batch_page_links_to_the_certificate(donor_client, mixed_batch):
    page = donor_client.get(mixed_batch.get_absolute_url())
    assert page.status_code == 200
    url = reverse("devices:batch_certificate", kwargs={"reference": mixed_batch.reference})
    assert f'href="{url}"' in page.content.decode()
