"""A small programme with known figures, built through the real services at fixed moments.

The clock is set by patching django.utils.timezone.now (only the clock, never the
database), so intake, erasure and handover happen on the days the figures expect.
"""

import contextlib
import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from clients import services
from clients import services as client_services
from clients.models import Client, Handover
from devices import lifecycle
from devices.models import Device, Erasure
from tests import factories

HELSINKI = ZoneInfo("Europe/Helsinki")


def moment(day, month, year=2025, hour=10):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=HELSINKI)


@contextlib.contextmanager
def clock(at):
    """Run the services as if it were `at` (an aware datetime)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def hand_over(device, client, actor, *, reserved, handed, kind=Handover.Kind.GIFT, due_date=None):
    with clock(reserved):
        handover = services.handover_reserve(client=client, device=device, actor=actor)
    with clock(handed):
        factories.prepare_for_handover(handover, actor)
        return services.handover_complete(
            handover=handover, actor=actor, kind=kind, due_date=due_date
        )


def build(*, donor, other_donor, technician, coach, coordinator):
    """Five devices, four erasure attempts (one failed), two handovers, six clients.

    donor:        d1 gift to a Hämeenlinna employment client (intake 10.1., handed 21.1. = 11 days)
                  d2 failed then passed, loan to a Tampere social client (10.1. -> 3.3. = 52 days)
                  d3 erased 14.2., ready
                  d4 returned to the donor unerased 15.2. (beyond repair)
    other_donor:  d5 taken in 5.2., not erased
    clients:      served (c1), loan in coaching (c2), not eligible (c3),
                  waiting (c4, c6), closed (c5)
    """
    milestones = factories.make_milestones()
    with clock(moment(10, 1)):
        batch = factories.make_batch(donor, technician)
        d1, d2, d3, d4 = (factories.make_device(batch, technician) for _ in range(4))
    with clock(moment(5, 2)):
        other_batch = factories.make_batch(other_donor, technician)
        d5 = factories.make_device(other_batch, technician, category=Device.Category.PHONE)
    with clock(moment(12, 1)):
        factories.erase(d1, technician)
        factories.erase(d2, technician, result=Erasure.Result.FAILED)
        factories.refurbish(d1, technician)
    with clock(moment(13, 1)):
        factories.erase(d2, technician)
        factories.refurbish(d2, technician)
    with clock(moment(14, 2)):
        factories.erase(d3, technician)
        factories.refurbish(d3, technician)
    with clock(moment(15, 2)):
        lifecycle.device_dispose(
            device=d4, actor=technician, disposal_reason=Device.DisposalReason.RETURNED
        )
    with clock(moment(15, 1)):
        c1 = factories.make_client(coach, name="Aino Asiakas", service=Client.Service.EMPLOYMENT)
        c2 = factories.make_client(
            coach, name="Bertta Asiakas", municipality="Tampere", service=Client.Service.SOCIAL
        )
        c3 = factories.make_client(coach, name="Cecilia Asiakas")
        c4 = factories.make_client(coach, name="Daniel Asiakas", municipality="Tampere")
        c5 = factories.make_client(coach, name="Eero Asiakas")
        c6 = factories.make_client(coach, name="Fanni Asiakas")
        for client in (c1, c2, c4, c6):
            factories.complete_milestones(client, coach, milestones)
        factories.complete_milestones(c3, coach, milestones[:1])
        client_services.client_update(client=c5, actor=coordinator, status=Client.Status.CLOSED)
    hand_over(d1, c1, coach, reserved=moment(20, 1), handed=moment(21, 1))
    hand_over(
        d2,
        c2,
        coach,
        reserved=moment(1, 3),
        handed=moment(3, 3),
        kind=Handover.Kind.LOAN,
        due_date=datetime.date(2025, 6, 3),
    )
    return {
        "devices": (d1, d2, d3, d4, d5),
        "clients": (c1, c2, c3, c4, c5, c6),
        "batches": (batch, other_batch),
    }


EXTRA_MUNICIPALITIES = ("Hattula", "Janakkala", "Loppi")  # the clients add_devices makes


def add_devices(donor, technician, coach, count):
    """`count` more ready devices from a new batch; every fourth is given to a new client."""
    milestones = factories.make_milestones()
    batch = factories.make_batch(donor, technician, declared_count=count)
    for index in range(count):
        device = factories.make_ready_device(batch, technician)
        if index % 4 == 0:
            client = factories.make_client(coach, municipality=EXTRA_MUNICIPALITIES[index % 3])
            factories.complete_milestones(client, coach, milestones)
            handover = services.handover_reserve(client=client, device=device, actor=coach)
            factories.prepare_for_handover(handover, coach)
            services.handover_complete(handover=handover, actor=coach, kind=Handover.Kind.GIFT)
    return batch
