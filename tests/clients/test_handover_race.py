"""Many coaches reserving the same device at once: exactly one gets it (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from clients import services
from clients.models import Handover
from devices.models import Device
from tests.factories import make_batch, make_eligible_client, make_ready_device

THREADS = 8


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks (select_for_update is a no-op); proven on PostgreSQL",
)
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reservations_of_one_device_let_exactly_one_through(coach, technician, donor):
    device = make_ready_device(make_batch(donor, technician), technician)
    clients = [make_eligible_client(coach, name=f"Asiakas {n}") for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes = []
    lock = threading.Lock()

    def reserve(client):
        try:
            barrier.wait()
            services.handover_reserve(client=client, device=device, actor=coach)
            outcome = "ok"
        except services.HandoverError as error:
            outcome = error.messages[0]
        except Exception as error:  # noqa: BLE001 - any other failure is reported by the test
            outcome = f"unexpected: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=reserve, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    taken = str(services.DEVICE_TAKEN % {"code": device.inventory_code})
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count(taken) == THREADS - 1, outcomes
    assert Handover.objects.filter(device=device).count() == 1
    device.refresh_from_db()
    assert device.status == Device.Status.RESERVED
