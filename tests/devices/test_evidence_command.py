"""manage.py import_erasure_reports: the evidence import from the command line."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from devices.models import Device, Erasure, EvidenceFile
from tests import factories

SAMPLES = Path(__file__).resolve().parent / "evidence_samples"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(*args):
    out = StringIO()
    call_command("import_erasure_reports", *args, stdout=out)
    return out.getvalue()


def test_prints_each_file_and_its_media(donor, technician):
    batch = factories.make_batch(donor, technician)
    device = factories.make_device(batch, technician, serial_number="PF1EVID01")
    out = run(str(SAMPLES / "nwipe-pass-two-discs.log"), "--as", technician.username)
    assert f"nwipe-pass-two-discs.log: laite {device.inventory_code} (nwipe-loki)" in out
    assert "WD-WXC1A14S2591 WDC WD3200LPVX-6: onnistui, tyhjennys (Clear) / ylikirjoitus" in out
    assert "1 tiedosto tuotu." in out
    device.refresh_from_db()
    assert device.status == Device.Status.ERASED
    assert Erasure.objects.get(medium__serial_number="WD-WXC1A14S2591").technician == technician


def test_a_refused_file_is_printed_and_the_exit_is_non_zero(donor, technician):
    batch = factories.make_batch(donor, technician)
    factories.make_device(batch, technician, serial_number="PF1EVID02")
    out = StringIO()
    with pytest.raises(CommandError, match="1 tiedosto jäi tuomatta"):
        call_command(
            "import_erasure_reports",
            str(SAMPLES / "nwipe-failed.log"),
            str(SAMPLES / "nwipe-aborted.log"),
            "--as",
            technician.username,
            stdout=out,
        )
    text = out.getvalue()
    assert "nwipe-failed.log: laite" in text
    assert "epäonnistui, tyhjennys (Clear) / ylikirjoitus – nwipen tila FAILED" in text
    assert "nwipe-aborted.log: EI TUOTU – Yhtään laitetta ei löytynyt" in text
    assert EvidenceFile.objects.count() == 1


def test_dry_run_records_nothing(donor, technician):
    batch = factories.make_batch(donor, technician)
    factories.make_device(batch, technician, serial_number="PF1EVID02")
    out = run(str(SAMPLES / "nwipe-failed.log"), "--as", technician.username, "--dry-run")
    assert "Kuivaharjoitus" in out and "nwipen tila FAILED" in out
    assert not Erasure.objects.exists() and not EvidenceFile.objects.exists()


def test_user_must_be_a_technician(coach):
    with pytest.raises(CommandError, match="ei ole teknikko"):
        run(str(SAMPLES / "nwipe-failed.log"), "--as", coach.username)
    with pytest.raises(CommandError, match="ei ole"):
        run(str(SAMPLES / "nwipe-failed.log"), "--as", "nobody")


def test_missing_file(technician):
    with pytest.raises(CommandError, match="ei voi avata"):
        run("/nonexistent/nwipe.log", "--as", technician.username)
