"""Fixtures of the storage-media tests (test_media.py, test_erasure_form.py)."""

import pytest

from devices import services
from devices.models.media import MediumKind
from tests.factories import make_batch, make_device


@pytest.fixture
def batch(donor, technician):
    return make_batch(donor, technician)


@pytest.fixture
def laptop(batch, technician):
    """A laptop with an NVMe drive (from intake) and a second drive, an HDD."""
    device = make_device(batch, technician, serial_number="TWO-DRIVES")
    services.medium_add(
        device=device,
        actor=technician,
        kind=MediumKind.HDD,
        model="WD Blue",
        serial_number="WD-123",
        capacity_gb=500,
    )
    return device
