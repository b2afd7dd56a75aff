"""The certificate's rows read in two queries whatever the batch's size, and everything read
printed: every device and every medium with its erasure, the first counting erasure of a
medium erased twice, the people and the evidence, a donor's typed values as typed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devices import documents, services
from devices.certificate_rows import certificate_rows
from devices.models import Erasure, StorageMedium
from tests.devices.certificate_data import evidence_file, second_technician
from tests.factories import erase, make_batch, make_device
from tests.support import one_line, pdf_text


def _batch(donor, technician, validator, device_count, *, evidence=None, prefix="ROW"):
    """Devices with two media each: one erased (every other one validated), one failed."""
    batch = make_batch(donor, technician, declared_count=device_count)
    for number in range(device_count):
        device = make_device(batch, technician, serial_number=f"{prefix}{number:04d}")
        first = device.media.get()
        second = services.medium_add(
            device=device,
            actor=technician,
            kind=StorageMedium.Kind.HDD,
            model="ST1000",
            serial_number=f"HDD{prefix}{number:04d}",
            capacity_gb=1000,
        )
        erasure = erase(device, technician, medium=first, evidence=evidence)
        if number % 2:
            services.erasure_validate(erasure=erasure, actor=validator)
        erase(device, technician, medium=second, result=Erasure.Result.FAILED)
    return batch


@pytest.fixture
def validator(django_user_model):
    return second_technician(django_user_model)


def _row_queries(batch):
    with CaptureQueriesContext(connection) as queries:
        rows = certificate_rows(batch)
    return len(queries), rows


def test_rows_take_two_queries_for_twenty_devices_as_for_two(donor, technician, validator):
    two, small = _row_queries(_batch(donor, technician, validator, 2))
    twenty, large = _row_queries(_batch(donor, technician, validator, 20, prefix="BIG"))

    assert two == twenty == 2
    assert small.total == 2 and large.total == 20
    assert large.pending and not large.erased  # each device has a failed medium


def test_every_device_and_medium_of_the_batch_is_printed(
    donor, technician, validator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = evidence_file(technician)
    batch = _batch(donor, technician, validator, 12, evidence=evidence)

    flat = one_line(pdf_text(documents.batch_certificate_pdf(batch, actor=technician)))

    for number in range(12):
        device = flat[flat.index(f"ROW{number:04d}") :][:700]
        assert "NVMe SSD" in device
        assert f"HDD ST1000, 1000 Gt, HDDROW{number:04d}" in device
        assert "epäonnistui: Varmennus löysi lukukelvottomia sektoreita" in device
    assert flat.count("tarkastanut Tuula Tarkastaja") == 6  # the validated half
    assert flat.count(evidence.sha256) == 1  # listed once among the evidence
    assert evidence.original_name in flat
    assert "Teemu, Tuula Tarkastaja" in flat


def test_a_medium_that_failed_first_prints_the_erasure_that_passed(donor, technician):
    batch = make_batch(donor, technician, declared_count=1)
    device = make_device(batch, technician, serial_number="TWICE-1")
    erase(device, technician, result=Erasure.Result.FAILED, tool_name="ShredOS")
    erase(device, technician, tool_name="Blancco", tool_version="7.1")

    rows = certificate_rows(batch)
    (row,) = rows.erased
    (medium,) = row.media
    flat = one_line(pdf_text(documents.batch_certificate_pdf(batch, actor=technician)))

    assert medium.erasure.tool_name == medium.latest.tool_name == "Blancco"
    assert "Blancco 7.1" in flat and "ShredOS" not in flat


def test_values_typed_for_a_device_are_printed_as_typed_not_as_markup(donor, technician):
    batch = make_batch(donor, technician, declared_count=1)
    device = make_device(
        batch,
        technician,
        manufacturer="<b>Acme</b> & Co",
        model='T<br>480 "x"',
        serial_number="SER<i>1</i>",
    )
    erase(device, technician, tool_name="<script>wipe</script>")

    flat = one_line(pdf_text(documents.batch_certificate_pdf(batch, actor=technician)))

    assert '<b>Acme</b> & Co T<br>480 "x", SER<i>1</i>' in flat
    assert "<script>wipe</script> 0.36" in flat
