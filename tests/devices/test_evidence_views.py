"""The evidence upload page (several files at once) and the staff download of an original."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from devices.models import Device, EvidenceFile
from tests import factories

SAMPLES = Path(__file__).resolve().parent / "evidence_samples"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def sample_upload(name):
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes())


def test_upload_several_files_shows_what_matched(technician_client, technician, donor):
    batch = factories.make_batch(donor, technician)
    device = factories.make_device(batch, technician, serial_number="PF1EVID01")
    response = technician_client.post(
        reverse("devices:evidence_import"),
        {"files": [sample_upload("nwipe-pass-two-discs.log"), sample_upload("nwipe-failed.log")]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert device.inventory_code in body and "NS8BN06381120BD03" in body
    assert "tyhjennys (Clear) / ylikirjoitus" in body
    assert "Yhtään laitetta ei löytynyt" in body
    assert "1 tiedosto jäi tuomatta" in body
    device.refresh_from_db()
    assert device.status == Device.Status.ERASED
    record = EvidenceFile.objects.get()
    assert reverse("devices:evidence_download", args=[record.pk]) in body


def test_upload_without_files_shows_the_form_error(technician_client):
    response = technician_client.post(reverse("devices:evidence_import"), {})
    assert response.status_code == 400
    assert "id_files_error" in response.content.decode()


def test_download_streams_the_original(technician_client, coordinator_client, technician, donor):
    batch = factories.make_batch(donor, technician)
    factories.make_device(batch, technician, serial_number="PF1EVID02")
    content = (SAMPLES / "nwipe-failed.log").read_bytes()
    technician_client.post(
        reverse("devices:evidence_import"), {"files": [sample_upload("nwipe-failed.log")]}
    )
    record = EvidenceFile.objects.get()
    url = reverse("devices:evidence_download", args=[record.pk])
    for client in (technician_client, coordinator_client):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert 'filename="nwipe-failed.log"' in response["Content-Disposition"]
    unknown = reverse("devices:evidence_download", args=[record.pk + 1000])
    assert technician_client.get(unknown).status_code == 404


def test_download_refused_to_donors_and_coaches(donor_client, coach_client, technician):
    record = EvidenceFile.objects.create(
        original_name="x.log", sha256="1" * 64, size=1, kind="nwipe_log", uploaded_by=technician
    )
    url = reverse("devices:evidence_download", args=[record.pk])
    assert donor_client.get(url).status_code == 403
    assert coach_client.get(url).status_code == 403


def test_technician_start_page_and_queue_link_to_the_upload(technician_client):
    url = reverse("devices:evidence_import")
    assert url in technician_client.get(reverse("home")).content.decode()
    assert url in technician_client.get(reverse("devices:workqueue")).content.decode()
