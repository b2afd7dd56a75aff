"""The original reports kept in S3-compatible object storage (django-storages' S3Storage),
against a real S3 API on 127.0.0.1: moto's server mode, no network beyond the loopback."""

import hashlib
import socket
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from devices import services
from devices.models import EvidenceFile
from tests import factories

moto_server = pytest.importorskip(
    "moto.server", reason="moto[server] is not installed (pip install -e '.[test]')"
)
boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (django-storages[s3])")
pytest.importorskip("storages.backends.s3", reason="django-storages is not installed")

SAMPLES = Path(__file__).resolve().parent / "evidence_samples"
# moto keeps its buckets per process, whichever server instance answers: one bucket a test.
BUCKET = "kierratys-evidence-%s"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    bucket = BUCKET % uuid.uuid4().hex[:12]
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
            },
        }
    }
    # Django's setting_changed handler drops the cached backends, so default_storage is S3 now.
    yield client, bucket
    server.stop()


def test_imported_report_is_stored_in_the_bucket_and_downloaded(
    s3, donor, technician, technician_client
):
    client, bucket = s3
    assert type(storages["default"]).__name__ == "S3Storage"
    batch = factories.make_batch(donor, technician)
    factories.make_device(batch, technician, serial_number="PF1EVID02")
    content = (SAMPLES / "nwipe-failed.log").read_bytes()
    [result] = services.evidence_import(
        files=[("nwipe-failed.log", content)], actor=technician
    ).files
    assert result.imported, result.reason
    record = EvidenceFile.objects.get()
    # In the bucket itself, read with boto3, not only through Django's storage.
    stored = client.get_object(Bucket=bucket, Key=record.file.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == record.sha256
    with record.file.open("rb") as handle:
        assert handle.read() == content
    response = technician_client.get(reverse("devices:evidence_download", args=[record.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content


def test_a_file_refused_after_storing_is_removed_from_the_bucket(s3, donor, technician):
    """A report refused by the erasure rules (here: it ends in the future) leaves no object."""
    client, bucket = s3
    batch = factories.make_batch(donor, technician)
    device = factories.make_device(batch, technician, serial_number="PF1EVID02")
    content = (SAMPLES / "nwipe-failed.log").read_bytes().replace(b"2026/11/30", b"2099/11/30")
    [result] = services.evidence_import(files=[("x.log", content)], actor=technician).files
    assert not result.imported and "tulevaisuudessa" in result.reason
    assert client.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0
    assert not EvidenceFile.objects.exists() and not device.erasures.exists()
