"""The certificate PDF: one row per storage medium, evidence hashes, the validator, devices
returned unerased and pending, and the QR code and short code of the verification page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devices import documents, services
from devices.models import ErasureCertificate
from tests.devices.certificate_data import second_technician, three_device_batch
from tests.factories import erase, make_batch, make_device
from tests.support import one_line, pdf_barcodes, pdf_text


@pytest.fixture
def three(donor, technician, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return three_device_batch(donor, technician)


def certificate_text(batch, actor):
    certificate = services.certificate_issue(batch=batch, actor=actor)
    return certificate, one_line(pdf_text(documents.certificate_pdf(certificate)))


def test_each_medium_has_its_own_row_with_serial_method_tool_and_evidence(three, technician):
    certificate, flat = certificate_text(three.batch, technician)

    assert certificate.number in flat
    assert three.batch.reference in flat
    assert "Hämeen ammattikorkeakoulu" in flat
    assert "3: tyhjennetty 1, poistettu 1, odottaa 1" in flat
    hdd_row = flat[flat.index("WD-HDD-SERIAL-77") :][:200]
    assert "tyhjennys (Clear): ylikirjoitus" in hdd_row
    assert "nwipe 0.36" in hdd_row and "täysi varmennus" in hdd_row
    assert "onnistui" in hdd_row and "Teemu" in hdd_row
    assert three.evidence.original_name in hdd_row
    nvme_row = flat[flat.index("S4EWNX0R123456") :][:200]
    assert "puhdistus (Purge): NVMe Sanitize" in nvme_row
    assert three.evidence.original_name in nvme_row
    # The evidence is listed once with its whole SHA-256.
    assert flat.count(three.evidence.sha256) == 1
    assert "HDD ST500LM030, 500 Gt" in flat and "NVMe SSD PM981a, 256 Gt" in flat


def test_a_device_returned_to_its_donor_says_the_data_is_the_donors(three, technician):
    _, flat = certificate_text(three.batch, technician)

    disposed = flat[flat.index("Poistetut laitteet") : flat.index("Odottaa tyhjennystä Laite")]
    assert "SN-RETURNED-3" in disposed
    assert "Poistettu: palautettu lahjoittajalle" in disposed
    assert "Palautettu lahjoittajalle tyhjentämättä – tiedot ovat lahjoittajan vastuulla" in (
        disposed
    )


def test_pending_devices_are_listed_as_pending_and_the_certificate_is_partial(three, technician):
    _, flat = certificate_text(three.batch, technician)

    pending = flat[flat.index("Odottaa tyhjennystä Laite") :]
    assert "SN-PHONE-2" in pending
    assert "eMMC / flash" in pending
    assert "SN-LAPTOP-1" not in pending and "SN-RETURNED-3" not in pending
    assert "OSITTAINEN TODISTUS: 1 laite odottaa vielä tyhjennystä" in flat


def test_with_validation_on_the_certificate_names_the_validator(
    three, technician, django_user_model, settings
):
    settings.ERASURE_VALIDATION_REQUIRED = True
    validator = second_technician(django_user_model)
    services.erasure_validate(erasure=three.erasures[0], actor=validator)

    _, flat = certificate_text(three.batch, technician)

    hdd_row = flat[flat.index("WD-HDD-SERIAL-77") :][:250]
    assert "tarkastanut Tuula Tarkastaja" in hdd_row
    # The NVMe drive's erasure is not validated yet: it does not count, and says so.
    nvme_row = flat[flat.index("S4EWNX0R123456") :][:250]
    assert "onnistui, odottaa tarkastusta" in nvme_row
    assert "Tuula Tarkastaja" not in nvme_row
    assert "Jokaisen tyhjennyksen on tarkastanut toinen henkilö" in flat
    assert "Teemu, Tuula Tarkastaja" in flat  # the people who erased and validated


def test_qr_code_leads_to_the_verification_page_and_the_short_code_is_printed(
    three, technician, settings, tmp_path
):
    settings.SITE_URL = "https://kierratys.example.fi"
    certificate = services.certificate_issue(batch=three.batch, actor=technician)
    pdf = documents.certificate_pdf(certificate)

    code = certificate.verification_code
    url = f"https://kierratys.example.fi/verify/{code}/"
    assert pdf_barcodes(pdf, tmp_path) == [url]
    flat = one_line(pdf_text(pdf))
    assert f"{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:]}" in flat
    assert "https://kierratys.example.fi/verify/" in flat


def _render_queries(donor, technician, validator, device_count):
    batch = make_batch(donor, technician, declared_count=device_count)
    for number in range(device_count):
        device = make_device(batch, technician)
        if number % 2:
            services.erasure_validate(erasure=erase(device, technician), actor=validator)
    services.certificate_issue(batch=batch, actor=technician)
    certificate = ErasureCertificate.objects.get(batch=batch)  # without the issued rows
    with CaptureQueriesContext(connection) as queries:
        documents.certificate_pdf(certificate)
    return len(queries)


def test_rendering_takes_as_many_queries_for_20_devices_as_for_2(
    donor, technician, django_user_model, settings
):
    settings.ERASURE_VALIDATION_REQUIRED = True
    validator = second_technician(django_user_model)
    two = _render_queries(donor, technician, validator, 2)
    assert two == _render_queries(donor, technician, validator, 20)
