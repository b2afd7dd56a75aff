"""Many coaches reserving the same device at once: exactly one gets it (PostgreSQL row locks)."""

import pytest

from clients import services
from clients.models import Handover
from devices.models import Device
from tests.factories import make_batch, make_eligible_client, make_ready_device
from tests.support import race, requires_postgres

THREADS = 8

pytestmark = requires_postgres


@pytest.mark.django_db(transaction=True)
def test_concurrent_reservations_of_one_device_let_exactly_one_through(coach, technician, donor):
    device = make_ready_device(make_batch(donor, technician), technician)
    clients = [make_eligible_client(coach, name=f"Asiakas {n}") for n in range(THREADS)]
    outcomes = race(
        lambda client: services.handover_reserve(client=client, device=device, actor=coach),
        clients,
    )

    taken = str(services.DEVICE_TAKEN % {"code": device.inventory_code})
    reserved = [outcome for outcome in outcomes if isinstance(outcome, Handover)]
    refused = [
        outcome.messages[0] for outcome in outcomes if isinstance(outcome, services.HandoverError)
    ]
    assert len(reserved) == 1, outcomes
    assert refused == [taken] * (THREADS - 1), outcomes
    assert Handover.objects.filter(device=device).count() == 1
    device.refresh_from_db()
    assert device.status == Device.Status.RESERVED
